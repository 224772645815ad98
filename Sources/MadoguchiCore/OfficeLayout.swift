import Foundation

/// A place where visitors are served, e.g. 練馬区民事務所.
public struct Office: Codable, Sendable, Equatable {
    /// Stable slug used in URLs (`nerima`).
    public var id: String
    public var name: String
    /// When the office is open (web tickets are issued only then).
    public var hours: [OpeningHours]
    /// Business dates (YYYY-MM-DD) the office is closed although its hours say open: the city's own closed days.
    public var closedDays: [String]
    /// The name in visitor languages (`en: Nerima Ward Office`); Japanese and missing languages use `name`.
    public var names: LocalizedText
    public init(
        id: String, name: String, hours: [OpeningHours] = OpeningHours.weekdays, closedDays: [String] = [],
        names: LocalizedText = .empty
    ) {
        self.id = id
        self.name = name
        self.hours = hours
        self.closedDays = closedDays
        self.names = names
    }

    /// Open at this instant: within its hours and not on one of its closed days.
    public func isOpen(at date: Date) -> Bool {
        !closedDays.contains(CityCalendar.businessDate(of: date)) && OpeningHours.isOpen(hours, at: date)
    }

    enum CodingKeys: String, CodingKey { case id, name, hours, closedDays, names }

    /// Older documents have no `closedDays` and no `names`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        hours = try container.decode([OpeningHours].self, forKey: .hours)
        closedDays = try container.decodeIfPresent([String].self, forKey: .closedDays) ?? []
        names = try container.decodeIfPresent(LocalizedText.self, forKey: .names) ?? .empty
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(hours, forKey: .hours)
        try container.encode(closedDays, forKey: .closedDays)
        if !names.isEmpty { try container.encode(names, forKey: .names) }
    }

    public func name(in language: Language) -> String { names.name(name, in: language) }
}

/// One step of a service's route (受付, 審査, 交付). A stage belongs to exactly one service, so its waiting line is
/// unambiguous and `peopleAhead` is exact.
public struct Stage: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// The name in visitor languages (`en: Review`); nil or missing languages use `name`.
    public var names: LocalizedText?
    public init(id: String, name: String, names: LocalizedText? = nil) {
        self.id = id
        self.name = name
        self.names = names
    }

    public func name(in language: Language) -> String { (names ?? .empty).name(name, in: language) }
}

/// A procedure visitors take a ticket for (業務), with its own display prefix, number range and route of stages.
public struct Service: Codable, Sendable, Equatable {
    public var id: String
    public var officeID: String
    public var name: String
    /// Printed before the number, e.g. "A" in "A012".
    public var prefix: String
    public var numberRange: NumberRange
    /// The stages in the order a visitor goes through them; never empty.
    public var route: [Stage]
    /// The name in visitor languages; Japanese falls back to `name`.
    public var names: LocalizedText
    public var ticketStyle: TicketStyle
    /// The same procedure at other offices carries the same key (`juki`), so visitors can compare offices (W2);
    /// nil: the service is its own procedure.
    public var procedure: String?
    /// When and what subscribed visitors are told (W4).
    public var notifications: NotificationSettings
    /// Taking a number from home (W5); nil: not offered.
    public var webTicketing: WebTicketingRules?
    /// A symbol shown before the name on the kiosk (one or two characters, e.g. 📄); nil: none.
    public var icon: String?
    /// The kiosk button's colour (`#RRGGBB`, dark enough for white text at 7:1); nil: the standard blue.
    public var colour: String?

    public init(
        id: String, officeID: String, name: String, prefix: String, numberRange: NumberRange, route: [Stage],
        names: LocalizedText = .empty, ticketStyle: TicketStyle = .single, procedure: String? = nil,
        notifications: NotificationSettings = .standard, webTicketing: WebTicketingRules? = nil
    ) {
        self.webTicketing = webTicketing
        self.procedure = procedure
        self.notifications = notifications
        self.id = id
        self.officeID = officeID
        self.name = name
        self.prefix = prefix
        self.numberRange = numberRange
        self.route = route
        self.names = names
        self.ticketStyle = ticketStyle
    }

    public var procedureKey: String { procedure ?? id }

    /// The name visitors read in `language`.
    public func name(in language: Language) -> String { names.name(name, in: language) }

