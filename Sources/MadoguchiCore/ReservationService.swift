import Foundation

/// Booking, changing, cancelling and checking in (R2–R8, R10): the rules of `ReservationRules` and the seats of
/// `ReservationStore`, with the e-mails of R7.
public struct ReservationService: Sendable {
    public let store: any ReservationStore
    public let layout: LayoutSource
    public let queue: QueueService
    public let clock: any WallClock
    /// Where visitors manage their bookings, for the e-mails.
    public let manageURL: String
    /// Called after e-mail was queued, so the delivery loop sends it at once.
    let mailQueued: @Sendable () -> Void
    /// Counts identity checks and password checks per reservation ID, booking and client (shared by every instance).
    public let attempts: any AttemptCounter

    public init(
        store: any ReservationStore, layout: LayoutSource, queue: QueueService, clock: any WallClock, manageURL: String,
        attempts: any AttemptCounter = InMemoryAttemptCounter(), mailQueued: @escaping @Sendable () -> Void = {}
    ) {
        self.mailQueued = mailQueued
        self.attempts = attempts
        self.store = store
        self.layout = layout
        self.queue = queue
        self.clock = clock
        self.manageURL = manageURL
    }

    public var settings: ReservationSettings { layout.current.reservations }
    public var rules: ReservationRules { ReservationRules(layout: layout.current) }

    public func procedure(_ id: String) throws -> ReservationProcedure {
        guard let procedure = settings.procedure(id) else { throw ReservationRefusal.procedureNotFound }
        return procedure
    }

    func offered(_ procedure: ReservationProcedure, officeID: String) throws {
        guard procedure.offices.contains(officeID) else { throw ReservationRefusal.officeNotOffered }
    }

    // MARK: Availability (R2)

    public func dayMarks(procedureID: String, officeID: String, month: String) async throws -> [(date: String, mark: AvailabilityMark)] {
        let procedure = try procedure(procedureID)
        try offered(procedure, officeID: officeID)
        let days = JapaneseDate.days(ofMonth: month)
        guard let first = days.first, let last = days.last else {
            throw ReservationRefusal.invalidField(field: "month", message: "月は YYYY-MM で指定してください。")
        }
        let booked = try await store.bookedCounts(procedureID: procedureID, officeID: officeID, from: first, through: last)
        return rules.dayMarks(procedure, officeID: officeID, month: month, booked: booked, now: clock.now())
    }

    public func slotMarks(procedureID: String, officeID: String, date: String) async throws -> [(slot: Slot, mark: AvailabilityMark)] {
        let procedure = try procedure(procedureID)
        try offered(procedure, officeID: officeID)
        guard CityCalendar.date(ofBusinessDay: date) != nil else {
            throw ReservationRefusal.invalidField(field: "date", message: "日付は YYYY-MM-DD の実在する日付で指定してください。")
        }
        let booked = try await store.bookedCounts(procedureID: procedureID, officeID: officeID, from: date, through: date)
        return rules.slotMarks(procedure, officeID: officeID, date: date, booked: booked, now: clock.now())
    }

    // MARK: Booking (R3–R5)

