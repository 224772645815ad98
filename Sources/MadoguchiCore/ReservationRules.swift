import Foundation

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
            return .outsideWindow(
                "この日の予約は\(procedure.openDaysAhead)日前（\(JapaneseDate.text(JapaneseHolidays.adding(-procedure.openDaysAhead, to: start.date)))）から受け付けます。")
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
    public func officeRefusal(
        _ procedure: ReservationProcedure, id: ImportedReservationID, officeID: String, settings: ReservationSettings,
        date: String
    ) -> ReservationRefusal? {
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
