import Foundation
import Synchronization

/// How a visitor is told their turn is near (W4).
public enum ContactChannel: String, Codable, Sendable, CaseIterable {
    case email, sms
}

/// The one check of e-mail addresses visitors type (notifications, web tickets, bookings): the practical subset
/// of RFC 5321 that real providers hand out — letters, digits and `._%+-` before the `@` (starting with a letter,
/// digit or `_`), host names of letters, digits and hyphens with a top-level name of letters after it. Quoted
/// parts, `=`, `|`, `'` and the like are refused: nobody's real address needs them, and they reach CSV exports.
public enum EmailAddress {
    /// The address trimmed, with its domain in lower case; nil when it is not an address.
    public static func normalized(_ text: String) -> String? {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= 254, parts.count == 2 else { return nil }
        let local = parts[0], domain = parts[1].lowercased()
        func isAlphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        guard (1...64).contains(local.count), let first = local.first, isAlphanumeric(first) || first == "_",
              local.allSatisfy({ isAlphanumeric($0) || "._%+-".contains($0) }), !local.hasSuffix("."), !local.contains("..") else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ label in
            (1...63).contains(label.count) && label.allSatisfy({ isAlphanumeric($0) || $0 == "-" }) && !label.hasPrefix("-") && !label.hasSuffix("-")
        }), let top = labels.last, top.count >= 2, top.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return local + "@" + domain
    }
}

/// A visitor's e-mail address or mobile number, validated and normalised. Never logged; stored encrypted.
public struct Contact: Sendable, Equatable {
    public let channel: ContactChannel
    /// `name@example.jp`, or a phone number in E.164 (`+819012345678`).
    public let address: String

    public init(email: String) throws {
        guard let text = EmailAddress.normalized(email) else { throw DomainError.invalidContact }
        channel = .email
        address = text
    }

    /// What identifies the contact when comparing ("one web ticket per contact", sign-up limits): e-mail
    /// addresses without regard to case, as every mail provider delivers them.
    public var identity: String { "\(channel.rawValue):\(channel == .email ? address.lowercased() : address)" }

    /// Japanese mobile numbers (070/080/090, 11 digits) in any usual spelling, or international numbers with `+`.
    public init(phone: String) throws {
        let fullWidth = phone.unicodeScalars.map { scalar -> Character in
            (0xFF10...0xFF19).contains(scalar.value) ? Character(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!) : Character(scalar)
        }
        let text = String(fullWidth).filter { !" -‐－()（）".contains($0) }
        if text.hasPrefix("+") {
            let digits = text.dropFirst()
            guard (8...15).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { throw DomainError.invalidContact }
            address = "+" + digits
        } else {
            guard text.count == 11, text.allSatisfy({ $0.isASCII && $0.isNumber }), ["070", "080", "090"].contains(String(text.prefix(3))) else {
                throw DomainError.invalidContact
            }
            address = "+81" + text.dropFirst()
        }
        channel = .sms
    }

    public init(channel: ContactChannel, address: String) {
        self.channel = channel
        self.address = address
    }

    /// What staff may see: `t***@example.jp`, `090-****-5678`.
    public var masked: String {
        switch channel {
        case .email:
            let parts = address.split(separator: "@")
            return "\(parts.first?.prefix(1) ?? "")***@\(parts.last ?? "")"
        case .sms where address.hasPrefix("+81") && address.count == 13:
            let local = "0" + address.dropFirst(3)
            return "\(local.prefix(3))-****-\(local.suffix(4))"
        case .sms:
            return String(repeating: "*", count: max(0, address.count - 4)) + address.suffix(4)
        }
    }
}

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
            .ja: MessageTemplate(subject: "【{office}】まもなく番号 {number} の順番です",
                                 body: "{service}の番号 {number} の前に {ahead} 人お待ちです。窓口の近くでお待ちください。\n待ち状況: {url}"),
            .en: MessageTemplate(subject: "[{office}] Your turn is coming: {number}",
                                 body: "{ahead} people are ahead of number {number} ({service}). Please come back to the waiting area.\nStatus: {url}"),
            .zhHans: MessageTemplate(subject: "【{office}】即将轮到号码 {number}", body: "{service}号码 {number} 前面还有 {ahead} 人。请在窗口附近等候。\n等候情况: {url}"),
            .ko: MessageTemplate(subject: "[{office}] 곧 번호 {number} 차례입니다", body: "{service} 번호 {number} 앞에 {ahead}명이 기다리고 있습니다. 창구 근처에서 기다려 주세요.\n대기 현황: {url}"),
        ],
        .called: [
            .ja: MessageTemplate(subject: "【{office}】番号 {number} をお呼びしています", body: "{service}の番号 {number} をお呼びしています。{counter}へお越しください。"),
            .en: MessageTemplate(subject: "[{office}] Number {number} is being called", body: "Number {number} ({service}) is being called. Please go to {counter}."),
            .zhHans: MessageTemplate(subject: "【{office}】正在叫号 {number}", body: "正在叫{service}号码 {number}。请前往{counter}。"),
            .ko: MessageTemplate(subject: "[{office}] 번호 {number}를 호출하고 있습니다", body: "{service} 번호 {number}를 호출하고 있습니다. {counter}(으)로 와 주세요."),
        ],
    ]
}

