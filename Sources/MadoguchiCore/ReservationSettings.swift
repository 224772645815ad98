import Foundation

/// Web reservations (R1–R10): which procedures can be booked, where, in which slots and by which rules. Part of
/// the city's configuration document (`reservations:`), edited on `/admin/settings`.
public struct ReservationSettings: Codable, Sendable, Equatable {
    /// The 4-digit office codes of imported reservation IDs (R4). A list of pairs rather than a dictionary: YAML
    /// and JSON decoders disagree on keys that look like numbers ("0001").
    public var officeCodes: [ReservationOfficeCode]
    public var procedures: [ReservationProcedure]
    /// The hour (Japan time) from which reminders for the next day's bookings are sent (R7).
    public var reminderHour: Int
    /// How long a chosen time is held for the visitor filling in the form (R5).
    public var holdMinutes: Int

    public init(officeCodes: [String: String] = [:], procedures: [ReservationProcedure] = [], reminderHour: Int = 9, holdMinutes: Int = 5) {
        self.holdMinutes = holdMinutes
        self.officeCodes = officeCodes.sorted { $0.key < $1.key }.map { ReservationOfficeCode(code: $0.key, officeID: $0.value) }
        self.procedures = procedures
        self.reminderHour = reminderHour
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        officeCodes = try c.decodeIfPresent([ReservationOfficeCode].self, forKey: .officeCodes) ?? []
        procedures = try c.decodeIfPresent([ReservationProcedure].self, forKey: .procedures) ?? []
        reminderHour = try c.decodeIfPresent(Int.self, forKey: .reminderHour) ?? 9
        holdMinutes = try c.decodeIfPresent(Int.self, forKey: .holdMinutes) ?? 5
    }

    public static let empty = ReservationSettings()

    public func procedure(_ id: String) -> ReservationProcedure? { procedures.first { $0.id == id } }
    public func officeID(ofCode code: String) -> String? { officeCodes.first { $0.code == code }?.officeID }
    public var knownOfficeCodes: Set<String> { Set(officeCodes.map(\.code)) }

    /// Faults in the form `reservation 'id': …` (placed under `reservations` by `CityConfiguration.faults()`).
    public func validate(in layout: OfficeLayout) -> [String] {
        var faults: [String] = []
        var seenCodes = Set<String>()
        for (code, officeID) in officeCodes.map({ ($0.code, $0.officeID) }) {
            if !seenCodes.insert(code).inserted { faults.append("reservation 'officeCodes': 窓口コード「\(code)」が重複しています") }
            if code.count != 4 || !code.allSatisfy({ $0.isASCII && $0.isNumber }) {
                faults.append("reservation 'officeCodes': 窓口コード「\(code)」は数字4桁で指定してください")
            }
            if layout.office(officeID) == nil { faults.append("reservation 'officeCodes': 窓口 '\(officeID)' がありません") }
        }
        var seen = Set<String>()
        for procedure in procedures {
            let name = "reservation '\(procedure.id)'"
            if !Slug.isValid(procedure.id) { faults.append("\(name): IDは英小文字・数字・ハイフンで指定してください") }
            if !seen.insert(procedure.id).inserted { faults.append("\(name): IDが重複しています") }
            if procedure.name.isEmpty { faults.append("\(name): 名前が必要です") }
            if procedure.offices.isEmpty { faults.append("\(name): 窓口が1つ以上必要です") }
            for officeID in procedure.offices where layout.office(officeID) == nil { faults.append("\(name): 窓口 '\(officeID)' がありません") }
            for (officeID, serviceID) in procedure.serviceIDs.sorted(by: { $0.key < $1.key }) where layout.service(serviceID)?.officeID != officeID {
                faults.append("\(name): 来庁受付の業務 '\(serviceID)' は窓口 '\(officeID)' にありません")
            }
            if let saturday = procedure.saturdayOfficeID, !procedure.offices.contains(saturday) {
                faults.append("\(name): 土曜日の窓口 '\(saturday)' が窓口の一覧にありません")
            }
            for band in procedure.templates + procedure.overrides.flatMap(\.bands) {
                if !procedure.offices.contains(band.officeID) { faults.append("\(name): 枠の窓口 '\(band.officeID)' が窓口の一覧にありません") }
                if !ReservationProcedure.slotLengths.contains(band.slotMinutes) {
                    faults.append("\(name): 枠の長さは \(ReservationProcedure.slotLengths.map(String.init).joined(separator: "・"))分のいずれかです")
                }
                if !(0..<1440).contains(band.from) || !(1...1440).contains(band.until) || band.from + band.slotMinutes > band.until {
                    faults.append("\(name): 枠の時刻が不正です（開始 \(band.from)分・終了 \(band.until)分）")
                }
                if band.capacity < 1 || band.capacity > 999 { faults.append("\(name): 枠の定員は1から999です") }
                if band.weekdays.contains(where: { !(1...7).contains($0) }) { faults.append("\(name): 曜日は1（日）から7（土）です") }
            }
            for override in procedure.overrides where CityCalendar.date(ofBusinessDay: override.date) == nil {
                faults.append("\(name): 日付「\(override.date)」は YYYY-MM-DD の実在する日付で指定してください")
            }
            if let published = procedure.publishedFrom, CityCalendar.date(ofBusinessDay: published) == nil {
                faults.append("\(name): 公開日「\(published)」は YYYY-MM-DD の実在する日付で指定してください")
            }
            if procedure.openDaysAhead < 1 || procedure.openDaysAhead > 366 { faults.append("\(name): 受付開始は1日前から366日前までです") }
            if procedure.closeBusinessDays < 0 || procedure.saturdayCloseBusinessDays < 0 || procedure.changeBusinessDays < 0 {
                faults.append("\(name): 締切の開庁日数は0以上です")
            }
            if procedure.purgeAfterDays < 0 { faults.append("\(name): 連絡先の消去日数は0以上です") }
        }
        if !(1...60).contains(holdMinutes) { faults.append("reservation 'holdMinutes': 選んだ時間を確保する分数は1から60です") }
        if !(0...23).contains(reminderHour) { faults.append("reservation 'reminderHour': 前日のお知らせの時刻は0から23時です") }
        return faults
    }
}

