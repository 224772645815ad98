import Foundation

/// A booking as stored. Phone and e-mail are only filled for staff with the right to see them (and erased
/// `purgeAfterDays` after the date).
public struct Reservation: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Booked and still to come (the only status that holds an ID: one active booking per ID).
        case booked
        case cancelled
        /// Checked in on the day: a priority ticket was issued (R10).
        case checkedIn = "checked_in"
        /// The date passed without a check-in.
        case lapsed

        public var japanese: String {
            switch self {
            case .booked: "予約中"
            case .cancelled: "取消"
            case .checkedIn: "受付済"
            case .lapsed: "来庁なし"
            }
        }
    }

    public var code: String
    public var procedureID: String
    public var officeID: String
    public var start: SlotTime
    public var reservationID: String?
    public var phone: String?
    public var email: String?
    public var language: Language
    public var status: Status
    /// `web` or the staff login who booked on behalf of a caller.
    public var bookedBy: String
    public var createdAt: Date
    public var changedAt: Date?
    public var cancelledAt: Date?
    public var cancelReason: String?
    public var cancelledBy: String?
    public var checkedInAt: Date?
    public var ticketID: String?
    public var ticketNumber: String?
    public var hasPassword: Bool
    public var contactErased: Bool

    public init(code: String, procedureID: String, officeID: String, start: SlotTime, reservationID: String?, phone: String?, email: String?,
                language: Language, status: Status, bookedBy: String, createdAt: Date, hasPassword: Bool) {
        self.code = code
        self.procedureID = procedureID
        self.officeID = officeID
        self.start = start
        self.reservationID = reservationID
        self.phone = phone
        self.email = email
        self.language = language
        self.status = status
        self.bookedBy = bookedBy
        self.createdAt = createdAt
        self.hasPassword = hasPassword
        contactErased = false
    }

    enum CodingKeys: String, CodingKey {
        case code, procedureID = "procedure", officeID = "office", start, reservationID = "reservationId", phone, email, language, status
        case bookedBy, createdAt, changedAt, cancelledAt, cancelReason, cancelledBy, checkedInAt, ticketID = "ticketId", ticketNumber
        case hasPassword, contactErased
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(procedureID, forKey: .procedureID)
        try c.encode(officeID, forKey: .officeID)
        try c.encode(start.isoText, forKey: .start)
        try c.encodeIfPresent(reservationID, forKey: .reservationID)
        try c.encodeIfPresent(phone, forKey: .phone)
        try c.encodeIfPresent(email, forKey: .email)
        try c.encode(language, forKey: .language)
        try c.encode(status, forKey: .status)
        try c.encode(bookedBy, forKey: .bookedBy)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(changedAt, forKey: .changedAt)
        try c.encodeIfPresent(cancelledAt, forKey: .cancelledAt)
        try c.encodeIfPresent(cancelReason, forKey: .cancelReason)
        try c.encodeIfPresent(cancelledBy, forKey: .cancelledBy)
        try c.encodeIfPresent(checkedInAt, forKey: .checkedInAt)
        try c.encodeIfPresent(ticketID, forKey: .ticketID)
        try c.encodeIfPresent(ticketNumber, forKey: .ticketNumber)
        try c.encode(hasPassword, forKey: .hasPassword)
        try c.encode(contactErased, forKey: .contactErased)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let start = SlotTime(parsing: try c.decode(String.self, forKey: .start)) else {
            throw DecodingError.dataCorruptedError(forKey: .start, in: c, debugDescription: "not a slot time")
        }
        self.init(code: try c.decode(String.self, forKey: .code), procedureID: try c.decode(String.self, forKey: .procedureID),
                  officeID: try c.decode(String.self, forKey: .officeID), start: start,
                  reservationID: try c.decodeIfPresent(String.self, forKey: .reservationID), phone: try c.decodeIfPresent(String.self, forKey: .phone),
                  email: try c.decodeIfPresent(String.self, forKey: .email), language: try c.decode(Language.self, forKey: .language),
                  status: try c.decode(Status.self, forKey: .status), bookedBy: try c.decode(String.self, forKey: .bookedBy),
                  createdAt: try c.decode(Date.self, forKey: .createdAt), hasPassword: try c.decode(Bool.self, forKey: .hasPassword))
    }
}