    /// Books for a visitor on the web (every rule) or, with `staff`, for a caller: then the window's closing,
    /// the reservation ID, the e-mail and the password may be left out.
    public func book(_ request: BookingRequest, staff: String? = nil) async throws -> Reservation {
        let now = clock.now()
        let settings = settings
        let procedure = try procedure(request.procedureID)
        try offered(procedure, officeID: request.officeID)
        guard let start = SlotTime(parsing: request.start) else {
            throw ReservationRefusal.invalidField(field: "start", message: "日時は 2026-12-10T09:30 の形で指定してください。")
        }
        let rules = rules
        guard let slot = rules.slot(procedure, officeID: request.officeID, start: start) else { throw ReservationRefusal.noSuchSlot }
        if staff == nil {
            if let refusal = rules.windowRefusal(procedure, officeID: request.officeID, start: start, now: now) { throw refusal }
        } else if start.instant.addingTimeInterval(Double(slot.minutes) * 60) <= now {
            throw ReservationRefusal.outsideWindow("終わった時間帯には予約できません。")
        }
        let phone = try ContactRules.phone(request.phone)
        let email = try ContactRules.email(request.email, required: staff == nil)
        let password = try ContactRules.password(request.password, required: staff == nil)
        var reservationID: String?
        let idText = (request.reservationID ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        if procedure.requiresReservationID, staff == nil || !idText.isEmpty {
            let imported =
                staff == nil
                ? try await confirmIdentity(idText, birthDate: request.birthDate, client: request.client)
                : try await store.importedID(idText)
            guard let imported else { throw ReservationRefusal.unknownID }
            if let refusal = rules.officeRefusal(procedure, id: imported, officeID: request.officeID, settings: settings, date: start.date) {
                throw refusal
            }
            reservationID = imported.id
        }
        let reservation = Reservation(
            code: ReservationCode.make(), procedureID: procedure.id, officeID: request.officeID, start: start, reservationID: reservationID,
            phone: phone, email: email, language: request.language, status: .booked, bookedBy: staff ?? "web", createdAt: now,
            hasPassword: password != nil)
        let holdCode = staff == nil ? request.holdCode.flatMap { $0.isEmpty ? nil : $0 } : nil
        let booked = try await store.book(
            ReservationDraft(reservation: reservation, password: password, capacity: slot.capacity, holdCode: holdCode),
            mail: mail(.booked, for: reservation), today: CityCalendar.businessDate(of: now), at: now)
        if booked.email != nil { mailQueued() }
        return booked
    }

    /// Holds a seat of the chosen time for `holdMinutes` while the visitor fills in the form (R5: the slot is held
    /// the moment it is chosen). Returns the hold's code and when it runs out.
    public func hold(procedureID: String, officeID: String, start startText: String) async throws -> (code: String, until: Date) {
        let now = clock.now()
        let procedure = try procedure(procedureID)
        try offered(procedure, officeID: officeID)
        guard let start = SlotTime(parsing: startText) else {
            throw ReservationRefusal.invalidField(field: "start", message: "日時は 2026-12-10T09:30 の形で指定してください。")
        }
        let rules = rules
        guard let slot = rules.slot(procedure, officeID: officeID, start: start) else { throw ReservationRefusal.noSuchSlot }
        if let refusal = rules.windowRefusal(procedure, officeID: officeID, start: start, now: now) { throw refusal }
        let code = "H" + ReservationCode.make().dropFirst()
        let until = now.addingTimeInterval(Double(settings.holdMinutes) * 60)
        try await store.hold(procedureID: procedureID, officeID: officeID, start: start, capacity: slot.capacity, code: code, until: until, at: now)
        return (code, until)
    }

    public func releaseHold(code: String) async throws {
        guard code.hasPrefix("H"), code.count == 8 else { return }
        try await store.releaseHold(code: code)
    }

    // MARK: Identity checks (R3) and passwords, limited

    /// Identity checks per reservation ID: a few wrong birth dates, then a pause short enough not to keep the real
    /// holder from booking for long.
    public static let identityChecksPerID = 5
    public static let identityWindow: TimeInterval = 15 * 60
    /// Identity and password checks one client address may make in `clientWindow`, over every ID and booking.
    public static let checksPerClient = 30
    public static let clientWindow: TimeInterval = 10 * 60

    private var idThrottle: AttemptThrottle {
        AttemptThrottle("reservation-id", limit: Self.identityChecksPerID, window: Self.identityWindow, counter: attempts)
    }
    private var clientThrottle: AttemptThrottle {
        AttemptThrottle("reservation-client", limit: Self.checksPerClient, window: Self.clientWindow, counter: attempts)
    }

    /// The imported ID when `birthDate` matches its registered date of birth (or it has none). Each check is
    /// counted for the ID and the client before it is made, so parallel guesses are cut off too; an unknown ID
    /// and a wrong date give the same refusal, so the answer tells nothing about which IDs exist.
    public func confirmIdentity(_ idText: String, birthDate: String?, client: String) async throws -> ImportedReservationID {
        let id = idText.trimmingCharacters(in: .whitespaces).uppercased()
        let now = clock.now()
        guard try await clientThrottle.admit(client, at: now) else { throw ReservationRefusal.tooManyAttempts }
        let imported = ReservationIDImport.isReservationID(id) ? try await store.importedID(id) : nil
        // A registered date of birth is what can be guessed: such IDs, and IDs that do not exist (which must look
        // the same), are limited per ID too. An ID without one has nothing to guess.
        if imported == nil || imported?.birthDate != nil {
            guard try await idThrottle.admit(id, at: now) else { throw ReservationRefusal.tooManyAttempts }
        }
        guard let imported else { throw ReservationRefusal.unknownID }
        if let registered = imported.birthDate {
            guard let given = birthDate.flatMap(ContactRules.date), given == registered else { throw ReservationRefusal.unknownID }
        }
        try await idThrottle.reset(id)
        return imported
    }

    /// A booking by its code, for a visitor who proved access to it otherwise (a signed cookie, a calendar key).
    public func booking(code: String) async throws -> Reservation? {
        code.count <= 64 ? try await store.reservation(code: code) : nil
    }

    /// The imported ID a visitor entered earlier in this booking (kept in their browser).
    public func rememberedID(_ id: String) async throws -> ImportedReservationID? {
        ReservationIDImport.isReservationID(id) ? try await store.importedID(id) : nil
    }

    /// The imported ID a visitor enters before choosing an office (its office code picks the office); counted for
    /// the client, so the step cannot be used to list IDs.
    public func enteredID(_ idText: String, client: String) async throws -> ImportedReservationID? {
        let id = idText.trimmingCharacters(in: .whitespaces).uppercased()
        guard try await clientThrottle.admit(client, at: clock.now()) else { throw ReservationRefusal.tooManyAttempts }
        guard ReservationIDImport.isReservationID(id) else { return nil }
        return try await store.importedID(id)
    }

    /// The booking a visitor manages: by booking code or reservation ID, and their password. An unknown key, a
    /// booking without a password and a wrong password answer alike; keys that find nothing are limited like
    /// wrong passwords, so a lock reveals nothing either.
    public func authenticate(codeOrID: String, password: String, client: String = "") async throws -> Reservation {
        let key = codeOrID.trimmingCharacters(in: .whitespaces).uppercased()
        let now = clock.now()
        guard try await clientThrottle.admit(client, at: now) else { throw ReservationRefusal.tooManyAttempts }
        var found = key.count <= 64 ? try await store.reservation(code: key) : nil
        if found == nil, ReservationIDImport.isReservationID(key) { found = try await store.activeReservation(reservationID: key) }
        guard let reservation = found, reservation.hasPassword else {
            let unknown = AttemptThrottle("reservation-unknown-key", limit: 5, window: 30 * 60, counter: attempts)
            guard try await unknown.admit(key, at: now) else { throw ReservationRefusal.locked }
            throw ReservationRefusal.wrongPassword
        }
        guard try await store.verifyPassword(code: reservation.code, password: password, at: now) else { throw ReservationRefusal.wrongPassword }
        return reservation
    }

    /// Moves a booking to another time; visitors only until the change deadline and within the booking window.
    public func change(code: String, to startText: String, staff: String? = nil) async throws -> Reservation {
        let now = clock.now()
        guard let current = try await store.reservation(code: code) else { throw ReservationRefusal.notFound }
        guard current.status == .booked else { throw ReservationRefusal.notActive }
        let procedure = try procedure(current.procedureID)
        guard let start = SlotTime(parsing: startText) else {
            throw ReservationRefusal.invalidField(field: "start", message: "日時は 2026-12-10T09:30 の形で指定してください。")
        }
        let rules = rules
        guard let slot = rules.slot(procedure, officeID: current.officeID, start: start) else { throw ReservationRefusal.noSuchSlot }
        if staff == nil {
            guard rules.changeOpen(procedure, officeID: current.officeID, start: current.start, now: now) else { throw ReservationRefusal.changeClosed }
            if let refusal = rules.windowRefusal(procedure, officeID: current.officeID, start: start, now: now) { throw refusal }
        }
        var moved = current
        moved.start = start
        let changed = try await store.move(code: code, to: start, capacity: slot.capacity, mail: mail(.changed, for: moved), at: now)
        mailQueued()
        return changed
    }

    public func cancel(code: String, reason: String, staff: String? = nil) async throws -> Reservation {
        let now = clock.now()
        guard let current = try await store.reservation(code: code) else { throw ReservationRefusal.notFound }
        guard current.status == .booked else { throw ReservationRefusal.notActive }
        if staff == nil, let procedure = settings.procedure(current.procedureID),
            !rules.changeOpen(procedure, officeID: current.officeID, start: current.start, now: now)
        {
            throw ReservationRefusal.changeClosed
        }
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let stated = text.isEmpty ? (staff == nil ? "ご本人によるウェブでの取消" : "職員による取消") : String(text.prefix(200))
        let cancelled = try await store.cancel(code: code, reason: stated, by: staff ?? "web", mail: mail(.cancelled, for: current, reason: text), at: now)
        mailQueued()
        return cancelled
    }

    /// Checks a visitor in on the day (消し込み): issues a priority ticket for the procedure's queue service, so the
    /// visitor is called before those without a booking (R10).
    public func checkIn(code: String) async throws -> (Reservation, Ticket) {
        guard let current = try await store.reservation(code: code) else { throw ReservationRefusal.notFound }
        guard current.status == .booked else { throw ReservationRefusal.notActive }
        let today = CityCalendar.businessDate(of: clock.now())
        guard current.start.date == today else {
            throw ReservationRefusal.outsideWindow("この予約は\(JapaneseDate.text(current.start.date))の予約です。当日だけ受付できます。")
        }
        guard let serviceID = settings.procedure(current.procedureID)?.serviceIDs[current.officeID] else { throw ReservationRefusal.noQueueService }
        var claimed = try await store.checkIn(code: code, at: clock.now())
        let ticket: Ticket
        do {
            ticket = try await queue.issueTicket(officeID: current.officeID, serviceID: serviceID, priority: true)
        } catch {
            try? await store.undoCheckIn(code: code)
            throw error
        }
        try await store.recordTicket(code: code, ticketID: ticket.id, ticketNumber: ticket.displayNumber)
        claimed.ticketID = ticket.id
        claimed.ticketNumber = ticket.displayNumber
        return (claimed, ticket)
    }

    // MARK: Jobs

    /// Queues tomorrow's reminders once the reminder hour has come (R7).
    @discardableResult
    public func queueReminders() async throws -> Int {
        let now = clock.now()
        let hour = CityCalendar.gregorian.component(.hour, from: now)
        guard hour >= settings.reminderHour else { return 0 }
        let tomorrow = JapaneseDate.adding(1, to: CityCalendar.businessDate(of: now))
        let queued = try await store.queueReminders(date: tomorrow, compose: { mail(.reminder, for: $0) }, at: now)
        if queued > 0 { mailQueued() }
        return queued
    }

    /// Lapses bookings of past days and erases contacts `purgeAfterDays` after their date.
    public func expire() async throws {
        let now = clock.now()
        let today = CityCalendar.businessDate(of: now)
        var eraseThrough: [String: String] = [:]
        for procedure in settings.procedures { eraseThrough[procedure.id] = JapaneseDate.adding(-procedure.purgeAfterDays - 1, to: today) }
        try await store.expire(today: today, eraseThrough: eraseThrough, at: now)
    }

    // MARK: E-mail (R7)

    public func mail(_ kind: ReservationMailKind, for reservation: Reservation, reason: String = "") -> ReservationMail? {
        guard let recipient = reservation.email, !recipient.isEmpty else { return nil }
        let layout = layout.current
        let procedure = layout.reservations.procedure(reservation.procedureID)
        let language = reservation.language
        let template = (procedure?.mail(in: language) ?? .standard(in: language)).text(kind)
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{code}", with: reservation.code)
                .replacingOccurrences(of: "{procedure}", with: procedure?.name(in: language) ?? reservation.procedureID)
                .replacingOccurrences(of: "{office}", with: layout.office(reservation.officeID)?.name ?? reservation.officeID)
                .replacingOccurrences(of: "{date}", with: JapaneseDate.text(reservation.start.date, in: language))
                .replacingOccurrences(of: "{time}", with: reservation.start.clockText)
                .replacingOccurrences(of: "{url}", with: manageURL)
                .replacingOccurrences(of: "{reason}", with: reason.isEmpty ? "" : language == .ja ? "（理由: \(reason)）" : " (\(reason))")
        }
        return ReservationMail(kind: kind, recipient: recipient, subject: fill(template.subject), body: fill(template.body))
    }
}
