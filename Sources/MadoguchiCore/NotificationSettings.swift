import Foundation
import Synchronization

/// A message to one visitor; `{number}`, `{service}`, `{office}`, `{ahead}`, `{counter}` and `{url}` are replaced.
public struct MessageTemplate: Codable, Sendable, Equatable {
    public var subject: String
    public var body: String
    public init(subject: String, body: String) {
        self.subject = subject
        self.body = body
    }

    public static let placeholders = ["{number}", "{service}", "{office}", "{ahead}", "{counter}", "{url}"]

    public func render(_ values: [String: String]) -> (subject: String, body: String) {
        var subject = self.subject, body = self.body
        for (key, value) in values {
            subject = subject.replacingOccurrences(of: "{\(key)}", with: value)
            body = body.replacingOccurrences(of: "{\(key)}", with: value)
        }
        return (subject, body)
    }
}

/// When and what a service tells subscribed visitors; staff set the threshold and the texts per language.
public struct NotificationSettings: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case ahead, called }
    /// Tell the visitor when this many people or fewer are ahead.
    public var notifyAhead: Int
    /// By kind, then by language code; missing ones fall back to `defaults`.
    public var templates: [String: [String: MessageTemplate]]

    public init(notifyAhead: Int = 5, templates: [String: [String: MessageTemplate]] = [:]) {
        self.notifyAhead = notifyAhead
        self.templates = templates
    }

    public static let standard = NotificationSettings()

    /// `templates` may be left out: the defaults apply.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        notifyAhead = try container.decode(Int.self, forKey: .notifyAhead)
        templates = try container.decodeIfPresent([String: [String: MessageTemplate]].self, forKey: .templates) ?? [:]
    }

    public func template(_ kind: Kind, language: Language) -> MessageTemplate {
        templates[kind.rawValue]?[language.rawValue] ?? Self.defaults[kind]![language]!
    }

    public func validate() -> [String] {
        var faults: [String] = []
        if !(1...50).contains(notifyAhead) { faults.append("通知する人数は1から50で指定してください") }
        for (kind, byLanguage) in templates {
            if Kind(rawValue: kind) == nil { faults.append("通知の種類 '\(kind)' はありません（ahead, called）") }
            for (language, template) in byLanguage {
                if Language(rawValue: language) == nil { faults.append("言語 '\(language)' はありません") }
                if template.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { faults.append("\(kind)/\(language): 本文が空です") }
                if template.subject.count > 200 || template.body.count > 2000 { faults.append("\(kind)/\(language): 件名は200字、本文は2000字までです") }
            }
        }
        return faults
    }

    static let defaults: [Kind: [Language: MessageTemplate]] = [
        .ahead: [
            .ja: MessageTemplate(
                subject: "【{office}】まもなく番号 {number} の順番です",
                body: "{service}の番号 {number} の前に {ahead} 人お待ちです。窓口の近くでお待ちください。\n待ち状況: {url}"),
            .en: MessageTemplate(
                subject: "[{office}] Your turn is coming: {number}",
                body: "{ahead} people are ahead of number {number} ({service}). Please come back to the waiting area.\nStatus: {url}"),
            .zhHans: MessageTemplate(subject: "【{office}】即将轮到号码 {number}", body: "{service}号码 {number} 前面还有 {ahead} 人。请在窗口附近等候。\n等候情况: {url}"),
            .ko: MessageTemplate(
                subject: "[{office}] 곧 번호 {number} 차례입니다", body: "{service} 번호 {number} 앞에 {ahead}명이 기다리고 있습니다. 창구 근처에서 기다려 주세요.\n대기 현황: {url}")
        ],
        .called: [
            .ja: MessageTemplate(subject: "【{office}】番号 {number} をお呼びしています", body: "{service}の番号 {number} をお呼びしています。{counter}へお越しください。"),
            .en: MessageTemplate(
                subject: "[{office}] Number {number} is being called", body: "Number {number} ({service}) is being called. Please go to {counter}."),
            .zhHans: MessageTemplate(subject: "【{office}】正在叫号 {number}", body: "正在叫{service}号码 {number}。请前往{counter}。"),
            .ko: MessageTemplate(subject: "[{office}] 번호 {number}를 호출하고 있습니다", body: "{service} 번호 {number}를 호출하고 있습니다. {counter}(으)로 와 주세요.")
        ]
    ]
}

/// What to do for a subscription given the ticket as it is now (pure rule, W4).
public enum NotificationRule {
    public struct Decision: Equatable, Sendable {
        public var send: NotificationSettings.Kind?
        /// Erase the contact: the ticket was called, finished or cancelled.
        public var erase: Bool
    }

    public static func decide(_ subscription: NotificationSubscription, ticket: TicketView, settings: NotificationSettings) -> Decision {
        switch ticket.state {
        case .waiting:
            // The "near" message is sent once, also when the ticket was issued with fewer people ahead.
            let near = !subscription.sentAhead && (ticket.peopleAhead ?? .max) <= settings.notifyAhead
            return Decision(send: near ? .ahead : nil, erase: false)
        case .called:
            return Decision(send: subscription.sentCalled ? nil : .called, erase: true)
        case .held, .absent:
            return Decision(send: nil, erase: false)
        case .done, .cancelled:
            return Decision(send: nil, erase: true)
        }
    }
}

/// Writes a service's notification settings (the layout is then reloaded by every instance).
public protocol NotificationSettingsStore: Sendable {
    func setNotifications(_ settings: NotificationSettings, serviceID: String) async throws
    func setHours(_ hours: [OpeningHours], officeID: String) async throws
}
