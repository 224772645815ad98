import Foundation
import MadoguchiCore
import PostgresNIO
import SQLKit

/// Bookings on SQLite and PostgreSQL. A seat is taken by `UPDATE reservation_slots SET booked = booked + 1 WHERE
/// booked < capacity` inside the booking's transaction, and the partial unique index
/// `reservations_one_active_per_id` refuses a second active booking of one ID, so neither concurrency nor a second
/// server process can overbook (R5). Phone, e-mail and dates of birth are stored sealed; passwords as a keyed digest.
public struct SQLReservationStore: ReservationStore {
    let database: Database
    let cipher: ContactCipher

    public init(database: Database, cipher: ContactCipher) {
        self.database = database
        self.cipher = cipher
    }

    // MARK: Imported IDs

    public func importIDs(_ ids: [ImportedReservationID], at now: Date, replaceableOfficeCodes: Set<String>?) async throws -> (added: Int, updated: Int) {
        let sealed = try ids.map { ($0, try $0.birthDate.map(cipher.seal)) }
        let postgres = database.kind == .postgres
        return try await database.transaction { db in
            var added = 0, updated = 0
            for chunk in stride(from: 0, to: sealed.count, by: 500).map({ Array(sealed[$0..<min($0 + 500, sealed.count)]) }) {
                // Locked on PostgreSQL, so a concurrent import cannot change an owner between this check and the update.
                let rows = try await db.raw(
                    """
                    SELECT id, office_code FROM reservation_ids WHERE id IN (\(binds: chunk.map(\.0.id)))\(unsafeRaw: postgres ? " FOR UPDATE" : "")
                    """
                ).all()
                var existing = Set<String>()
                for row in rows {
                    existing.insert(try row.decode(column: "id", as: String.self))
                    if let allowed = replaceableOfficeCodes, !allowed.contains(try row.decode(column: "office_code", as: String.self)) {
                        throw AccessError.forbidden
                    }
                }
                for (id, birth) in chunk {
                    if existing.contains(id.id) {
                        try await db.raw(
                            """
                            UPDATE reservation_ids SET office_code = \(bind: id.officeCode), birth_date_enc = \(bind: birth),
                              imported_at = \(bind: Timestamp.micros(now)) WHERE id = \(bind: id.id)
                            """
                        ).run()
                        updated += 1
                    } else {
                        try await db.raw(
                            """
                            INSERT INTO reservation_ids (id, office_code, birth_date_enc, imported_at)
                            VALUES (\(bind: id.id), \(bind: id.officeCode), \(bind: birth), \(bind: Timestamp.micros(now)))
                            """
                        ).run()
                        added += 1
                    }
                }
            }
            return (added, updated)
        }
    }

    public func importedID(_ id: String) async throws -> ImportedReservationID? {
        guard
            let row = try await database.withConnection({ db in
                try await db.raw("SELECT id, office_code, birth_date_enc FROM reservation_ids WHERE id = \(bind: id)").first()
            })
        else { return nil }
        return ImportedReservationID(
            id: try row.decode(column: "id", as: String.self), officeCode: try row.decode(column: "office_code", as: String.self),
            birthDate: try row.decode(column: "birth_date_enc", as: String?.self).map(cipher.open))
    }

