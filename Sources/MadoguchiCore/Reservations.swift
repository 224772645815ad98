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

/// The texts of booking e-mails (R7). `{code}`, `{procedure}`, `{office}`, `{date}`, `{time}`, `{url}` and
/// `{reason}` are replaced.
public struct ReservationMailTemplates: Codable, Sendable, Equatable {
    public struct Text: Codable, Sendable, Equatable {
        public var subject: String
        public var body: String
        public init(subject: String, body: String) {
            self.subject = subject
            self.body = body
        }
    }
    public var booked: Text
    public var changed: Text
    public var cancelled: Text
    public var reminder: Text

    public init(booked: Text, changed: Text, cancelled: Text, reminder: Text) {
        self.booked = booked
        self.changed = changed
        self.cancelled = cancelled
        self.reminder = reminder
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let standard = Self.standard
        booked = try c.decodeIfPresent(Text.self, forKey: .booked) ?? standard.booked
        changed = try c.decodeIfPresent(Text.self, forKey: .changed) ?? standard.changed
        cancelled = try c.decodeIfPresent(Text.self, forKey: .cancelled) ?? standard.cancelled
        reminder = try c.decodeIfPresent(Text.self, forKey: .reminder) ?? standard.reminder
    }

    static let footer = """

        予約コード: {code}
        お手続き: {procedure}
        窓口: {office}
        日時: {date} {time}

        予約の確認・変更・取消: {url}
        （予約番号または予約コードと、ご自身で決めた4桁のパスワードが必要です）

        このメールは送信専用です。
        """

    public static let standard = ReservationMailTemplates(
        booked: Text(subject: "【予約完了】{procedure} {date} {time}",
                     body: "ご予約を承りました。当日は予約時刻までに窓口へお越しください。\n" + footer),
        changed: Text(subject: "【予約変更】{procedure} {date} {time}", body: "ご予約の日時を変更しました。\n" + footer),
        cancelled: Text(subject: "【予約取消】{procedure} {date} {time}", body: "ご予約を取り消しました。{reason}\n" + footer),
        reminder: Text(subject: "【明日のご予約】{procedure} {date} {time}",
                       body: "明日はご予約の日です。予約時刻までに窓口へお越しください。\n" + footer))

    public static func standard(in language: Language) -> ReservationMailTemplates {
        switch language {
        case .ja: standard
        case .en: english
        case .zhHans: chinese
        case .ko: korean
        }
    }

    static let english = ReservationMailTemplates(
        booked: Text(subject: "Booking confirmed: {procedure}, {date} {time}",
                     body: "Your booking is confirmed. Please come to the office by the booked time.\n" + Self.footer(
                        ["Booking code", "Procedure", "Office", "Date and time", "View, change or cancel", "(you need the booking code or reservation ID and your 4-digit password)", "This is a send-only address."])),
        changed: Text(subject: "Booking changed: {procedure}, {date} {time}", body: "The time of your booking has been changed.\n" + Self.footer(
            ["Booking code", "Procedure", "Office", "Date and time", "View, change or cancel", "(you need the booking code or reservation ID and your 4-digit password)", "This is a send-only address."])),
        cancelled: Text(subject: "Booking cancelled: {procedure}, {date} {time}", body: "Your booking has been cancelled.{reason}\n" + Self.footer(
            ["Booking code", "Procedure", "Office", "Date and time", "View, change or cancel", "(you need the booking code or reservation ID and your 4-digit password)", "This is a send-only address."])),
        reminder: Text(subject: "Tomorrow: {procedure}, {date} {time}", body: "Your booking is tomorrow. Please come to the office by the booked time.\n" + Self.footer(
            ["Booking code", "Procedure", "Office", "Date and time", "View, change or cancel", "(you need the booking code or reservation ID and your 4-digit password)", "This is a send-only address."])))

