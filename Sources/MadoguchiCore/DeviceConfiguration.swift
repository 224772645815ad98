import Foundation
import Synchronization

/// The languages of visitor screens and announcements: Japanese first, then English, Simplified Chinese, Korean.
public typealias Language = AnnouncementLanguage

extension AnnouncementLanguage {
    /// The language named by a `lang` parameter or tag (`zh-Hans`, `zh`, `en-US`…), if it is one we speak.
    public init?(tag: String) {
        let lowered = tag.lowercased()
        if let exact = AnnouncementLanguage.allCases.first(where: { $0.rawValue.lowercased() == lowered }) {
            self = exact
        } else if lowered.hasPrefix("zh") {
            self = .zhHans
        } else if let prefix = lowered.split(separator: "-").first, let match = AnnouncementLanguage(rawValue: String(prefix)) {
            self = match
        } else {
            return nil
        }
    }
}

/// A text in several languages; Japanese is required, the others fall back to Japanese.
public struct LocalizedText: Codable, Sendable, Equatable {
    public var values: [String: String]
    public init(_ values: [String: String]) { self.values = values }
    public init(ja: String, en: String? = nil, zhHans: String? = nil, ko: String? = nil) {
        var values = ["ja": ja]
        values["en"] = en
        values["zh-Hans"] = zhHans
        values["ko"] = ko
        self.values = values
    }
    public static let empty = LocalizedText([:])

    public func text(_ language: Language) -> String {
        if let text = values[language.rawValue], !text.isEmpty { return text }
        return values["ja"] ?? ""
    }
    public var isEmpty: Bool { values.values.allSatisfy(\.isEmpty) }

    /// The name of something whose Japanese name is `japanese`, in `language`: its translation where one is set.
    public func name(_ japanese: String, in language: Language) -> String {
        guard language != .ja, let text = values[language.rawValue], !text.isEmpty else { return japanese }
        return text
    }

    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: String].self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}

/// How a service's paper ticket is cut (Q4).
public enum TicketStyle: String, Codable, Sendable, CaseIterable {
    /// One slip for the visitor.
    case single
    /// The visitor's part and a staff stub with the same number, with a cut between.
    case twoPart = "two-part"
}

/// How a kiosk's tickets reach paper.
public enum PrintMode: String, Codable, Sendable, CaseIterable {
    /// The kiosk browser prints an 80 mm page (Chromium with `--kiosk-printing`).
    case browser
    /// `madoguchi print-agent` prints ESC/POS on a thermal printer next to the kiosk.
    case agent
    /// Screen only (e.g. a tablet at a reception desk).
    case none
}

/// A named set of services a kiosk offers (e.g. 平日, 土曜開庁).
public struct MenuSet: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var serviceIDs: [String]
    public init(id: String, name: String, serviceIDs: [String]) {
        self.id = id
        self.name = name
        self.serviceIDs = serviceIDs
    }
}

/// Use a menu set on some weekdays between two times of day (Asia/Tokyo).
public struct MenuScheduleRule: Codable, Sendable, Equatable {
    /// 1 = Sunday … 7 = Saturday, as `Calendar` numbers them.
    public var weekdays: [Int]
    /// Minutes after midnight, `from` inclusive, `until` exclusive.
    public var from: Int
    public var until: Int
    public var menuSetID: String
    public init(weekdays: [Int], from: Int, until: Int, menuSetID: String) {
        self.weekdays = weekdays
        self.from = from
        self.until = until
        self.menuSetID = menuSetID
    }
}

/// A ticket kiosk (Q2, Q3). Its slug is its URL; a browser staff registered as it on /staff/devices is that kiosk
/// (Q12): it prints and issues without the public limits (docs/SECURITY.md).
public struct Kiosk: Codable, Sendable, Equatable {
    public var id: String
    public var officeID: String
    public var name: String
    public var printMode: PrintMode
    /// Free text shown above the buttons (e.g. 「本日は混雑しています」).
    public var announcement: LocalizedText
    /// Fixed texts printed on every ticket.
    public var ticketFooter: LocalizedText
    public var menuSets: [MenuSet]
    /// Rules tried in order; the first that matches the time chooses the menu set.
    public var schedule: [MenuScheduleRule]
    /// The menu set outside every rule.
    public var defaultMenuSetID: String