/// A visitor's request to be told about one ticket.
public struct NotificationSubscription: Sendable, Equatable {
    public var id: String
    public var ticketID: String
    public var officeID: String
    public var serviceID: String
    public var businessDate: String
    public var channel: ContactChannel
    /// nil once erased.
    public var contact: Contact?
    public var maskedContact: String
    public var language: Language
    public var sentAhead: Bool
    public var sentCalled: Bool

    public init(
        id: String, ticketID: String, officeID: String, serviceID: String, businessDate: String, contact: Contact, language: Language,
        sentAhead: Bool = false, sentCalled: Bool = false
    ) {
        self.id = id
        self.ticketID = ticketID
        self.officeID = officeID
        self.serviceID = serviceID
        self.businessDate = businessDate
        channel = contact.channel
        self.contact = contact
        maskedContact = contact.masked
        self.language = language
        self.sentAhead = sentAhead
        self.sentCalled = sentCalled
    }
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

/// One message to deliver, as the outbox keeps it.
public struct OutgoingMessage: Sendable, Equatable {
    public var id: Int64
    public var channel: ContactChannel
    public var recipient: String
    public var subject: String
    public var body: String
    public var attempts: Int
    public init(id: Int64, channel: ContactChannel, recipient: String, subject: String, body: String, attempts: Int) {
        self.id = id
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.attempts = attempts
    }

    /// Wait before the next attempt after `attempts` failures: 5 s doubling, at most 10 minutes.
    public static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        min(600, 5 * pow(2, Double(max(0, attempts - 1))))
    }
}

/// Delivery state staff see (contact masked).
public struct NotificationDelivery: Codable, Sendable, Equatable {
    public var ticket: String
    public var displayNumber: String
    public var channel: ContactChannel
    public var contact: String
    public var kind: String
    public var state: String
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?

    public init(ticket: String, displayNumber: String, channel: ContactChannel, contact: String, kind: String, state: String,
                attempts: Int, lastError: String?, createdAt: Date, sentAt: Date?) {
        self.ticket = ticket
        self.displayNumber = displayNumber
        self.channel = channel
        self.contact = contact
        self.kind = kind
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}

/// Persistence of subscriptions and the outbox.
public protocol NotificationStore: Sendable {
    /// Replaces the ticket's subscription on that channel.
    func subscribe(_ subscription: NotificationSubscription, at: Date) async throws
    func unsubscribe(ticketID: String) async throws -> Int
    /// Subscriptions with a contact still stored, of today's tickets of an office.
    func activeSubscriptions(officeID: String, businessDate: String) async throws -> [NotificationSubscription]
    /// In one transaction: marks `kind` sent unless another instance did so first (then returns false and queues
    /// nothing), queues the message, and erases the contact when asked.
    func queue(_ kind: NotificationSettings.Kind?, for subscription: NotificationSubscription, subject: String, body: String,
               erase: Bool, at: Date) async throws -> Bool
    /// Claims due messages for `lease` seconds; a message claimed by a dead instance is due again after its lease.
    func claimDue(at: Date, lease: TimeInterval, limit: Int) async throws -> [OutgoingMessage]
    /// Delivered: the recipient is erased.
    func delivered(_ id: Int64, at: Date) async throws
    func failed(_ id: Int64, error: String, retryAt: Date) async throws
    /// Erases contacts and gives up on undelivered messages of days before `businessDate`.
    func purge(before businessDate: String, at: Date) async throws
    func deliveries(officeID: String, businessDate: String) async throws -> [NotificationDelivery]
}

/// Sends one message over one channel (SMTP, an SMS gateway); throws when it was not accepted.
public protocol MessageSender: Sendable {
    func send(_ message: OutgoingMessage) async throws
}

/// Registers visitors for notifications and turns queue events into queued messages (W4).
///
/// Every instance sees every event, so the decision "send now" is taken inside the store's transaction that
/// marks it sent: only one instance queues each message.
public final class VisitorNotifications: EventPublisher {
    private let store: any NotificationStore
    private let projection: QueueProjection
    private let layout: LayoutSource
    private let clock: any WallClock
    private let publicBaseURL: String
    /// Offices with subscriptions this instance knows of: events of other offices cost nothing.
    private let watched = Mutex<Set<String>>([])
    /// Told when messages were queued, so they go out at once.
    private let queued: @Sendable () -> Void
    /// Counts sign-ups per ticket, client and contact (shared by every instance), so nobody signs strangers up
    /// for messages under the city's name.
    private let attempts: any AttemptCounter