    static let chinese = ReservationMailTemplates(
        booked: Text(subject: "【预约完成】{procedure} {date} {time}", body: "预约已完成。请在预约时间前到窗口办理。\n" + Self.footer(chineseLabels)),
        changed: Text(subject: "【预约变更】{procedure} {date} {time}", body: "预约时间已变更。\n" + Self.footer(chineseLabels)),
        cancelled: Text(subject: "【预约取消】{procedure} {date} {time}", body: "预约已取消。{reason}\n" + Self.footer(chineseLabels)),
        reminder: Text(subject: "【明天的预约】{procedure} {date} {time}", body: "明天是您的预约日。请在预约时间前到窗口办理。\n" + Self.footer(chineseLabels)))
    static let chineseLabels = ["预约代码", "手续", "窗口", "日期时间", "确认·变更·取消预约", "（需要预约代码或预约号码，以及您设定的4位密码）", "本邮件为系统自动发送，请勿回复。"]

    static let korean = ReservationMailTemplates(
        booked: Text(subject: "【예약 완료】{procedure} {date} {time}", body: "예약이 완료되었습니다. 예약 시간까지 창구로 와 주세요.\n" + Self.footer(koreanLabels)),
        changed: Text(subject: "【예약 변경】{procedure} {date} {time}", body: "예약 일시를 변경했습니다.\n" + Self.footer(koreanLabels)),
        cancelled: Text(subject: "【예약 취소】{procedure} {date} {time}", body: "예약을 취소했습니다.{reason}\n" + Self.footer(koreanLabels)),
        reminder: Text(subject: "【내일 예약】{procedure} {date} {time}", body: "내일은 예약일입니다. 예약 시간까지 창구로 와 주세요.\n" + Self.footer(koreanLabels)))
    static let koreanLabels = ["예약 코드", "수속", "창구", "일시", "예약 확인·변경·취소", "(예약 코드 또는 예약번호와 직접 정한 4자리 비밀번호가 필요합니다)", "이 메일은 발신 전용입니다."]

    /// The details block under each message: code, procedure, office, date, and where to manage the booking.
    static func footer(_ labels: [String]) -> String {
        """

        \(labels[0]): {code}
        \(labels[1]): {procedure}
        \(labels[2]): {office}
        \(labels[3]): {date} {time}

        \(labels[4]): {url}
        \(labels[5])

        \(labels[6])
        """
    }

    public func text(_ kind: ReservationMailKind) -> Text {
        switch kind {
        case .booked: booked
        case .changed: changed
        case .cancelled: cancelled
        case .reminder: reminder
        }
    }
}

public enum ReservationMailKind: String, Sendable, Codable {
    case booked, changed, cancelled, reminder
}

/// A slot's start as the city's local time: `2026-12-10T09:30` (Japan time). Its text is the slot's key.
public struct SlotTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let date: String
    /// Minutes after midnight.
    public let minute: Int

    public init?(date: String, minute: Int) {
        guard CityCalendar.date(ofBusinessDay: date) != nil, (0..<1440).contains(minute) else { return nil }
        self.date = date
        self.minute = minute
    }

    /// `2026-12-10T09:30`, also with seconds and `+09:00` (what the API writes); other offsets are refused.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.hasSuffix("+09:00") { rest = rest.dropLast(6) }
        if rest.hasSuffix(".000") { rest = rest.dropLast(4) }
        let parts = rest.split(separator: "T")
        guard parts.count == 2 else { return nil }
        let clock = parts[1].split(separator: ":").map { Int($0) }
        guard clock.count == 2 || clock.count == 3, parts[1].count == 5 || parts[1].count == 8, let hour = clock[0], let minute = clock[1],
              (0..<24).contains(hour), (0..<60).contains(minute), clock.count == 2 || clock[2] == 0 else { return nil }
        self.init(date: String(parts[0]), minute: hour * 60 + minute)
    }

    /// `2026-12-10T09:30`.
    public var description: String { "\(date)T\(clockText)" }
    /// `09:30`.
    public var clockText: String { ClockTime.text(minute) }
    /// `2026-12-10T09:30:00+09:00`, as the API writes it.
    public var isoText: String { "\(date)T\(clockText):00+09:00" }
    public var instant: Date { CityCalendar.date(ofBusinessDay: date)!.addingTimeInterval(Double(minute) * 60) }

    public static func < (a: SlotTime, b: SlotTime) -> Bool { (a.date, a.minute) < (b.date, b.minute) }
}