    public init(
        id: String, officeID: String, name: String, printMode: PrintMode = .browser, announcement: LocalizedText = .empty,
        ticketFooter: LocalizedText = .empty, menuSets: [MenuSet], schedule: [MenuScheduleRule] = [], defaultMenuSetID: String
    ) {
        self.id = id
        self.officeID = officeID
        self.name = name
        self.printMode = printMode
        self.announcement = announcement
        self.ticketFooter = ticketFooter
        self.menuSets = menuSets
        self.schedule = schedule
        self.defaultMenuSetID = defaultMenuSetID
    }

    public func menuSet(_ id: String) -> MenuSet? { menuSets.first { $0.id == id } }

    /// The menu set in force at `date`: the staff's choice for the day if any, else the first schedule rule that
    /// matches, else the default.
    public func activeMenuSet(at date: Date, staffChoice: String?) -> MenuSet {
        if let staffChoice, let chosen = menuSet(staffChoice) { return chosen }
        let parts = CityCalendar.gregorian.dateComponents([.weekday, .hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        for rule in schedule where rule.weekdays.contains(parts.weekday ?? 0) && rule.from <= minute && minute < rule.until {
            if let set = menuSet(rule.menuSetID) { return set }
        }
        return menuSet(defaultMenuSetID) ?? menuSets.first ?? MenuSet(id: "", name: "", serviceIDs: [])
    }

    /// The next instant after `date` at which the scheduled menu set may change (a rule starts or ends, or the day
    /// turns), so a kiosk screen knows when to refresh itself.
    public func nextScheduleChange(after date: Date) -> Date {
        let calendar = CityCalendar.gregorian
        let startOfDay = calendar.startOfDay(for: date)
        let boundaries = Set(schedule.flatMap { [$0.from, $0.until] } + [24 * 60]).sorted()
        for minute in boundaries {
            let instant = startOfDay.addingTimeInterval(Double(minute) * 60)
            if instant > date { return instant }
        }
        return calendar.date(byAdding: .day, value: 1, to: startOfDay)!
    }
}

public enum MonitorKind: String, Codable, Sendable, CaseIterable {
    /// Waiting-room screen for visitors (Q9).
    case lobby
    /// Back-office overview for staff (Q10).
    case backyard
}

public enum VoiceGender: String, Codable, Sendable, CaseIterable {
    case female, male
}

/// A lobby or backyard monitor; opening its URL on another device adds another screen showing the same.
public struct Monitor: Codable, Sendable, Equatable {
    public var id: String
    public var officeID: String
    public var kind: MonitorKind
    public var name: String
    /// Services shown; empty shows every service of the office.
    public var serviceIDs: [String]
    /// Running text at the bottom of a lobby monitor.
    public var ticker: LocalizedText
    public var voiceGender: VoiceGender
    /// 0…1.
    public var volume: Double
    /// Languages a call is spoken in, in order (Japanese first).
    public var announceLanguages: [Language]
    /// Backyard pages turn every this many seconds.
    public var rotationSeconds: Int
    /// Backyard: the oldest wait turns amber, then red, past these minutes.
    public var amberMinutes: Int
    public var redMinutes: Int

    public init(
        id: String, officeID: String, kind: MonitorKind, name: String, serviceIDs: [String] = [], ticker: LocalizedText = .empty,
        voiceGender: VoiceGender = .female, volume: Double = 0.8, announceLanguages: [Language] = [.ja],
        rotationSeconds: Int = 15, amberMinutes: Int = 20, redMinutes: Int = 40
    ) {
        self.id = id
        self.officeID = officeID
        self.kind = kind
        self.name = name
        self.serviceIDs = serviceIDs
        self.ticker = ticker
        self.voiceGender = voiceGender
        self.volume = volume
        self.announceLanguages = announceLanguages
        self.rotationSeconds = rotationSeconds
        self.amberMinutes = amberMinutes
        self.redMinutes = redMinutes
    }

    /// How long the oldest ticket has waited, as the backyard colours it.
    public func urgency(waitedMinutes: Int) -> WaitUrgency {
        waitedMinutes >= redMinutes ? .red : waitedMinutes >= amberMinutes ? .amber : .normal
    }
}

public enum WaitUrgency: String, Sendable {
    case normal, amber, red
}

/// What staff see of a device: when it was last connected and, for a kiosk's printer, its state.
public struct DevicePresence: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case kiosk, lobby, backyard, counter, printer
    }
    public var kind: Kind
    public var deviceID: String
    public var lastSeenAt: Date
    /// Open connections seen by the instance that last wrote the row.
    public var connected: Bool
    /// Printer state reported by the print agent (`ready`, `offline`, `paper_out`, `cover_open`, `error`).
    public var state: String?
    public var detail: String?
    public init(kind: Kind, deviceID: String, lastSeenAt: Date, connected: Bool, state: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.deviceID = deviceID
        self.lastSeenAt = lastSeenAt
        self.connected = connected
        self.state = state
        self.detail = detail
    }
}