    /// The display form of a number: prefix plus the number padded to the width of the range's upper bound.
    public func displayNumber(_ number: Int) -> String {
        let width = String(numberRange.upperBound).count
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The stage after `stageID` on this service's route, or nil after the last stage or for a foreign stage.
    public func stage(after stageID: String) -> Stage? {
        guard let index = route.firstIndex(where: { $0.id == stageID }), index + 1 < route.count else { return nil }
        return route[index + 1]
    }
}

/// A desk that calls visitors; it serves one or more stages (possibly of several services).
public struct Counter: Codable, Sendable, Equatable {
    public var id: String
    public var officeID: String
    public var name: String
    public var stageIDs: [String]
    /// The name in visitor languages (`en: Counter 2`); nil or missing languages use `name`.
    public var names: LocalizedText?
    public init(id: String, officeID: String, name: String, stageIDs: [String], names: LocalizedText? = nil) {
        self.id = id
        self.officeID = officeID
        self.name = name
        self.stageIDs = stageIDs
        self.names = names
    }

    public func name(in language: Language) -> String { (names ?? .empty).name(name, in: language) }
}

/// The whole configured city: offices with their services, stages and counters, with lookups by id.
public struct OfficeLayout: Sendable, Equatable {
    public private(set) var offices: [Office]
    public private(set) var services: [Service]
    public private(set) var counters: [Counter]
    public private(set) var kiosks: [Kiosk]
    public private(set) var monitors: [Monitor]
    /// Web reservations: bookable procedures, their slots and rules (R1).
    public private(set) var reservations: ReservationSettings
    /// The city's name and emblem for the page headers.
    public private(set) var city: CityProfile
    private var officeIndex: [String: Int] = [:]
    private var serviceIndex: [String: Int] = [:]
    private var counterIndex: [String: Int] = [:]
    private var stageOwner: [String: Int] = [:]

    public init(
        offices: [Office], services: [Service], counters: [Counter], kiosks: [Kiosk] = [], monitors: [Monitor] = [],
        reservations: ReservationSettings = .empty, city: CityProfile = .unnamed
    ) {
        self.reservations = reservations
        self.city = city
        self.offices = offices
        self.services = services
        self.counters = counters
        self.kiosks = kiosks
        self.monitors = monitors
        for (i, office) in offices.enumerated() { officeIndex[office.id] = i }
        for (i, service) in services.enumerated() {
            serviceIndex[service.id] = i
            for stage in service.route { stageOwner[stage.id] = i }
        }
        for (i, counter) in counters.enumerated() { counterIndex[counter.id] = i }
    }

    public static let empty = OfficeLayout(offices: [], services: [], counters: [])

    public func office(_ id: String) -> Office? { officeIndex[id].map { offices[$0] } }
    public func service(_ id: String) -> Service? { serviceIndex[id].map { services[$0] } }
    public func counter(_ id: String) -> Counter? { counterIndex[id].map { counters[$0] } }
    /// The service whose route contains the stage.
    public func service(owningStage stageID: String) -> Service? { stageOwner[stageID].map { services[$0] } }
    public func stage(_ id: String) -> Stage? { service(owningStage: id)?.route.first { $0.id == id } }

    /// Names as a visitor reads them: the configured translation, else the Japanese name (else the office's id).
    public func officeName(_ id: String, in language: Language) -> String { office(id)?.name(in: language) ?? id }
    public func stageName(_ id: String, in language: Language) -> String { stage(id)?.name(in: language) ?? "" }
    public func counterName(_ id: String, in language: Language) -> String { counter(id)?.name(in: language) ?? "" }
    public func kiosk(_ id: String) -> Kiosk? { kiosks.first { $0.id == id } }
    public func monitor(_ id: String) -> Monitor? { monitors.first { $0.id == id } }
    public func services(in officeID: String) -> [Service] { services.filter { $0.officeID == officeID } }
    public func counters(in officeID: String) -> [Counter] { counters.filter { $0.officeID == officeID } }
    public func counters(servingStage stageID: String) -> [Counter] { counters.filter { $0.stageIDs.contains(stageID) } }