public struct Slot: Sendable, Equatable {
    public var start: SlotTime
    public var minutes: Int
    public var capacity: Int
}

/// ○ free, △ one left, × full or not bookable (R2): the public never sees counts.
public enum AvailabilityMark: String, Codable, Sendable {
    case free = "○"
    case few = "△"
    case full = "×"

    public static func of(remaining: Int) -> AvailabilityMark { remaining <= 0 ? .full : remaining == 1 ? .few : .free }
}

/// A reservation ID the city imported for MyNumber-card pickup (R4).
public struct ImportedReservationID: Sendable, Equatable {
    public var id: String
    public var officeCode: String
    /// YYYY-MM-DD; when present, booking asks for it (identity check).
    public var birthDate: String?
    public init(id: String, officeCode: String, birthDate: String? = nil) {
        self.id = id
        self.officeCode = officeCode
        self.birthDate = birthDate
    }
}

/// Why a booking, change or cancellation is refused; each has an API code, an HTTP status and a Japanese message.
public enum ReservationRefusal: Error, Equatable, Sendable {
    case procedureNotFound
    case officeNotOffered
    case slotFull
    case idAlreadyBooked
    case outsideWindow(String)
    case wrongOffice
    case unknownID
    case birthDateMismatch
    case noSuchSlot
    case invalidField(field: String, message: String)
    case wrongPassword
    case locked
    case notFound
    case notActive
    case changeClosed
    case noQueueService
    case holdExpired
    /// Too many identity or password checks for one ID or from one client address.
    case tooManyAttempts

    public var code: String {
        switch self {
        case .procedureNotFound: "procedure_not_found"
        case .officeNotOffered: "office_not_offered"
        case .slotFull: "slot_full"
        case .idAlreadyBooked: "id_already_booked"
        case .outsideWindow: "outside_window"
        case .wrongOffice: "wrong_office"
        case .unknownID: "unknown_id"
        case .birthDateMismatch: "birth_date_mismatch"
        case .noSuchSlot: "no_such_slot"
        case .invalidField: "invalid_field"
        case .wrongPassword: "wrong_password"
        case .locked: "reservation_locked"
        case .notFound: "reservation_not_found"
        case .notActive: "reservation_not_active"
        case .changeClosed: "change_closed"
        case .noQueueService: "no_queue_service"
        case .holdExpired: "hold_expired"
        case .tooManyAttempts: "too_many_attempts"
        }
    }

    /// 409 for what another booking took, 422 for a rule, 404 for what is not there, 403 for a wrong password.
    public var status: Int {
        switch self {
        case .slotFull, .idAlreadyBooked, .notActive: 409
        case .procedureNotFound, .notFound: 404
        case .wrongPassword: 403
        case .locked, .tooManyAttempts: 429
        default: 422
        }
    }

    public var message: String {
        switch self {
        case .procedureNotFound: "この手続きはウェブ予約を受け付けていません。"
        case .officeNotOffered: "この窓口ではこの手続きの予約を受け付けていません。"
        case .slotFull: "この時間は満員になりました。別の時間をお選びください。"
        case .idAlreadyBooked: "この予約番号では、すでに予約があります。変更または取消をしてから予約してください。"
        case .outsideWindow(let reason): reason
        case .wrongOffice: "この予約番号は、この窓口では予約できません。通知書に記載の窓口をお選びください。"
        case .unknownID: "予約番号または生年月日が登録と一致しません。通知書に記載の英数字8桁と、生年月日をご確認ください。"
        case .birthDateMismatch: "予約番号または生年月日が登録と一致しません。"
        case .noSuchSlot: "その日時には予約枠がありません。"
        case .invalidField(_, let message): message
        case .wrongPassword: "予約番号（または予約コード）かパスワードが違います。"
        case .locked: "パスワードを続けて間違えたため、30分間この予約の操作を止めています。"
        case .notFound: "予約番号（または予約コード）かパスワードが違います。"
        case .notActive: "この予約はすでに取り消されたか、受付済みです。"
        case .changeClosed: "ウェブでの変更・取消の受付は終了しました。お手数ですが窓口へお電話ください。"
        case .noQueueService: "この手続きの来庁受付に使う業務が設定されていません（予約の設定で業務を指定してください）。"
        case .holdExpired: "確保した時間の期限が切れました。もう一度時間を選んでください。"
        case .tooManyAttempts: "確認に続けて失敗したため、しばらく操作を止めています。15分ほどしてからお試しください。"
        }
    }
}

