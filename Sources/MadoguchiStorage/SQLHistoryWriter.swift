import Foundation
import MadoguchiCore
import SQLKit

/// Writes generated past days in bulk (`madoguchi demo --history`): multi-row inserts, one transaction per day.
public struct SQLHistoryWriter: Sendable {
    let database: Database
    public init(database: Database) { self.database = database }

    /// A finished ticket of a past day with the wait it was told at issue.
    public struct PastTicket: Sendable {
        public var ticket: Ticket
        public var predictedWaitSeconds: Int?
        public init(ticket: Ticket, predictedWaitSeconds: Int?) {
            self.ticket = ticket
            self.predictedWaitSeconds = predictedWaitSeconds
        }
    }

    public func hasTickets(from: String, to: String) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw("SELECT id FROM tickets WHERE business_date BETWEEN \(bind: from) AND \(bind: to) LIMIT 1").first() != nil
        }
    }

    /// Stores one day's tickets and stage visits atomically.
    public func append(tickets: [PastTicket], records: [ServiceRecord]) async throws {
        // Parameters per statement stay far below SQLite's 32,766 and PostgreSQL's 65,535.
        let ticketColumns = [
            "id", "token", "office_id", "service_id", "business_date", "number", "display_number", "priority", "state",
            "stage_id", "counter_id", "assigned_counter_id", "sequence", "issued_at", "queued_at", "called_at", "version",
            "predicted_wait_s"
        ]
        let recordColumns = [
            "ticket_id", "service_id", "stage_id", "counter_id", "business_date", "called_at", "finished_at", "office_id",
            "queued_at", "staff_id"
        ]
        try await database.transaction { db in
            for chunk in stride(from: 0, to: tickets.count, by: 1000) {
                let insert = db.insert(into: "tickets").columns(ticketColumns)
                for past in tickets[chunk..<min(chunk + 1000, tickets.count)] {
                    let t = past.ticket
                    insert.values([
                        SQLBind(t.id), SQLBind(t.token), SQLBind(t.officeID), SQLBind(t.serviceID), SQLBind(t.businessDate), SQLBind(t.number),
                        SQLBind(t.displayNumber), SQLBind(t.priority ? 1 : 0), SQLBind(t.state.rawValue), SQLBind(t.stageID), SQLBind(t.counterID),
                        SQLBind(t.assignedCounterID), SQLBind(t.sequence), SQLBind(Timestamp.micros(t.issuedAt)), SQLBind(Timestamp.micros(t.queuedAt)),
                        SQLBind(t.calledAt.map(Timestamp.micros)), SQLBind(t.version), SQLBind(past.predictedWaitSeconds)
                    ])
                }
                try await insert.run()
            }
            for chunk in stride(from: 0, to: records.count, by: 2000) {
                let insert = db.insert(into: "service_records").columns(recordColumns)
                for r in records[chunk..<min(chunk + 2000, records.count)] {
                    insert.values([
                        SQLBind(r.ticketID), SQLBind(r.serviceID), SQLBind(r.stageID), SQLBind(r.counterID),
                        SQLBind(CityCalendar.businessDate(of: r.finishedAt)), SQLBind(Timestamp.micros(r.calledAt)),
                        SQLBind(Timestamp.micros(r.finishedAt)), SQLBind(r.officeID), SQLBind(r.queuedAt.map(Timestamp.micros)), SQLBind(r.staffID)
                    ])
                }
                try await insert.run()
            }
        }
    }
}