/// A ticket a kiosk's print agent has not yet printed.
public struct PrintJob: Codable, Sendable, Equatable {
    public var ticketID: String
    public var token: String
    public var displayNumber: String
    public var createdAt: Date
    public init(ticketID: String, token: String, displayNumber: String, createdAt: Date) {
        self.ticketID = ticketID
        self.token = token
        self.displayNumber = displayNumber
        self.createdAt = createdAt
    }
}

/// Device bookkeeping outside the queue: presence, printer states, print jobs and print-agent keys.
public protocol DeviceStore: Sendable {
    func recordPresence(_ presence: DevicePresence) async throws
    func presences() async throws -> [DevicePresence]
    /// Today's tickets issued at the kiosk and not yet acknowledged as printed, oldest first.
    func pendingPrintJobs(kioskID: String, businessDate: String) async throws -> [PrintJob]
    /// Marks a job printed; false when it was not a pending job of that kiosk.
    func markPrinted(ticketID: String, kioskID: String, at: Date) async throws -> Bool
    /// Replaces the kiosk's print-agent key (only its SHA-256 is kept).
    func setAgentKey(kioskID: String, key: String) async throws
    func agentKeyMatches(kioskID: String, key: String) async throws -> Bool
}

/// Counts a process's open connections per device, so a device with two tabs (or a quick reconnect) is shown as
/// disconnected only when its last connection ends.
public final class DevicePresenceTracker: Sendable {
    private struct Key: Hashable { let kind: DevicePresence.Kind; let id: String }
    private let open = Mutex<[Key: Int]>([:])
    private let store: any DeviceStore
    private let clock: any WallClock

    public init(store: any DeviceStore, clock: any WallClock) {
        self.store = store
        self.clock = clock
    }

    public func connected(_ kind: DevicePresence.Kind, _ id: String) async throws {
        open.withLock { $0[Key(kind: kind, id: id), default: 0] += 1 }
        try await store.recordPresence(DevicePresence(kind: kind, deviceID: id, lastSeenAt: clock.now(), connected: true))
    }

    /// How often an open connection renews its presence, so a device whose server died is not shown as connected.
    public static let refreshInterval: Duration = .seconds(60)
    /// A presence not renewed for this long counts as disconnected.
    public static let staleAfter: TimeInterval = 150

    public func stillConnected(_ kind: DevicePresence.Kind, _ id: String) async throws {
        try await store.recordPresence(DevicePresence(kind: kind, deviceID: id, lastSeenAt: clock.now(), connected: true))
    }

    /// Every device's last presence, across instances.
    public func presences() async throws -> [DevicePresence] { try await store.presences() }

    public func disconnected(_ kind: DevicePresence.Kind, _ id: String) async throws {
        let remaining = open.withLock { open -> Int in
            let key = Key(kind: kind, id: id)
            let count = max(0, (open[key] ?? 1) - 1)
            open[key] = count == 0 ? nil : count
            return count
        }
        try await store.recordPresence(DevicePresence(kind: kind, deviceID: id, lastSeenAt: clock.now(), connected: remaining > 0))
    }
}