/// The booking rules of R1 and R4, pure: which slots a procedure has on a date, and whether one may be booked now.
public struct ReservationRules: Sendable {
    public var layout: OfficeLayout
    public var holidays: JapaneseHolidays
    public init(layout: OfficeLayout, holidays: JapaneseHolidays = JapaneseHolidays()) {
        self.layout = layout
        self.holidays = holidays
    }

    /// The city's calendar with the office's own closed days.
    public func calendar(officeID: String) -> BusinessCalendar {
        BusinessCalendar(holidays: holidays, closedDays: Set(layout.office(officeID)?.closedDays ?? []))
    }

    /// The slots of a procedure at an office on a date: the date's override, else the weekday's bands on a day
    /// that is not a holiday, the year-end closure or a closed day of the office (Saturdays and Sundays only where
    /// a band names them).
    public func slots(_ procedure: ReservationProcedure, officeID: String, date: String) -> [Slot] {
        guard let day = CityCalendar.date(ofBusinessDay: date) else { return [] }
        let bands: [SlotTemplate]
        if let override = procedure.overrides.first(where: { $0.officeID == officeID && $0.date == date }) {
            bands = override.bands
        } else {
            if let reason = calendar(officeID: officeID).closure(of: date), reason != "土曜日", reason != "日曜日" { return [] }
            let weekday = CityCalendar.gregorian.component(.weekday, from: day)
            bands = procedure.templates.filter { $0.officeID == officeID && $0.weekdays.contains(weekday) }
        }
        return bands.flatMap { band in
            stride(from: band.from, through: band.until - band.slotMinutes, by: band.slotMinutes).compactMap { minute in
                SlotTime(date: date, minute: minute).map { Slot(start: $0, minutes: band.slotMinutes, capacity: band.capacity) }
            }
        }.sorted { $0.start < $1.start }
    }

    public func slot(_ procedure: ReservationProcedure, officeID: String, start: SlotTime) -> Slot? {
        slots(procedure, officeID: officeID, date: start.date).first { $0.start == start }
    }

    static func isSaturday(_ date: String) -> Bool {
        CityCalendar.date(ofBusinessDay: date).map { CityCalendar.gregorian.component(.weekday, from: $0) == 7 } ?? false
    }

    /// Why the date is outside the booking window at `now`, or nil: it opens `openDaysAhead` days before (and not
    /// before `publishedFrom`) and closes `closeBusinessDays` business days before (`saturdayCloseBusinessDays`
    /// for Saturday slots).
    public func windowRefusal(_ procedure: ReservationProcedure, officeID: String, start: SlotTime, now: Date) -> ReservationRefusal? {
        let today = CityCalendar.businessDate(of: now)
        if let published = procedure.publishedFrom, today < published {
            return .outsideWindow("この手続きの予約は\(JapaneseDate.text(published))から受け付けます。")
        }
        guard start.instant > now else { return .outsideWindow("過ぎた日時は予約できません。") }
        let days = Self.days(from: today, to: start.date)
        if days > procedure.openDaysAhead {
            return .outsideWindow("この日の予約は\(procedure.openDaysAhead)日前（\(JapaneseDate.text(JapaneseHolidays.adding(-procedure.openDaysAhead, to: start.date)))）から受け付けます。")
        }
        let closeDays = Self.isSaturday(start.date) ? procedure.saturdayCloseBusinessDays : procedure.closeBusinessDays
        guard closeDays > 0 else { return nil }
        let lastDay = calendar(officeID: officeID).businessDay(closeDays, before: start.date)
        if today > lastDay {
            return .outsideWindow("この日の予約受付は\(JapaneseDate.text(lastDay))（\(closeDays)開庁日前）で終了しました。")
        }
        return nil
    }