    /// Sign-ups a ticket may take in a day (a changed mind, a typo), one client address in 10 minutes, and one
    /// contact in a day.
    public static let signUpsPerTicket = 3
    public static let signUpsPerClient = 10
    public static let signUpsPerContact = 5

    public init(store: any NotificationStore, projection: QueueProjection, layout: LayoutSource, clock: any WallClock,
                publicBaseURL: String, attempts: any AttemptCounter = InMemoryAttemptCounter(), queued: @escaping @Sendable () -> Void = {}) {
        self.attempts = attempts
        self.store = store
        self.projection = projection
        self.layout = layout
        self.clock = clock
        self.publicBaseURL = publicBaseURL
        self.queued = queued
    }

    /// Registers `contact` for the ticket with `token` (replacing an earlier one on the same channel) and sends
    /// at once what is already due.
    ///
    /// `client` is the address the sign-up came from; nil when the caller counted it already (`admitSignUp`),
    /// as a web ticket does before it takes a number.
    public func subscribe(token: String, contact: Contact, language: Language, client: String?) async throws -> NotificationSubscription {
        guard let view = projection.ticketView(token: token) else { throw DomainError.ticketNotFound }
        // A called or absent visitor has nothing left to be told in advance.
        guard view.state == .waiting || view.state == .held else {
            throw DomainError.ticketNotActive(displayNumber: view.displayNumber, state: view.state)
        }
        if let client {
            let now = clock.now()
            guard try await AttemptThrottle("sign-up-ticket", limit: Self.signUpsPerTicket, window: 86_400, counter: attempts).admit(view.id, at: now)
            else { throw DomainError.tooManySignUps }
            try await admitSignUp(contact: contact, client: client)
        }
        let subscription = NotificationSubscription(
            id: TokenGenerator.ticketID(), ticketID: view.id, officeID: view.office, serviceID: view.service,
            businessDate: CityCalendar.businessDate(of: view.issuedAt), contact: contact, language: language)
        try await store.subscribe(subscription, at: clock.now())
        watched.withLock { _ = $0.insert(view.office) }
        try await evaluate(officeID: view.office)
        return subscription
    }

    /// Counts a sign-up for the client (nil: the caller limits clients itself, as web tickets do) and the contact;
    /// throws `tooManySignUps` when either is over its limit.
    public func admitSignUp(contact: Contact, client: String?) async throws {
        let now = clock.now()
        var clientAdmitted = true
        if let client {
            clientAdmitted = try await AttemptThrottle("sign-up-client", limit: Self.signUpsPerClient, window: 600, counter: attempts).admit(client, at: now)
        }
        let contactAdmitted = try await AttemptThrottle("sign-up-contact", limit: Self.signUpsPerContact, window: 86_400, counter: attempts)
            .admit(contact.identity, at: now)
        guard clientAdmitted, contactAdmitted else { throw DomainError.tooManySignUps }
    }

    /// Why the contact gets this message and how to stop it, in the visitor's language.
    static func stopText(_ language: Language, url: String) -> String {
        switch language {
        case .ja: "このお知らせは番号札の持ち主が登録しました。止めるには \(url) を開き「お知らせを止める」を押してください。心当たりがなければ、このメッセージは無視してください（以後は届きません）。"
        case .en: "This message was requested by the holder of a queue ticket. To stop it, open \(url) and press \"Stop notifications\". If you did not ask for it, please ignore this message."
        case .zhHans: "此通知由号码牌持有人登记。如需停止，请打开 \(url) 并点击“停止通知”。如非本人登记，请忽略此消息。"
        case .ko: "이 알림은 번호표를 가진 분이 등록했습니다. 중지하려면 \(url) 을 열고 「알림 중지」를 누르세요. 등록한 적이 없으면 이 메시지를 무시해 주세요."
        }
    }