    /// Checks references and ranges; returns every fault found so a bad layout is rejected whole.
    public func validate() -> [String] {
        var faults: [String] = []
        var seen = Set<String>()
        func unique(_ kind: String, _ id: String) {
            if !Slug.isValid(id) { faults.append("\(kind) '\(id)': IDは英小文字・数字・ハイフンで指定してください") }
            if !seen.insert(id).inserted { faults.append("\(kind) '\(id)': IDが重複しています") }
        }
        for office in offices {
            unique("office", office.id)
            for day in office.closedDays where CityCalendar.date(ofBusinessDay: day) == nil {
                faults.append("office '\(office.id)': 休業日「\(day)」は YYYY-MM-DD の実在する日付で指定してください")
            }
        }
        for service in services {
            unique("service", service.id)
            if office(service.officeID) == nil { faults.append("service '\(service.id)': 窓口 '\(service.officeID)' がありません") }
            if service.route.isEmpty { faults.append("service '\(service.id)': 段階が1つ以上必要です") }
            for fault in service.numberRange.validate(dailyNeed: service.webTicketing?.dailyQuota ?? 1) {
                faults.append("service '\(service.id)': \(fault)")
            }
            for stage in service.route { unique("stage", stage.id) }
            if let icon = service.icon, icon.isEmpty || icon.count > 2 {
                faults.append("service '\(service.id)': アイコンは1〜2文字で指定してください")
            }
            if let colour = service.colour {
                if let ratio = ContrastRatio.againstWhite(hex: colour) {
                    if ratio < 7 {
                        faults.append("service '\(service.id)': 色 \(colour) は白い文字とのコントラストが \(String(format: "%.1f", ratio)):1 です。7:1 以上になる濃い色を指定してください")
                    }
                } else {
                    faults.append("service '\(service.id)': 色は #RRGGBB の形で指定してください")
                }
            }
            for fault in service.notifications.validate() + (service.webTicketing?.validate() ?? []) {
                faults.append("service '\(service.id)': \(fault)")
            }
        }
        for counter in counters {
            unique("counter", counter.id)
            if office(counter.officeID) == nil { faults.append("counter '\(counter.id)': 窓口 '\(counter.officeID)' がありません") }
            for stageID in counter.stageIDs where service(owningStage: stageID)?.officeID != counter.officeID {
                faults.append("counter '\(counter.id)': 段階 '\(stageID)' はこの窓口にありません")
            }
        }
        let deviceFaults = validateDevices(unique: unique)
        return faults + deviceFaults + reservations.validate(in: self) + city.validate()
    }

    private func validateDevices(unique: (String, String) -> Void) -> [String] {
        var faults: [String] = []
        for kiosk in kiosks {
            unique("kiosk", kiosk.id)
            if office(kiosk.officeID) == nil { faults.append("kiosk '\(kiosk.id)': 窓口 '\(kiosk.officeID)' がありません") }
            if kiosk.menuSets.isEmpty { faults.append("kiosk '\(kiosk.id)': メニューが1つ以上必要です") }
            if kiosk.menuSet(kiosk.defaultMenuSetID) == nil {
                faults.append("kiosk '\(kiosk.id)': 既定のメニュー '\(kiosk.defaultMenuSetID)' がありません")
            }
            for set in kiosk.menuSets {
                for serviceID in set.serviceIDs where service(serviceID)?.officeID != kiosk.officeID {
                    faults.append("kiosk '\(kiosk.id)' menu '\(set.id)': 業務 '\(serviceID)' はこの窓口にありません")
                }
            }
            for rule in kiosk.schedule {
                if kiosk.menuSet(rule.menuSetID) == nil { faults.append("kiosk '\(kiosk.id)': 時間割のメニュー '\(rule.menuSetID)' がありません") }
                if !(0...1440).contains(rule.from) || !(0...1440).contains(rule.until) || rule.from >= rule.until
                    || rule.weekdays.contains(where: { !(1...7).contains($0) })
                {
                    faults.append("kiosk '\(kiosk.id)': 時間割の曜日または時刻が不正です")
                }
            }
        }
        for monitor in monitors {
            unique("monitor", monitor.id)
            if office(monitor.officeID) == nil { faults.append("monitor '\(monitor.id)': 窓口 '\(monitor.officeID)' がありません") }
            for serviceID in monitor.serviceIDs where service(serviceID)?.officeID != monitor.officeID {
                faults.append("monitor '\(monitor.id)': 業務 '\(serviceID)' はこの窓口にありません")
            }
            if !(0...1).contains(monitor.volume) { faults.append("monitor '\(monitor.id)': 音量は0から1で指定してください") }
            if monitor.rotationSeconds < 3 { faults.append("monitor '\(monitor.id)': 切替秒数は3秒以上にしてください") }
            if monitor.announceLanguages.isEmpty { faults.append("monitor '\(monitor.id)': 放送の言語が1つ以上必要です") }
        }
        return faults
    }
}

/// Identifiers of configuration objects: short, URL-safe, stable.
public enum Slug {
    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