/// What a booking asks for, checked by `ReservationService` before the store takes the seat.
public struct BookingRequest: Sendable {
    public var procedureID: String
    public var officeID: String
    public var start: String
    public var reservationID: String?
    public var birthDate: String?
    public var phone: String
    public var email: String
    public var password: String
    public var language: Language
    /// The seat held for this visitor when they chose the time (`ReservationService.hold`), if any.
    public var holdCode: String?
    /// The visitor's address, for the limit of identity checks per client.
    public var client = ""
    public init(procedureID: String, officeID: String, start: String, reservationID: String? = nil, birthDate: String? = nil, phone: String,
                email: String, password: String, language: Language = .ja, holdCode: String? = nil) {
        self.holdCode = holdCode
        self.procedureID = procedureID
        self.officeID = officeID
        self.start = start
        self.reservationID = reservationID
        self.birthDate = birthDate
        self.phone = phone
        self.email = email
        self.password = password
        self.language = language
    }
}

/// A booking ready to store: checked, normalised, with the e-mail to queue in the same transaction.
public struct ReservationDraft: Sendable {
    public var reservation: Reservation
    public var password: String?
    public var capacity: Int
    /// A hold of the same slot whose seat the booking takes over instead of taking another.
    public var holdCode: String?
}

/// An e-mail to queue with a change (through the outbox, in the change's own transaction).
public struct ReservationMail: Sendable, Equatable {
    public var kind: ReservationMailKind
    public var recipient: String
    public var subject: String
    public var body: String
}

/// Search of the back office (R8).
public struct ReservationQuery: Sendable {
    public var officeIDs: [String]?
    public var procedureID: String?
    public var from: String?
    public var through: String?
    public var statuses: [Reservation.Status]
    /// A booking code, reservation ID, or part of a phone number or e-mail.
    public var text: String?
    public var sort: Sort
    public var limit: Int
    public enum Sort: String, Sendable, CaseIterable { case start, created, code, status }
    public init(officeIDs: [String]? = nil, procedureID: String? = nil, from: String? = nil, through: String? = nil, statuses: [Reservation.Status] = [],
                text: String? = nil, sort: Sort = .start, limit: Int = 500) {
        self.officeIDs = officeIDs
        self.procedureID = procedureID
        self.from = from
        self.through = through
        self.statuses = statuses
        self.text = text
        self.sort = sort
        self.limit = limit
    }
}

/// Bookings per date (or month) and status, for the back office's counts.
public struct ReservationCount: Sendable, Equatable, Codable {
    public var period: String
    public var procedureID: String
    public var officeID: String
    public var booked: Int
    public var checkedIn: Int
    public var cancelled: Int
    public var lapsed: Int
    public init(period: String, procedureID: String, officeID: String, booked: Int = 0, checkedIn: Int = 0, cancelled: Int = 0, lapsed: Int = 0) {
        self.period = period
        self.procedureID = procedureID
        self.officeID = officeID
        self.booked = booked
        self.checkedIn = checkedIn
        self.cancelled = cancelled
        self.lapsed = lapsed
    }
}

/// Where bookings live. Capacity and one booking per ID are enforced inside the database transaction and by
/// constraints (R5), so two instances on one PostgreSQL never overbook.
public protocol ReservationStore: Sendable {
    /// Adds or updates imported IDs in one transaction; returns how many were new and how many updated. With
    /// `replaceableOfficeCodes`, an existing ID registered under another office code is not touched: the whole
    /// import is refused with `AccessError.forbidden` (staff of one office never overwrite another's IDs).
    func importIDs(_ ids: [ImportedReservationID], at: Date, replaceableOfficeCodes: Set<String>?) async throws -> (added: Int, updated: Int)
    func importedID(_ id: String) async throws -> ImportedReservationID?
    /// Erases the bookings' contacts and the imported IDs of `ids` (on the city's instruction); returns how many IDs.
    func deleteData(ofIDs ids: [String], at: Date) async throws -> Int
    /// Seats taken per slot start (`2026-12-10T09:30`) of a procedure at an office, dates `from` through `through`.
    func bookedCounts(procedureID: String, officeID: String, from: String, through: String) async throws -> [String: Int]
    /// Takes a seat if one is left and the ID holds no other active booking, stores the booking and queues `mail`,
    /// all in one transaction. Throws `ReservationRefusal.slotFull` or `.idAlreadyBooked`.
    func book(_ draft: ReservationDraft, mail: ReservationMail?, today: String, at: Date) async throws -> Reservation
    /// Holds a seat of the slot until `until` while a visitor fills in the form (R5); throws `.slotFull`.
    func hold(procedureID: String, officeID: String, start: SlotTime, capacity: Int, code: String, until: Date, at: Date) async throws
    /// Gives a hold's seat back at once (the visitor chose another time).
    func releaseHold(code: String) async throws
    /// A booking (never a hold) by its code.
    func reservation(code: String) async throws -> Reservation?
    /// The active booking of an imported ID.
    func activeReservation(reservationID: String) async throws -> Reservation?
    /// Checks a visitor's password; five wrong ones lock the booking for 30 minutes.
    func verifyPassword(code: String, password: String, at: Date) async throws -> Bool
    /// Moves an active booking to another slot of the same procedure and office (a seat there, the old one freed).
    func move(code: String, to start: SlotTime, capacity: Int, mail: ReservationMail?, at: Date) async throws -> Reservation
    func cancel(code: String, reason: String, by: String, mail: ReservationMail?, at: Date) async throws -> Reservation
    /// Claims an active booking for check-in (one claim wins; the others get `.notActive`) …
    func checkIn(code: String, at: Date) async throws -> Reservation
    /// … then records the ticket it got, or undoes the claim when no ticket could be issued.
    func recordTicket(code: String, ticketID: String, ticketNumber: String) async throws
    func undoCheckIn(code: String) async throws
    func search(_ query: ReservationQuery) async throws -> [Reservation]
    func counts(from: String, through: String, byMonth: Bool, officeIDs: [String]?) async throws -> [ReservationCount]
    /// Queues the reminder of each active booking on `date` that has none yet; each booking's reminder is claimed
    /// by one update, so several instances send it once. Returns how many were queued.
    func queueReminders(date: String, compose: @Sendable (Reservation) -> ReservationMail?, at: Date) async throws -> Int
    /// Releases the seats of holds that ran out, marks bookings of dates before `today` lapsed and erases contacts
    /// of bookings dated before each procedure's cut-off (`procedure id → last date to erase`).
    func expire(today: String, eraseThrough: [String: String], at: Date) async throws
}