    /// Whether a contact is registered for the ticket, so its page offers to stop only what exists.
    public func isSubscribed(_ view: TicketView) async throws -> Bool {
        try await store.activeSubscriptions(officeID: view.office, businessDate: CityCalendar.businessDate(of: view.issuedAt))
            .contains { $0.ticketID == view.id }
    }

    public func unsubscribe(token: String) async throws {
        guard let view = projection.ticketView(token: token) else { throw DomainError.ticketNotFound }
        _ = try await store.unsubscribe(ticketID: view.id)
    }

    /// Reloads which offices have subscriptions (at start-up, and now and then for those taken by other instances).
    public func refreshWatchedOffices() async throws {
        let today = CityCalendar.businessDate(of: clock.now())
        var offices = Set<String>()
        for office in layout.current.offices where try await !store.activeSubscriptions(officeID: office.id, businessDate: today).isEmpty {
            offices.insert(office.id)
        }
        watched.withLock { $0 = offices }
    }

    public func publish(_ events: [DomainEvent]) async {
        let offices = Set(events.map(\.officeID)).intersection(watched.withLock { $0 })
        for office in offices {
            // A failure here must not lose the event for the screens; the next event of the office retries.
            try? await evaluate(officeID: office)
        }
    }

    /// Queues what is due for every subscription of the office and erases contacts no longer needed.
    public func evaluate(officeID: String) async throws {
        let now = clock.now()
        let layout = layout.current
        var anyQueued = false
        for subscription in try await store.activeSubscriptions(officeID: officeID, businessDate: CityCalendar.businessDate(of: now)) {
            guard let ticket = projection.ticketView(id: subscription.ticketID), let service = layout.service(subscription.serviceID) else { continue }
            let settings = service.notifications
            let decision = NotificationRule.decide(subscription, ticket: ticket, settings: settings)
            guard decision.send != nil || decision.erase else { continue }
            var subject = "", body = ""
            if let kind = decision.send {
                let values = [
                    "number": ticket.displayNumber, "service": service.name(in: subscription.language),
                    "office": layout.office(officeID)?.name ?? officeID, "ahead": String(ticket.peopleAhead ?? 0),
                    "counter": ticket.counter.flatMap(layout.counter)?.name ?? "", "url": "\(publicBaseURL)/t/\(ticket.token)",
                ]
                (subject, body) = settings.template(kind, language: subscription.language).render(values)
                // The first message to a contact says who signed it up and how to stop: someone may have typed a
                // stranger's address.
                if !subscription.sentAhead && !subscription.sentCalled {
                    body += "\n\n" + Self.stopText(subscription.language, url: values["url"] ?? "")
                }
            }
            if try await store.queue(decision.send, for: subscription, subject: subject, body: body, erase: decision.erase, at: now),
               decision.send != nil {
                anyQueued = true
            }
        }
        if anyQueued { queued() }
    }
}

/// Delivers queued messages with retries and back-off; several instances share the work through leases.
public struct OutboxDispatcher: Sendable {
    let store: any NotificationStore
    let senders: [ContactChannel: any MessageSender]
    let clock: any WallClock
    public var lease: TimeInterval = 60

    public init(store: any NotificationStore, senders: [ContactChannel: any MessageSender], clock: any WallClock) {
        self.store = store
        self.senders = senders
        self.clock = clock
    }

    /// Sends what is due now; returns how many were delivered.
    @discardableResult
    public func deliverDue() async throws -> Int {
        var delivered = 0
        for message in try await store.claimDue(at: clock.now(), lease: lease, limit: 50) {
            guard let sender = senders[message.channel] else {
                try await store.failed(message.id, error: "\(message.channel.rawValue) の送信先が設定されていません",
                                       retryAt: clock.now().addingTimeInterval(OutgoingMessage.backoff(afterAttempts: message.attempts + 1)))
                continue
            }
            do {
                try await sender.send(message)
                try await store.delivered(message.id, at: clock.now())
                delivered += 1
            } catch {
                // The error text names the server, never the recipient.
                try await store.failed(message.id, error: String(describing: error).prefix(300).description,
                                       retryAt: clock.now().addingTimeInterval(OutgoingMessage.backoff(afterAttempts: message.attempts + 1)))
            }
        }
        return delivered
    }
}

/// Writes a service's notification settings (the layout is then reloaded by every instance).
public protocol NotificationSettingsStore: Sendable {
    func setNotifications(_ settings: NotificationSettings, serviceID: String) async throws
    func setHours(_ hours: [OpeningHours], officeID: String) async throws
}
