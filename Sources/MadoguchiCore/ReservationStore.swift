import Foundation

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