/// A 4-digit code in the reservation-ID file and the office it stands for.
public struct ReservationOfficeCode: Codable, Sendable, Equatable {
    public var code: String
    public var officeID: String
    public init(code: String, officeID: String) {
        self.code = code
        self.officeID = officeID
    }
}

/// A procedure that can be booked on the web (R1).
public struct ReservationProcedure: Codable, Sendable, Equatable {
    public static let slotLengths = [5, 10, 15, 20, 30, 45, 60, 90, 120]

    public var id: String
    public var name: String
    /// Names in en / zh-Hans / ko.
    public var names: LocalizedText
    /// MyNumber-card pickup: only imported reservation IDs book, each at its own office (R4).
    public var requiresReservationID: Bool
    public var offices: [String]
    /// The queue service a checked-in booking gets its priority ticket for, per office (R10).
    public var serviceIDs: [String: String]
    /// Weekly slot bands; an override replaces one office's bands on one date (an empty override closes it).
    public var templates: [SlotTemplate]
    public var overrides: [SlotOverride]
    /// Slots are offered from this date on (YYYY-MM-DD), whatever the window.
    public var publishedFrom: String?
    /// Booking opens this many days ahead …
    public var openDaysAhead: Int
    /// … and closes this many business days before the day (Saturday slots: `saturdayCloseBusinessDays`).
    public var closeBusinessDays: Int
    public var saturdayCloseBusinessDays: Int
    /// The office whose Saturday slots accept every imported ID, whatever its office (R4).
    public var saturdayOfficeID: String?
    /// Visitors change or cancel on the web until this many business days before (staff can still do it).
    public var changeBusinessDays: Int
    /// Days after the booking date when phone and e-mail are erased.
    public var purgeAfterDays: Int
    /// E-mail texts; missing ones use `ReservationMailTemplates.standard`.
    public var mail: ReservationMailTemplates
    /// E-mail texts for visitors who booked in another language (`en`, `zh-Hans`, `ko`); missing ones use the
    /// standard texts of that language.
    public var mailTranslations: [String: ReservationMailTemplates]
    /// What to bring, one item per line, in the visitor languages (`ja` first); shown on the confirmation and in
    /// the calendar entry.
    public var bring: LocalizedText

