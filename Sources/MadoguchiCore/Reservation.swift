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

    public init(
        code: String, procedureID: String, officeID: String, start: SlotTime, reservationID: String?, phone: String?, email: String?,
        language: Language, status: Status, bookedBy: String, createdAt: Date, hasPassword: Bool
    ) {
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
        self.init(
            code: try c.decode(String.self, forKey: .code), procedureID: try c.decode(String.self, forKey: .procedureID),
            officeID: try c.decode(String.self, forKey: .officeID), start: start,
            reservationID: try c.decodeIfPresent(String.self, forKey: .reservationID), phone: try c.decodeIfPresent(String.self, forKey: .phone),
            email: try c.decodeIfPresent(String.self, forKey: .email), language: try c.decode(Language.self, forKey: .language),
            status: try c.decode(Status.self, forKey: .status), bookedBy: try c.decode(String.self, forKey: .bookedBy),
            createdAt: try c.decode(Date.self, forKey: .createdAt), hasPassword: try c.decode(Bool.self, forKey: .hasPassword))
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
