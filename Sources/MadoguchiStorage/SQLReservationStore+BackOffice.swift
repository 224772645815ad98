import Foundation
import MadoguchiCore
import PostgresNIO
import SQLKit

/// The back office's searches and counts and the daily jobs (reminders, expiry and erasure) of the reservation store.
extension SQLReservationStore {
    // MARK: Back office

    public func search(_ query: ReservationQuery) async throws -> [Reservation] {
        var conditions: [SQLQueryString] = ["status <> 'held'"]
        if let offices = query.officeIDs { conditions.append(offices.isEmpty ? "1 = 0" : "office_id IN (\(binds: offices))") }
        if let procedure = query.procedureID { conditions.append("procedure_id = \(bind: procedure)") }
        if let from = query.from { conditions.append("slot_date >= \(bind: from)") }
        if let through = query.through { conditions.append("slot_date <= \(bind: through)") }
        if !query.statuses.isEmpty { conditions.append("status IN (\(binds: query.statuses.map(\.rawValue)))") }
        let text = query.text?.trimmingCharacters(in: .whitespaces) ?? ""
        let key = text.uppercased()
        let byKey = !key.isEmpty && key.count == 8 && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        if byKey { conditions.append("(code = \(bind: key) OR reservation_id = \(bind: key))") }
        let order: SQLQueryString =
            switch query.sort {
            case .start: "start, code"
            case .created: "created_at DESC, code"
            case .code: "code"
            case .status: "status, start, code"
            }
        // Contacts are sealed, so a search by phone or e-mail opens them here (within the other filters).
        let scanContacts = !text.isEmpty && !byKey
        let limit = scanContacts ? 100_000 : query.limit
        let rows = try await database.withConnection { db in
            try await db.raw("SELECT * FROM reservations WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT \(literal: limit)").all()
        }
        var found = try rows.map(decode)
        if scanContacts {
            let digits = text.filter(\.isNumber)
            found = found.filter { r in
                (r.email?.localizedCaseInsensitiveContains(text) ?? false) || (!digits.isEmpty && (r.phone?.contains(digits) ?? false))
            }
            found = Array(found.prefix(query.limit))
        }
        return found
    }

    public func counts(from: String, through: String, byMonth: Bool, officeIDs: [String]?) async throws -> [ReservationCount] {
        let period: SQLQueryString = byMonth ? "SUBSTR(slot_date, 1, 7)" : "slot_date"
        let offices: SQLQueryString = officeIDs.map { $0.isEmpty ? "AND 1 = 0" : "AND office_id IN (\(binds: $0))" } ?? ""
        let rows = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT \(period) AS period, procedure_id, office_id, status, COUNT(*) AS n FROM reservations
                WHERE slot_date >= \(bind: from) AND slot_date <= \(bind: through) \(offices)
                GROUP BY \(period), procedure_id, office_id, status ORDER BY 1, 2, 3
                """
            ).all()
        }
        var counts: [String: ReservationCount] = [:]
        var order: [String] = []
        for row in rows {
            let period = try row.decode(column: "period", as: String.self)
            let procedure = try row.decode(column: "procedure_id", as: String.self), office = try row.decode(column: "office_id", as: String.self)
            let key = "\(period)|\(procedure)|\(office)"
            if counts[key] == nil { order.append(key) }
            var count = counts[key] ?? ReservationCount(period: period, procedureID: procedure, officeID: office)
            let n = try row.decode(column: "n", as: Int.self)
            switch Reservation.Status(rawValue: try row.decode(column: "status", as: String.self)) {
            case .booked: count.booked += n
            case .checkedIn: count.checkedIn += n
            case .cancelled: count.cancelled += n
            case .lapsed: count.lapsed += n
            case nil: break
            }
            counts[key] = count
        }
        return order.compactMap { counts[$0] }
    }

    // MARK: Jobs

    public func queueReminders(date: String, compose: @Sendable (Reservation) -> ReservationMail?, at now: Date) async throws -> Int {
        let today = CityCalendar.businessDate(of: now)
        return try await database.transaction { db in
            // The update claims each booking's reminder: an instance that comes second finds nothing left to claim.
            let claimed = try await db.raw(
                """
                UPDATE reservations SET reminder_queued = 1
                WHERE slot_date = \(bind: date) AND status = 'booked' AND reminder_queued = 0 AND email_enc IS NOT NULL RETURNING *
                """
            ).all()
            var queued = 0
            for row in claimed {
                guard let mail = compose(try decode(row)) else { continue }
                try await Self.queue(
                    mail, recipient: try cipher.seal(mail.recipient), code: try row.decode(column: "code", as: String.self),
                    today: today, at: now, db)
                queued += 1
            }
            return queued
        }
    }

    public func expire(today: String, eraseThrough: [String: String], at now: Date) async throws {
        try await database.transaction { db in
            for row in try await db.raw(
                """
                DELETE FROM reservations WHERE status = 'held' AND hold_until < \(bind: Timestamp.micros(now)) RETURNING procedure_id, office_id, start
                """
            ).all() {
                try await Self.release(row, db)
            }
            try await db.raw("UPDATE reservations SET status = 'lapsed' WHERE status = 'booked' AND slot_date < \(bind: today)").run()
            for (procedureID, through) in eraseThrough.sorted(by: { $0.key < $1.key }) {
                try await db.raw(
                    """
                    UPDATE reservations SET phone_enc = NULL, email_enc = NULL, password_digest = NULL, contact_erased_at = \(bind: Timestamp.micros(now))
                    WHERE procedure_id = \(bind: procedureID) AND slot_date <= \(bind: through) AND contact_erased_at IS NULL
                    """
                ).run()
            }
        }
    }

    func decode(_ row: any SQLRow) throws -> Reservation {
        // (Holds never reach here: every query that returns bookings leaves them out.)
        guard let start = SlotTime(parsing: try row.decode(column: "start", as: String.self)) else {
            throw ReservationRefusal.invalidField(field: "start", message: "保存された日時が読めません。")
        }
        var r = Reservation(
            code: try row.decode(column: "code", as: String.self), procedureID: try row.decode(column: "procedure_id", as: String.self),
            officeID: try row.decode(column: "office_id", as: String.self), start: start,
            reservationID: try row.decode(column: "reservation_id", as: String?.self),
            phone: try row.decode(column: "phone_enc", as: String?.self).map(cipher.open),
            email: try row.decode(column: "email_enc", as: String?.self).map(cipher.open),
            language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .ja,
            status: Reservation.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .booked,
            bookedBy: try row.decode(column: "booked_by", as: String.self),
            createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)),
            hasPassword: try row.decode(column: "password_digest", as: String?.self) != nil)
        r.changedAt = try row.decode(column: "changed_at", as: Int64?.self).map(Timestamp.date)
        r.cancelledAt = try row.decode(column: "cancelled_at", as: Int64?.self).map(Timestamp.date)
        r.cancelReason = try row.decode(column: "cancel_reason", as: String?.self)
        r.cancelledBy = try row.decode(column: "cancelled_by", as: String?.self)
        r.checkedInAt = try row.decode(column: "checked_in_at", as: Int64?.self).map(Timestamp.date)
        r.ticketID = try row.decode(column: "ticket_id", as: String?.self)
        r.ticketNumber = try row.decode(column: "ticket_number", as: String?.self)
        r.contactErased = try row.decode(column: "contact_erased_at", as: Int64?.self) != nil
        return r
    }
}
