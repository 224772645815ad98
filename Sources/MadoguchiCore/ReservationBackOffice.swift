import Foundation

/// The reservation back office (R8): staff find, export, book, check in, change and cancel bookings for callers.
/// Each use case checks the operator's permission at the booking's office and writes its audit entry, so the page,
/// the API and any later entry point are audited alike (bookings carry phones and e-mail addresses).
public struct ReservationBackOffice: Sendable {
    public let service: ReservationService
    let audit: AuditTrail

    public init(service: ReservationService, audit: any AuditLog) {
        self.service = service
        self.audit = AuditTrail(log: audit, clock: service.clock)
    }

    var store: any ReservationStore { service.store }

    /// The query limited to the offices where the operator holds `permission`.
    func allowed(_ query: ReservationQuery, by actor: Operator, _ permission: Permission) -> ReservationQuery {
        let all = service.layout.current.offices.map(\.id)
        let allowed = actor.offices(for: permission, among: all)
        var limited = query
        if allowed.count < all.count { limited.officeIDs = (query.officeIDs ?? allowed).filter(allowed.contains) }
        return limited
    }

    private static func period(_ query: ReservationQuery) -> String { "\(query.from ?? "")..\(query.through ?? "")" }
    private static func target(_ query: ReservationQuery) -> String { query.officeIDs?.joined(separator: ",") ?? "*" }

    /// Bookings matching `query` at the operator's offices; the list shows contacts, so the read is audited.
    public func search(_ query: ReservationQuery, by actor: Operator, needs permission: Permission = .manageReservations) async throws -> [Reservation] {
        let query = allowed(query, by: actor, permission)
        let found = try await store.search(query)
        try await audit.record("reservations.viewed", by: actor, target: Self.target(query), detail: "\(Self.period(query)) \(found.count)件")
        return found
    }

    /// Bookings matching `query` for a file in `format`; audited as an export.
    public func export(_ query: ReservationQuery, format: String, by actor: Operator) async throws -> [Reservation] {
        let query = allowed(query, by: actor, .manageReservations)
        let found = try await store.search(query)
        try await audit.record("reservations.export", by: actor, target: Self.target(query), detail: "\(format) \(Self.period(query)) \(found.count)件")
        return found
    }

    /// Counts per period, procedure and office (no personal data).
    public func counts(from: String, through: String, byMonth: Bool, officeIDs: [String]?, by actor: Operator) async throws -> [ReservationCount] {
        let query = allowed(ReservationQuery(officeIDs: officeIDs), by: actor, .manageReservations)
        return try await store.counts(from: from, through: through, byMonth: byMonth, officeIDs: query.officeIDs)
    }

    /// Seats taken per slot start of a day, for booking on a caller's behalf.
    public func bookedCounts(procedureID: String, officeID: String, date: String, by actor: Operator) async throws -> [String: Int] {
        guard actor.may(.manageReservations, at: officeID) else { throw AccessError.forbidden }
        return try await store.bookedCounts(procedureID: procedureID, officeID: officeID, from: date, through: date)
    }

    /// The booking with `code` (any case), if the operator holds `permission` at its office.
    public func reservation(code: String, by actor: Operator, needs permission: Permission = .manageReservations) async throws -> Reservation {
        guard code.count <= 64, let found = try await store.reservation(code: code.uppercased()) else { throw ReservationRefusal.notFound }
        guard actor.may(permission, at: found.officeID) else { throw AccessError.forbidden }
        return found
    }

    /// Books for a caller: the rules for staff (see `ReservationService.book`).
    public func book(_ request: BookingRequest, by actor: Operator) async throws -> Reservation {
        guard actor.may(.manageReservations, at: request.officeID) else { throw AccessError.forbidden }
        let booked = try await service.book(request, staff: actor.login)
        try await audit.record("reservation.booked", by: actor, target: booked.code, detail: "\(booked.procedureID) \(booked.officeID) \(booked.start)")
        return booked
    }

    /// Checks a booking in at the counter: its priority ticket is issued.
    public func checkIn(code: String, by actor: Operator) async throws -> (Reservation, Ticket) {
        let found = try await reservation(code: code, by: actor, needs: .checkInReservations)
        let (checkedIn, ticket) = try await service.checkIn(code: found.code)
        try await audit.record("reservation.checked_in", by: actor, target: found.code, detail: "番号 \(ticket.displayNumber)")
        return (checkedIn, ticket)
    }

    public func cancel(code: String, reason: String, by actor: Operator) async throws -> Reservation {
        let found = try await reservation(code: code, by: actor)
        let cancelled = try await service.cancel(code: found.code, reason: reason, staff: actor.login)
        try await audit.record("reservation.cancelled", by: actor, target: found.code, detail: cancelled.cancelReason ?? "")
        return cancelled
    }

    public func change(code: String, to start: String, by actor: Operator) async throws -> Reservation {
        let found = try await reservation(code: code, by: actor)
        let changed = try await service.change(code: found.code, to: start, staff: actor.login)
        try await audit.record("reservation.changed", by: actor, target: found.code, detail: "\(found.start) → \(changed.start)")
        return changed
    }
}