    /// Whether a visitor may still change or cancel a booking for `start` on the web.
    public func changeOpen(_ procedure: ReservationProcedure, officeID: String, start: SlotTime, now: Date) -> Bool {
        guard start.instant > now else { return false }
        guard procedure.changeBusinessDays > 0 else { return true }
        return CityCalendar.businessDate(of: now) <= calendar(officeID: officeID).businessDay(procedure.changeBusinessDays, before: start.date)
    }

    /// Whether an imported ID may book at this office on this date: its own office, or the Saturday office on a
    /// Saturday (R4).
    public func officeRefusal(_ procedure: ReservationProcedure, id: ImportedReservationID, officeID: String, settings: ReservationSettings,
                              date: String) -> ReservationRefusal? {
        if settings.officeID(ofCode: id.officeCode) == officeID { return nil }
        if Self.isSaturday(date), procedure.saturdayOfficeID == officeID { return nil }
        return .wrongOffice
    }

    /// Whole days from `a` to `b` (both YYYY-MM-DD).
    static func days(from a: String, to b: String) -> Int {
        guard let from = CityCalendar.date(ofBusinessDay: a), let to = CityCalendar.date(ofBusinessDay: b) else { return 0 }
        return Int((to.timeIntervalSince(from) / 86_400).rounded())
    }

    /// Marks of the slots of a date: × where full, outside the window or past.
    public func slotMarks(_ procedure: ReservationProcedure, officeID: String, date: String, booked: [String: Int], now: Date)
        -> [(slot: Slot, mark: AvailabilityMark)]
    {
        slots(procedure, officeID: officeID, date: date).map { slot in
            let open = windowRefusal(procedure, officeID: officeID, start: slot.start, now: now) == nil
            return (slot, open ? AvailabilityMark.of(remaining: slot.capacity - (booked[slot.start.description] ?? 0)) : .full)
        }
    }

    /// The mark of each date of a month (`YYYY-MM`): ○ while two or more seats are left that day, △ for one, ×
    /// for none or no slots.
    public func dayMarks(_ procedure: ReservationProcedure, officeID: String, month: String, booked: [String: Int], now: Date)
        -> [(date: String, mark: AvailabilityMark)]
    {
        JapaneseDate.days(ofMonth: month).map { date in
            let remaining = slotMarks(procedure, officeID: officeID, date: date, booked: booked, now: now)
                .filter { $0.mark != .full }.reduce(0) { $0 + $1.slot.capacity - (booked[$1.slot.start.description] ?? 0) }
            return (date, AvailabilityMark.of(remaining: remaining))
        }
    }
}

/// Dates as visitors read them.
public enum JapaneseDate {
    /// `12月10日（木）`.
    public static func text(_ date: String) -> String { text(date, in: .ja) }

    static let weekdaysByLanguage: [Language: [String]] = [
        .ja: ["日", "月", "火", "水", "木", "金", "土"], .en: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        .zhHans: ["日", "一", "二", "三", "四", "五", "六"], .ko: ["일", "월", "화", "수", "목", "금", "토"],
    ]
    static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `12月3日（木）`, `Thu 3 Dec`, `12月3日（周四）`, `12월 3일 (목)`.
    public static func text(_ date: String, in language: Language) -> String {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, CityCalendar.date(ofBusinessDay: date) != nil else { return date }
        let (month, day) = (parts[1], parts[2])
        let weekday = weekdaysByLanguage[language]![Self.weekday(date) - 1]
        switch language {
        case .ja: return "\(month)月\(day)日（\(weekday)）"
        case .en: return "\(weekday) \(day) \(englishMonths[month - 1])"
        case .zhHans: return "\(month)月\(day)日（周\(weekday)）"
        case .ko: return "\(month)월 \(day)일 (\(weekday))"
        }
    }

    /// 1 = Sunday … 7 = Saturday.
    public static func weekday(_ date: String) -> Int { JapaneseHolidays.weekday(date) }