extension ReservationStore {
    /// Imports for a city-wide operator: any existing ID may be replaced.
    public func importIDs(_ ids: [ImportedReservationID], at now: Date) async throws -> (added: Int, updated: Int) {
        try await importIDs(ids, at: now, replaceableOfficeCodes: nil)
    }
}

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

    public init(store: any ReservationStore, layout: LayoutSource, queue: QueueService, clock: any WallClock, manageURL: String,
                attempts: any AttemptCounter = InMemoryAttemptCounter(), mailQueued: @escaping @Sendable () -> Void = {}) {
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
            let imported = staff == nil
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
        let booked = try await store.book(ReservationDraft(reservation: reservation, password: password, capacity: slot.capacity, holdCode: holdCode),
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
           !rules.changeOpen(procedure, officeID: current.officeID, start: current.start, now: now) {
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

/// Booking codes: 8 characters without look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B), easy to read out on the phone.
public enum ReservationCode {
    static let alphabet = Array("ACDEFGHJKMNPQRTUVWXY34679")
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return "R" + String((0..<7).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

/// Checks of what visitors type when they book.
public enum ContactRules {
    /// Digits of a Japanese phone number (10 or 11, starting with 0); hyphens, spaces and full-width digits allowed.
    public static func phone(_ text: String) throws -> String {
        let halfWidth = String(String.UnicodeScalarView(text.unicodeScalars.map {
            (0xFF10...0xFF19).contains($0.value) ? Unicode.Scalar($0.value - 0xFF10 + 0x30)! : $0
        }))
        let digits = halfWidth.filter { !"-‐−ー－ 　()（）".contains($0) }
        guard digits.hasPrefix("0"), (10...11).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ReservationRefusal.invalidField(field: "phone", message: "電話番号は0から始まる10桁か11桁の数字で入力してください。")
        }
        return digits
    }

    public static func email(_ text: String, required: Bool) throws -> String? {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value.isEmpty, !required { return nil }
        guard let address = EmailAddress.normalized(value) else {
            throw ReservationRefusal.invalidField(field: "email", message: "メールアドレスを正しく入力してください（例: name@example.jp）。")
        }
        return address
    }

    public static func password(_ text: String, required: Bool) throws -> String? {
        if text.isEmpty, !required { return nil }
        guard text.count == 4, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ReservationRefusal.invalidField(field: "password", message: "パスワードは数字4桁で、ご自身で決めてください。")
        }
        return text
    }

    /// YYYY-MM-DD of a date as the staff form accepts it (`1990-04-01`, `19900401`, `1990/4/1`, `S60.4.12`,
    /// `昭和60年4月12日`, `03/11/1952`).
    public static func date(_ text: String) -> String? { DateEntry.date(text) }

    /// A date of birth as typed: a real date in the past, else a refusal that says it is not a date (which tells
    /// "not a date" apart from "does not match our records").
    public static func birthDate(_ text: String, today: String) throws -> String {
        guard let date = date(text), date <= today else {
            throw ReservationRefusal.invalidField(
                field: "birthDate", message: "生年月日を日付として読み取れません。例: 1985-04-12、昭和60年4月12日、S60.4.12")
        }
        return date
    }
}