    public func deleteData(ofIDs ids: [String], at now: Date) async throws -> Int {
        try await database.transaction { db in
            var deleted = 0
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                // Active bookings give their seats back before they go.
                for row in try await db.raw(
                    """
                    SELECT procedure_id, office_id, start FROM reservations WHERE reservation_id IN (\(binds: chunk)) AND status = 'booked'
                    """
                ).all() {
                    try await Self.release(row, db)
                }
                try await db.raw("DELETE FROM reservations WHERE reservation_id IN (\(binds: chunk))").run()
                deleted += try await db.raw("DELETE FROM reservation_ids WHERE id IN (\(binds: chunk)) RETURNING id").all().count
            }
            return deleted
        }
    }

    // MARK: Seats

    public func bookedCounts(procedureID: String, officeID: String, from: String, through: String) async throws -> [String: Int] {
        try await database.withConnection { db in
            var counts: [String: Int] = [:]
            for row in try await db.raw(
                """
                SELECT start, booked FROM reservation_slots
                WHERE procedure_id = \(bind: procedureID) AND office_id = \(bind: officeID)
                  AND start >= \(bind: from) AND start < \(bind: through + "U")
                """
            ).all() {
                counts[try row.decode(column: "start", as: String.self)] = try row.decode(column: "booked", as: Int.self)
            }
            return counts
        }
    }

    /// Takes one seat of the slot if fewer than `capacity` are taken; false when full.
    static func take(procedureID: String, officeID: String, start: String, capacity: Int, _ db: any SQLDatabase, postgres: Bool) async throws -> Bool {
        let conflict: SQLQueryString = postgres ? " ON CONFLICT DO NOTHING" : ""
        let insert: SQLQueryString = postgres ? "INSERT" : "INSERT OR IGNORE"
        try await db.raw(
            """
            \(insert) INTO reservation_slots (procedure_id, office_id, start, booked)
            VALUES (\(bind: procedureID), \(bind: officeID), \(bind: start), 0)\(conflict)
            """
        ).run()
        return try await !db.raw(
            """
            UPDATE reservation_slots SET booked = booked + 1
            WHERE procedure_id = \(bind: procedureID) AND office_id = \(bind: officeID) AND start = \(bind: start) AND booked < \(bind: capacity)
            RETURNING booked
            """
        ).all().isEmpty
    }

    static func release(_ row: any SQLRow, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE reservation_slots SET booked = booked - 1
            WHERE procedure_id = \(bind: try row.decode(column: "procedure_id", as: String.self))
              AND office_id = \(bind: try row.decode(column: "office_id", as: String.self))
              AND start = \(bind: try row.decode(column: "start", as: String.self)) AND booked > 0
            """
        ).run()
    }

    // MARK: Holds (R5)

    public func hold(procedureID: String, officeID: String, start: SlotTime, capacity: Int, code: String, until: Date, at now: Date) async throws {
        let postgres = database.kind == .postgres
        try await database.transaction { db in
            guard try await Self.take(procedureID: procedureID, officeID: officeID, start: start.description, capacity: capacity, db, postgres: postgres) else {
                throw ReservationRefusal.slotFull
            }
            try await db.raw(
                """
                INSERT INTO reservations (code, procedure_id, office_id, start, slot_date, language, status, booked_by, created_at, hold_until)
                VALUES (\(bind: code), \(bind: procedureID), \(bind: officeID), \(bind: start.description), \(bind: start.date), 'ja', 'held', 'web',
                  \(bind: Timestamp.micros(now)), \(bind: Timestamp.micros(until)))
                """
            ).run()
        }
    }

    public func releaseHold(code: String) async throws {
        try await database.transaction { db in
            for row in try await db.raw(
                """
                DELETE FROM reservations WHERE code = \(bind: code) AND status = 'held' RETURNING procedure_id, office_id, start
                """
            ).all() {
                try await Self.release(row, db)
            }
        }
    }

    // MARK: Bookings

    public func book(_ draft: ReservationDraft, mail: ReservationMail?, today: String, at now: Date) async throws -> Reservation {
        let r = draft.reservation
        let phone = try r.phone.map(cipher.seal), email = try r.email.map(cipher.seal)
        let digest = draft.password.map { cipher.keyedDigest(Self.passwordText(code: r.code, password: $0)) }
        let outgoing = try mail.map { ($0, try cipher.seal($0.recipient)) }
        let postgres = database.kind == .postgres
        do {
            try await database.transaction { db in
                if let id = r.reservationID {
                    // A booking whose date has passed no longer holds its ID.
                    try await db.raw(
                        """
                        UPDATE reservations SET status = 'lapsed' WHERE reservation_id = \(bind: id) AND status = 'booked' AND slot_date < \(bind: today)
                        """
                    ).run()
                    if try await db.raw("SELECT code FROM reservations WHERE reservation_id = \(bind: id) AND status = 'booked'").first() != nil {
                        throw ReservationRefusal.idAlreadyBooked
                    }
                }
                // The visitor's hold of this very slot, still running, hands its seat over; otherwise a seat is taken now.
                let heldSeat =
                    try await draft.holdCode.asyncMap { hold in
                        try await !db.raw(
                            """
                            DELETE FROM reservations WHERE code = \(bind: hold) AND status = 'held' AND procedure_id = \(bind: r.procedureID)
                              AND office_id = \(bind: r.officeID) AND start = \(bind: r.start.description) AND hold_until >= \(bind: Timestamp.micros(now))
                            RETURNING code
                            """
                        ).all().isEmpty
                    } ?? false
                if !heldSeat {
                    guard
                        try await Self.take(
                            procedureID: r.procedureID, officeID: r.officeID, start: r.start.description, capacity: draft.capacity,
                            db, postgres: postgres)
                    else {
                        throw ReservationRefusal.slotFull
                    }
                }
                try await db.raw(
                    """
                    INSERT INTO reservations (code, procedure_id, office_id, start, slot_date, reservation_id, phone_enc, email_enc, language,
                      password_digest, status, booked_by, created_at)
                    VALUES (\(bind: r.code), \(bind: r.procedureID), \(bind: r.officeID), \(bind: r.start.description), \(bind: r.start.date),
                      \(bind: r.reservationID), \(bind: phone), \(bind: email), \(bind: r.language.rawValue), \(bind: digest), 'booked',
                      \(bind: r.bookedBy), \(bind: Timestamp.micros(now)))
                    """
                ).run()
                if let (mail, recipient) = outgoing { try await Self.queue(mail, recipient: recipient, code: r.code, today: today, at: now, db) }
            }
        } catch let error where Self.isUniqueViolation(error) {
            // Another booking of the same ID committed between our check and our insert (PostgreSQL, several instances).
            throw ReservationRefusal.idAlreadyBooked
        }
        return r
    }

    static func passwordText(code: String, password: String) -> String { "reservation-password:\(code):\(password)" }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
        return String(describing: error).contains("UNIQUE constraint failed")
    }

    static func queue(_ mail: ReservationMail, recipient: String, code: String, today: String, at now: Date, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO outbox (subscription_id, ticket_id, business_date, channel, kind, recipient_enc, subject, body, state, next_attempt_at, created_at)
            VALUES (\(bind: "reservation:" + code), '', \(bind: today), 'email', \(bind: "reservation_" + mail.kind.rawValue), \(bind: recipient),
              \(bind: mail.subject), \(bind: mail.body), 'pending', \(bind: Timestamp.micros(now)), \(bind: Timestamp.micros(now)))
            """
        ).run()
    }

    public func reservation(code: String) async throws -> Reservation? {
        let row = try await database.withConnection { db in
            try await db.raw("SELECT * FROM reservations WHERE code = \(bind: code) AND status <> 'held'").first()
        }
        return try row.map(decode)
    }

    public func activeReservation(reservationID: String) async throws -> Reservation? {
        let row = try await database.withConnection { db in
            try await db.raw("SELECT * FROM reservations WHERE reservation_id = \(bind: reservationID) AND status = 'booked'").first()
        }
        return try row.map(decode)
    }

    public func verifyPassword(code: String, password: String, at now: Date) async throws -> Bool {
        let micros = Timestamp.micros(now), lock = Timestamp.micros(now.addingTimeInterval(30 * 60))
        return try await database.withConnection { db in
            // The check is claimed (counted as a failure in advance) in one statement that also refuses a locked
            // booking, so parallel guesses on any instance are claimed one by one and the sixth finds the lock.
            guard
                let claimed = try await db.raw(
                    """
                    UPDATE reservations SET
                      failed_attempts = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_attempts + 1 END,
                      locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_attempts + 1 END) >= 5
                        THEN \(bind: lock) ELSE NULL END
                    WHERE code = \(bind: code) AND password_digest IS NOT NULL AND (locked_until IS NULL OR locked_until <= \(bind: micros))
                    RETURNING password_digest
                    """
                ).first()
            else {
                let row = try await db.raw("SELECT locked_until FROM reservations WHERE code = \(bind: code)").first()
                if let until = try row?.decode(column: "locked_until", as: Int64?.self), until > micros { throw ReservationRefusal.locked }
                return false
            }
            let digest = try claimed.decode(column: "password_digest", as: String.self)
            guard cipher.matches(Self.passwordText(code: code, password: password), keyedDigest: digest) else { return false }
            try await db.raw("UPDATE reservations SET failed_attempts = 0, locked_until = NULL WHERE code = \(bind: code)").run()
            return true
        }
    }

    public func move(code: String, to start: SlotTime, capacity: Int, mail: ReservationMail?, at now: Date) async throws -> Reservation {
        let outgoing = try mail.map { ($0, try cipher.seal($0.recipient)) }
        let postgres = database.kind == .postgres
        let row = try await database.transaction { db -> any SQLRow in
            let lock: SQLQueryString = postgres ? " FOR UPDATE" : ""
            guard let current = try await db.raw("SELECT * FROM reservations WHERE code = \(bind: code) AND status = 'booked'\(lock)").first() else {
                throw ReservationRefusal.notActive
            }
            let procedureID = try current.decode(column: "procedure_id", as: String.self)
            let officeID = try current.decode(column: "office_id", as: String.self)
            guard try current.decode(column: "start", as: String.self) != start.description else { return current }
            guard try await Self.take(procedureID: procedureID, officeID: officeID, start: start.description, capacity: capacity, db, postgres: postgres) else {
                throw ReservationRefusal.slotFull
            }
            try await Self.release(current, db)
            guard
                let moved = try await db.raw(
                    """
                    UPDATE reservations SET start = \(bind: start.description), slot_date = \(bind: start.date), changed_at = \(bind: Timestamp.micros(now)),
                      reminder_queued = 0
                    WHERE code = \(bind: code) RETURNING *
                    """
                ).first()
            else { throw ReservationRefusal.notActive }
            if let (mail, recipient) = outgoing {
                try await Self.queue(mail, recipient: recipient, code: code, today: CityCalendar.businessDate(of: now), at: now, db)
            }
            return moved
        }
        return try decode(row)
    }

    public func cancel(code: String, reason: String, by: String, mail: ReservationMail?, at now: Date) async throws -> Reservation {
        let outgoing = try mail.map { ($0, try cipher.seal($0.recipient)) }
        let row = try await database.transaction { db -> any SQLRow in
            guard
                let cancelled = try await db.raw(
                    """
                    UPDATE reservations SET status = 'cancelled', cancelled_at = \(bind: Timestamp.micros(now)), cancel_reason = \(bind: reason),
                      cancelled_by = \(bind: by)
                    WHERE code = \(bind: code) AND status = 'booked' RETURNING *
                    """
                ).first()
            else { throw ReservationRefusal.notActive }
            try await Self.release(cancelled, db)
            if let (mail, recipient) = outgoing {
                try await Self.queue(mail, recipient: recipient, code: code, today: CityCalendar.businessDate(of: now), at: now, db)
            }
            return cancelled
        }
        return try decode(row)
    }

    public func checkIn(code: String, at now: Date) async throws -> Reservation {
        let row = try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE reservations SET status = 'checked_in', checked_in_at = \(bind: Timestamp.micros(now))
                WHERE code = \(bind: code) AND status = 'booked' RETURNING *
                """
            ).first()
        }
        guard let row else { throw ReservationRefusal.notActive }
        return try decode(row)
    }

    public func recordTicket(code: String, ticketID: String, ticketNumber: String) async throws {
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE reservations SET ticket_id = \(bind: ticketID), ticket_number = \(bind: ticketNumber) WHERE code = \(bind: code)
                """
            ).run()
        }
    }

    public func undoCheckIn(code: String) async throws {
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE reservations SET status = 'booked', checked_in_at = NULL WHERE code = \(bind: code) AND status = 'checked_in' AND ticket_id IS NULL
                """
            ).run()
        }
    }

}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