    /// Every date of `YYYY-MM`; empty for text that is not a month.
    public static func days(ofMonth month: String) -> [String] {
        guard month.count == 7, let first = CityCalendar.date(ofBusinessDay: month + "-01"),
              let range = CityCalendar.gregorian.range(of: .day, in: .month, for: first) else { return [] }
        return range.map { String(format: "%@-%02d", month, $0) }
    }

    /// `2026-12` of `2026-12-10`, and the month after or before.
    public static func month(_ date: String) -> String { String(date.prefix(7)) }
    public static func month(_ month: String, adding count: Int) -> String {
        let parts = month.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2 else { return month }
        let index = parts[0] * 12 + (parts[1] - 1) + count
        return String(format: "%04d-%02d", index / 12, index % 12 + 1)
    }

    public static func adding(_ days: Int, to date: String) -> String { JapaneseHolidays.adding(days, to: date) }
}

/// The CSV of reservation IDs the city imports (R4), documented in docs/RESERVATIONS.md: UTF-8 (a BOM is allowed;
/// the caller converts Shift_JIS), an optional header line, then `予約番号,窓口コード[,生年月日]` — 8 letters or
/// digits, 4 digits, YYYY-MM-DD or YYYYMMDD. All or nothing: every fault is reported with its line and column.
public enum ReservationIDImport {
    public struct Fault: Sendable, Equatable, CustomStringConvertible, Codable {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "\(line)行\(column)列: \(message)" }
        public init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }
    }

    public static func isReservationID(_ text: String) -> Bool {
        text.count == 8 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// Every fault of a rejected file.
    public struct Rejected: Error, Sendable {
        public var faults: [Fault]
    }

    public static func parse(_ text: String, knownOfficeCodes: Set<String>) -> Result<[ImportedReservationID], Rejected> {
        var faults: [Fault] = []
        var ids: [ImportedReservationID] = []
        var seen: [String: Int] = [:]
        let lines = text.replacingOccurrences(of: "\u{FEFF}", with: "").replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let lineNumber = index + 1
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = raw.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            if ids.isEmpty, faults.isEmpty, seen.isEmpty, !isReservationID(fields[0]), fields[0].contains("予約") || fields[0].lowercased().contains("id") {
                continue  // the header
            }
            guard fields.count == 2 || fields.count == 3 else {
                faults.append(Fault(line: lineNumber, column: 1,
                                    message: "項目は「予約番号,窓口コード,生年月日（任意）」の2つか3つです（\(fields.count)個あります）。"))
                continue
            }
            let id = fields[0].uppercased()
            if !isReservationID(id) {
                faults.append(Fault(line: lineNumber, column: 1, message: "予約番号「\(fields[0])」は英数字8桁ではありません。"))
            } else if let first = seen[id] {
                faults.append(Fault(line: lineNumber, column: 1, message: "予約番号「\(id)」は\(first)行目と重複しています。"))
            }
            let code = fields[1]
            if code.count != 4 || !code.allSatisfy({ $0.isASCII && $0.isNumber }) {
                faults.append(Fault(line: lineNumber, column: 2, message: "窓口コード「\(code)」は数字4桁ではありません。"))
            } else if !knownOfficeCodes.contains(code) {
                faults.append(Fault(line: lineNumber, column: 2, message: "窓口コード「\(code)」は予約の設定にありません。"))
            }
            var birthDate: String?
            if fields.count == 3, !fields[2].isEmpty {
                let digits = fields[2].replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "/", with: "")
                let formatted = digits.count == 8 && digits.allSatisfy(\.isNumber)
                    ? "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))" : fields[2]
                if CityCalendar.date(ofBusinessDay: formatted) == nil {
                    faults.append(Fault(line: lineNumber, column: 3, message: "生年月日「\(fields[2])」は実在する日付（YYYY-MM-DD）ではありません。"))
                } else {
                    birthDate = formatted
                }
            }
            if seen[id] == nil { seen[id] = lineNumber }
            ids.append(ImportedReservationID(id: id, officeCode: code, birthDate: birthDate))
        }
        if ids.isEmpty, faults.isEmpty { faults.append(Fault(line: 1, column: 1, message: "予約番号が1件もありません。")) }
        return faults.isEmpty ? .success(ids) : .failure(Rejected(faults: faults))
    }
}