    public init(
        id: String, name: String, names: LocalizedText = .empty, requiresReservationID: Bool = false, offices: [String],
        serviceIDs: [String: String] = [:], templates: [SlotTemplate], overrides: [SlotOverride] = [], publishedFrom: String? = nil,
        openDaysAhead: Int = 45, closeBusinessDays: Int = 3, saturdayCloseBusinessDays: Int = 5, saturdayOfficeID: String? = nil,
        changeBusinessDays: Int = 1, purgeAfterDays: Int = 30, mail: ReservationMailTemplates = .standard,
        mailTranslations: [String: ReservationMailTemplates] = [:], bring: LocalizedText = .empty
    ) {
        self.mailTranslations = mailTranslations
        self.bring = bring
        self.id = id
        self.name = name
        self.names = names
        self.requiresReservationID = requiresReservationID
        self.offices = offices
        self.serviceIDs = serviceIDs
        self.templates = templates
        self.overrides = overrides
        self.publishedFrom = publishedFrom
        self.openDaysAhead = openDaysAhead
        self.closeBusinessDays = closeBusinessDays
        self.saturdayCloseBusinessDays = saturdayCloseBusinessDays
        self.saturdayOfficeID = saturdayOfficeID
        self.changeBusinessDays = changeBusinessDays
        self.purgeAfterDays = purgeAfterDays
        self.mail = mail
    }

    /// Every key but `id`, `name`, `offices` and `templates` may be left out of a configuration document.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id), name: try c.decode(String.self, forKey: .name),
            names: try c.decodeIfPresent(LocalizedText.self, forKey: .names) ?? .empty,
            requiresReservationID: try c.decodeIfPresent(Bool.self, forKey: .requiresReservationID) ?? false,
            offices: try c.decode([String].self, forKey: .offices),
            serviceIDs: try c.decodeIfPresent([String: String].self, forKey: .serviceIDs) ?? [:],
            templates: try c.decode([SlotTemplate].self, forKey: .templates),
            overrides: try c.decodeIfPresent([SlotOverride].self, forKey: .overrides) ?? [],
            publishedFrom: try c.decodeIfPresent(String.self, forKey: .publishedFrom),
            openDaysAhead: try c.decodeIfPresent(Int.self, forKey: .openDaysAhead) ?? 45,
            closeBusinessDays: try c.decodeIfPresent(Int.self, forKey: .closeBusinessDays) ?? 3,
            saturdayCloseBusinessDays: try c.decodeIfPresent(Int.self, forKey: .saturdayCloseBusinessDays) ?? 5,
            saturdayOfficeID: try c.decodeIfPresent(String.self, forKey: .saturdayOfficeID),
            changeBusinessDays: try c.decodeIfPresent(Int.self, forKey: .changeBusinessDays) ?? 1,
            purgeAfterDays: try c.decodeIfPresent(Int.self, forKey: .purgeAfterDays) ?? 30,
            mail: try c.decodeIfPresent(ReservationMailTemplates.self, forKey: .mail) ?? .standard,
            mailTranslations: try c.decodeIfPresent([String: ReservationMailTemplates].self, forKey: .mailTranslations) ?? [:],
            bring: try c.decodeIfPresent(LocalizedText.self, forKey: .bring) ?? .empty)
    }

    /// The things to bring in `language`, one per entry.
    public func bringList(in language: Language) -> [String] {
        bring.text(language).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public func name(in language: Language) -> String {
        language == .ja ? name : (names.values[language.rawValue].flatMap { $0.isEmpty ? nil : $0 } ?? name)
    }

    /// The e-mail texts for a visitor who booked in `language`.
    public func mail(in language: Language) -> ReservationMailTemplates {
        language == .ja ? mail : mailTranslations[language.rawValue] ?? ReservationMailTemplates.standard(in: language)
    }
}

/// Slots on some weekdays at one office: from `from` to `until` (minutes after midnight), `slotMinutes` long,
/// `capacity` bookings each.
public struct SlotTemplate: Codable, Sendable, Equatable {
    public var officeID: String
    /// 1 = Sunday … 7 = Saturday.
    public var weekdays: [Int]
    public var from: Int
    public var until: Int
    public var slotMinutes: Int
    public var capacity: Int
    public init(officeID: String, weekdays: [Int], from: Int, until: Int, slotMinutes: Int, capacity: Int) {
        self.officeID = officeID
        self.weekdays = weekdays
        self.from = from
        self.until = until
        self.slotMinutes = slotMinutes
        self.capacity = capacity
    }
}

/// One office's slots on one date replaced: these bands instead of the weekly ones (none: closed for bookings). An
/// override also opens a day the calendar closes (a special opening day).
public struct SlotOverride: Codable, Sendable, Equatable {
    public var officeID: String
    public var date: String
    public var bands: [SlotTemplate]
    public init(officeID: String, date: String, bands: [SlotTemplate]) {
        self.officeID = officeID
        self.date = date
        self.bands = bands
    }
}
