import Foundation

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
    public init(
        procedureID: String, officeID: String, start: String, reservationID: String? = nil, birthDate: String? = nil, phone: String,
        email: String, password: String, language: Language = .ja, holdCode: String? = nil
    ) {
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
    public init(
        officeIDs: [String]? = nil, procedureID: String? = nil, from: String? = nil, through: String? = nil, statuses: [Reservation.Status] = [],
        text: String? = nil, sort: Sort = .start, limit: Int = 500
    ) {
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
