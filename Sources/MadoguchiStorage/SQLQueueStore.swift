import Foundation
import MadoguchiCore
import SQLKit

/// The queue on SQLite or PostgreSQL.
///
/// Concurrency: on SQLite every transaction holds the single write lock (`BEGIN IMMEDIATE`). On PostgreSQL,
/// numbering locks the service's sequence row (`FOR UPDATE`), call-next locks its candidate rows
/// (`FOR UPDATE SKIP LOCKED`) and every ticket update checks the version it read, so two counters, or two server
/// processes, never get the same ticket; partial unique indexes back this up.
public struct SQLQueueStore: QueueStore {
    let database: Database
    /// Told after commit which events other instances must fetch (PostgreSQL NOTIFY); nil on SQLite.
    let notifyChannel: String?

    public init(database: Database) {
        self.database = database
        notifyChannel = database.kind == .postgres ? PostgresEventListener.channel : nil
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any QueueTransaction) async throws -> T) async throws -> T {
        let kind = database.kind
        let channel = notifyChannel
        return try await database.transaction { db in
            try await body(SQLQueueTransaction(db: db, kind: kind, notifyChannel: channel))
        }
    }

    /// The wait told at issue, for statistics; the first writer wins.
    public func recordPredictedWait(ticketID: String, seconds: Int) async throws {
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE tickets SET predicted_wait_s = \(bind: seconds) WHERE id = \(bind: ticketID) AND predicted_wait_s IS NULL
                """
            ).run()
        }
    }

    public func snapshot(businessDate: String) async throws -> QueueSnapshot {
        try await database.withConnection { db in
            let tickets = try await db.raw("SELECT * FROM tickets WHERE business_date = \(bind: businessDate)").all().map(TicketRow.decode)
            // The newest records of each stage, enough for the wait estimate: one index range per stage, so start-up
            // does not grow with years of history (a correlated subquery over every record took 86 s on a year).
            var records: [ServiceRecord] = []
            for stage in try await db.raw("SELECT id FROM stages").all().map({ try $0.decode(column: "id", as: String.self) }) {
                records += try await db.raw(
                    """
                    SELECT * FROM service_records WHERE stage_id = \(bind: stage) ORDER BY id DESC LIMIT \(literal: WaitEstimate.sampleSize)
                    """
                ).all().map(ServiceRecordRow.decode)
            }
            records.sort { $0.finishedAt < $1.finishedAt }
            let open = try await db.raw("SELECT counter_id FROM counter_states WHERE is_open = 1 AND opened_on = \(bind: businessDate)")
                .all().map { try $0.decode(column: "counter_id", as: String.self) }
            var closures: [String: String] = [:]
            for row in try await db.raw("SELECT service_id, message FROM service_closures WHERE business_date = \(bind: businessDate)").all() {
                closures[try row.decode(column: "service_id", as: String.self)] = try row.decode(column: "message", as: String.self)
            }
            var menuChoices: [String: String] = [:]
            for row in try await db.raw("SELECT kiosk_id, menu_set_id FROM kiosk_menu_choices WHERE business_date = \(bind: businessDate)").all() {
                menuChoices[try row.decode(column: "kiosk_id", as: String.self)] = try row.decode(column: "menu_set_id", as: String.self)
            }
            return QueueSnapshot(
                businessDate: businessDate, tickets: tickets, recentServiceRecords: records, openCounterIDs: Set(open),
                serviceClosures: closures, kioskMenuChoices: menuChoices)
        }
    }

    public func ticket(token: String) async throws -> Ticket? {
        try await database.withConnection { db in
            try await db.raw("SELECT * FROM tickets WHERE token = \(bind: token)").first().map(TicketRow.decode)
        }
    }

    public func events(sequences: [Int64]) async throws -> [DomainEvent] {
        guard !sequences.isEmpty else { return [] }
        return try await database.withConnection { db in
            try await db.raw("SELECT sequence, payload FROM events WHERE sequence IN (\(binds: sequences)) ORDER BY sequence").all().map(Self.event)
        }
    }

    public func events(officeID: String, after sequence: Int64, limit: Int) async throws -> [DomainEvent] {
        try await database.withConnection { db in
            try await db.raw(
                """
                SELECT sequence, payload FROM events WHERE office_id = \(bind: officeID) AND sequence > \(bind: sequence)
                ORDER BY sequence LIMIT \(literal: limit)
                """
            ).all().map(Self.event)
        }
    }

    private static func event(_ row: any SQLRow) throws -> DomainEvent {
        var event = try EventCoding.decode(try row.decode(column: "payload", as: String.self))
        event.sequence = try row.decode(column: "sequence", as: Int64.self)
        return event
    }
}

struct SQLQueueTransaction: QueueTransaction {
    let db: any SQLDatabase
    let kind: Database.Kind
    let notifyChannel: String?

    private static let activeStates: SQLQueryString = "('waiting', 'called', 'held', 'absent')"

    func lockCounter(_ counterID: String, businessDate: String) async throws -> Bool {
        try await db.raw("INSERT INTO counter_states (counter_id, is_open, version) VALUES (\(bind: counterID), 0, 0) ON CONFLICT (counter_id) DO NOTHING")
            .run()
        // The update takes the row lock on PostgreSQL: operations of one counter run one after another.
        try await db.raw("UPDATE counter_states SET version = version + 1 WHERE counter_id = \(bind: counterID)").run()
        let row = try await db.raw("SELECT is_open, opened_on FROM counter_states WHERE counter_id = \(bind: counterID)").first()
        let isOpen = try row?.decode(column: "is_open", as: Int.self) == 1
        let openedOn = try row?.decode(column: "opened_on", as: String?.self)
        return isOpen && openedOn == businessDate
    }

    func serviceClosure(serviceID: String, businessDate: String) async throws -> String? {
        try await db.raw(
            """
            SELECT message FROM service_closures WHERE service_id = \(bind: serviceID) AND business_date = \(bind: businessDate)
            """
        ).first()?.decode(column: "message", as: String.self)
    }

    func setServiceClosure(serviceID: String, businessDate: String, message: String?) async throws {
        try await db.raw("DELETE FROM service_closures WHERE service_id = \(bind: serviceID) AND business_date = \(bind: businessDate)").run()
        if let message {
            try await db.raw(
                """
                INSERT INTO service_closures (service_id, business_date, message) VALUES (\(bind: serviceID), \(bind: businessDate), \(bind: message))
                """
            ).run()
        }
    }

    func setKioskMenuChoice(kioskID: String, businessDate: String, menuSetID: String?) async throws {
        try await db.raw("DELETE FROM kiosk_menu_choices WHERE kiosk_id = \(bind: kioskID) AND business_date = \(bind: businessDate)").run()
        if let menuSetID {
            try await db.raw(
                """
                INSERT INTO kiosk_menu_choices (kiosk_id, business_date, menu_set_id) VALUES (\(bind: kioskID), \(bind: businessDate), \(bind: menuSetID))
                """
            ).run()
        }
    }

    func webTicketCounts(serviceID: String, businessDate: String, hourStart: Date) async throws -> (day: Int, hour: Int) {
        guard
            let row = try await db.raw(
                """
                SELECT COUNT(*) AS day, COALESCE(SUM(CASE WHEN issued_at >= \(bind: Timestamp.micros(hourStart)) THEN 1 ELSE 0 END), 0) AS hour
                FROM tickets WHERE service_id = \(bind: serviceID) AND business_date = \(bind: businessDate) AND web_checked_in IS NOT NULL
                """
            ).first()
        else { return (0, 0) }
        return (try row.decode(column: "day", as: Int.self), try row.decode(column: "hour", as: Int.self))
    }

    func hasActiveWebTicket(contactDigest: String, businessDate: String) async throws -> Bool {
        try await db.raw(
            """
            SELECT 1 AS found FROM web_ticket_contacts c JOIN tickets t ON t.id = c.ticket_id
            WHERE c.contact_digest = \(bind: contactDigest) AND c.business_date = \(bind: businessDate) AND t.state IN \(Self.activeStates)
            """
        ).first() != nil
    }

    func recordWebContact(ticketID: String, contactDigest: String, businessDate: String) async throws {
        try await db.raw(
            """
            INSERT INTO web_ticket_contacts (ticket_id, business_date, contact_digest)
            VALUES (\(bind: ticketID), \(bind: businessDate), \(bind: contactDigest))
            """
        ).run()
    }

    func expiredWebHolds(businessDate: String, now: Date) async throws -> [Ticket] {
        try await db.raw(
            """
            SELECT * FROM tickets WHERE business_date = \(bind: businessDate) AND state = 'held' AND web_checked_in = 0
              AND web_hold_until < \(bind: Timestamp.micros(now))
            """
        ).all().map(TicketRow.decode)
    }

    func addPrintJob(ticketID: String, kioskID: String, businessDate: String, at now: Date) async throws {
        try await db.raw(
            """
            INSERT INTO print_jobs (ticket_id, kiosk_id, business_date, created_at)
            VALUES (\(bind: ticketID), \(bind: kioskID), \(bind: businessDate), \(bind: Timestamp.micros(now)))
            """
        ).run()
    }

    func setCounterOpen(_ counterID: String, open: Bool, at now: Date) async throws {
        try await db.raw(
            """
            UPDATE counter_states SET is_open = \(bind: open ? 1 : 0), opened_on = \(bind: CityCalendar.businessDate(of: now))
            WHERE counter_id = \(bind: counterID)
            """
        ).run()
    }

    func reserveNumber(for service: Service, businessDate: String) async throws -> (number: Int, sequence: Int)? {
        let range = service.numberRange
        // A stored range that the settings would refuse today hands out nothing rather than overflow.
        guard range.isValid else { return nil }
        // One statement creates or advances the day's counter and returns it. The CASE is
        // `NumberRange.successor(of:)` in SQL, so the common path costs a single round trip; on PostgreSQL the
        // upsert also takes the row lock, so concurrent issuers of the service queue here until this commit.
        guard
            let row = try await db.raw(
                """
                INSERT INTO number_sequences (service_id, business_date, last_number, issued)
                VALUES (\(bind: service.id), \(bind: businessDate), \(bind: range.lowerBound), 1)
                ON CONFLICT (service_id, business_date) DO UPDATE SET
                  issued = number_sequences.issued + 1,
                  last_number = CASE
                    WHEN number_sequences.last_number IS NULL OR number_sequences.last_number < \(bind: range.lowerBound)
                      OR number_sequences.last_number >= \(bind: range.upperBound) THEN \(bind: range.lowerBound)
                    ELSE number_sequences.last_number + 1 END
                RETURNING last_number, issued
                """
            ).first()
        else { return nil }
        let number = try row.decode(column: "last_number", as: Int.self)
        let issued = try row.decode(column: "issued", as: Int.self)
        // Until the first wrap of the day the numbers issued are exactly lower…number, so this one is unused; only
        // after a wrap must numbers still held by active tickets be looked up and skipped.
        let neverWrapped = issued == number - range.lowerBound + 1
        guard !neverWrapped, try await isActive(number, service: service.id, businessDate: businessDate) else {
            return (number, issued)
        }
        let taken = Set(
            try await db.raw(
                """
                SELECT number FROM tickets WHERE service_id = \(bind: service.id) AND business_date = \(bind: businessDate)
                AND state IN \(Self.activeStates)
                """
            ).all().map { try $0.decode(column: "number", as: Int.self) })
        guard let free = range.nextFree(after: number, isTaken: taken.contains) else { return nil }
        try await db.raw(
            """
            UPDATE number_sequences SET last_number = \(bind: free) WHERE service_id = \(bind: service.id) AND business_date = \(bind: businessDate)
            """
        ).run()
        return (free, issued)
    }

    private func isActive(_ number: Int, service: String, businessDate: String) async throws -> Bool {
        try await db.raw(
            """
            SELECT 1 AS found FROM tickets WHERE service_id = \(bind: service) AND business_date = \(bind: businessDate)
            AND number = \(bind: number) AND state IN \(Self.activeStates)
            """
        ).first() != nil
    }

    func insert(_ ticket: Ticket) async throws {
        try await db.raw(
            """
            INSERT INTO tickets (id, token, office_id, service_id, business_date, number, display_number, priority, state, stage_id,
              counter_id, assigned_counter_id, sequence, issued_at, queued_at, called_at, version, web_checked_in, web_hold_until)
            VALUES (\(bind: ticket.id), \(bind: ticket.token), \(bind: ticket.officeID), \(bind: ticket.serviceID),
              \(bind: ticket.businessDate), \(bind: ticket.number), \(bind: ticket.displayNumber), \(bind: ticket.priority ? 1 : 0),
              \(bind: ticket.state.rawValue), \(bind: ticket.stageID), \(bind: ticket.counterID), \(bind: ticket.assignedCounterID),
              \(bind: ticket.sequence), \(bind: Timestamp.micros(ticket.issuedAt)), \(bind: Timestamp.micros(ticket.queuedAt)),
              \(bind: ticket.calledAt.map(Timestamp.micros)), \(bind: ticket.version), \(bind: ticket.web.map { $0.checkedIn ? 1 : 0 }),
              \(bind: ticket.web?.holdUntil.map(Timestamp.micros)))
            """
        ).run()
    }

    func update(_ ticket: Ticket, expectedVersion: Int) async throws -> Bool {
        try await db.raw(
            """
            UPDATE tickets SET state = \(bind: ticket.state.rawValue), stage_id = \(bind: ticket.stageID),
              counter_id = \(bind: ticket.counterID), assigned_counter_id = \(bind: ticket.assignedCounterID),
              queued_at = \(bind: Timestamp.micros(ticket.queuedAt)), called_at = \(bind: ticket.calledAt.map(Timestamp.micros)),
              priority = \(bind: ticket.priority ? 1 : 0), version = \(bind: ticket.version),
              web_checked_in = \(bind: ticket.web.map { $0.checkedIn ? 1 : 0 }), web_hold_until = \(bind: ticket.web?.holdUntil.map(Timestamp.micros))
            WHERE id = \(bind: ticket.id) AND version = \(bind: expectedVersion)
            RETURNING id
            """
        ).first() != nil
    }

    func currentTicket(counterID: String, businessDate: String) async throws -> Ticket? {
        try await db.raw(
            """
            SELECT * FROM tickets WHERE counter_id = \(bind: counterID) AND business_date = \(bind: businessDate) AND state = 'called'
            """
        ).first().map(TicketRow.decode)
    }

    func callCandidates(for counter: Counter, businessDate: String, limit: Int) async throws -> [Ticket] {
        guard !counter.stageIDs.isEmpty else { return [] }
        // Same order as WaitingLine.callOrder: the counter's own line, priority, arrival at the stage, issue order.
        let lock: SQLQueryString = kind == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await db.raw(
            """
            SELECT * FROM tickets
            WHERE business_date = \(bind: businessDate) AND state = 'waiting' AND stage_id IN (\(binds: counter.stageIDs))
              AND (assigned_counter_id IS NULL OR assigned_counter_id = \(bind: counter.id))
            ORDER BY CASE WHEN assigned_counter_id IS NULL THEN 1 ELSE 0 END, priority DESC, queued_at, sequence, id
            LIMIT \(literal: limit)\(lock)
            """
        ).all().map(TicketRow.decode)
    }

    func activeTickets(officeID: String, number: Int, businessDate: String) async throws -> [Ticket] {
        try await db.raw(
            """
            SELECT * FROM tickets WHERE office_id = \(bind: officeID) AND business_date = \(bind: businessDate)
            AND number = \(bind: number) AND state IN \(Self.activeStates) ORDER BY issued_at
            """
        ).all().map(TicketRow.decode)
    }

    func record(_ record: ServiceRecord) async throws {
        try await db.raw(
            """
            INSERT INTO service_records (ticket_id, service_id, stage_id, counter_id, business_date, called_at, finished_at,
              office_id, queued_at, staff_id)
            VALUES (\(bind: record.ticketID), \(bind: record.serviceID), \(bind: record.stageID), \(bind: record.counterID),
              \(bind: CityCalendar.businessDate(of: record.finishedAt)), \(bind: Timestamp.micros(record.calledAt)),
              \(bind: Timestamp.micros(record.finishedAt)), \(bind: record.officeID), \(bind: record.queuedAt.map(Timestamp.micros)),
              \(bind: record.staffID))
            """
        ).run()
    }

    func append(_ events: [DomainEvent]) async throws -> [DomainEvent] {
        var stored: [DomainEvent] = []
        for event in events {
            let row = try await db.raw(
                """
                INSERT INTO events (office_id, kind, occurred_at, payload)
                VALUES (\(bind: event.officeID), \(bind: event.kind.rawValue), \(bind: Timestamp.micros(event.occurredAt)),
                  \(bind: try EventCoding.encode(event)))
                RETURNING sequence
                """
            ).first()
            var withSequence = event
            withSequence.sequence = try row?.decode(column: "sequence", as: Int64.self)
            stored.append(withSequence)
        }
        if let notifyChannel, !stored.isEmpty {
            // Delivered to every listening instance when (and only if) this transaction commits.
            let payload = stored.compactMap(\.sequence).map(String.init).joined(separator: ",")
            try await db.raw("SELECT pg_notify(\(bind: notifyChannel), \(bind: payload))").run()
        }
        return stored
    }
}

enum TicketRow {
    static func decode(_ row: any SQLRow) throws -> Ticket {
        Ticket(
            id: try row.decode(column: "id", as: String.self),
            token: try row.decode(column: "token", as: String.self),
            officeID: try row.decode(column: "office_id", as: String.self),
            serviceID: try row.decode(column: "service_id", as: String.self),
            businessDate: try row.decode(column: "business_date", as: String.self),
            number: try row.decode(column: "number", as: Int.self),
            displayNumber: try row.decode(column: "display_number", as: String.self),
            priority: try row.decode(column: "priority", as: Int.self) == 1,
            state: TicketState(rawValue: try row.decode(column: "state", as: String.self)) ?? .cancelled,
            stageID: try row.decode(column: "stage_id", as: String.self),
            counterID: try row.decode(column: "counter_id", as: String?.self),
            assignedCounterID: try row.decode(column: "assigned_counter_id", as: String?.self),
            sequence: try row.decode(column: "sequence", as: Int.self),
            issuedAt: Timestamp.date(try row.decode(column: "issued_at", as: Int64.self)),
            queuedAt: Timestamp.date(try row.decode(column: "queued_at", as: Int64.self)),
            calledAt: try row.decode(column: "called_at", as: Int64?.self).map(Timestamp.date),
            version: try row.decode(column: "version", as: Int.self),
            web: try row.decode(column: "web_checked_in", as: Int?.self).map { checkedIn in
                WebTicketInfo(checkedIn: checkedIn != 0, holdUntil: try row.decode(column: "web_hold_until", as: Int64?.self).map(Timestamp.date))
            })
    }
}

enum ServiceRecordRow {
    static func decode(_ row: any SQLRow) throws -> ServiceRecord {
        ServiceRecord(
            ticketID: try row.decode(column: "ticket_id", as: String.self),
            serviceID: try row.decode(column: "service_id", as: String.self),
            stageID: try row.decode(column: "stage_id", as: String.self),
            counterID: try row.decode(column: "counter_id", as: String.self),
            calledAt: Timestamp.date(try row.decode(column: "called_at", as: Int64.self)),
            finishedAt: Timestamp.date(try row.decode(column: "finished_at", as: Int64.self)))
    }
}
