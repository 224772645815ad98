import Foundation
import MadoguchiCore
import SQLKit

/// Device presence, printer states, print jobs and print-agent keys.
public struct SQLDeviceStore: DeviceStore {
    let database: Database
    public init(database: Database) { self.database = database }

    public func recordPresence(_ presence: DevicePresence) async throws {
        try await database.withConnection { db in
            // A presence write without a printer state keeps the last reported one.
            try await db.raw(
                """
                INSERT INTO device_presence (kind, device_id, last_seen_at, connected, state, detail)
                VALUES (\(bind: presence.kind.rawValue), \(bind: presence.deviceID), \(bind: Timestamp.micros(presence.lastSeenAt)),
                  \(bind: presence.connected ? 1 : 0), \(bind: presence.state), \(bind: presence.detail))
                ON CONFLICT (kind, device_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, connected = excluded.connected,
                  state = COALESCE(excluded.state, device_presence.state),
                  detail = CASE WHEN excluded.state IS NULL THEN device_presence.detail ELSE excluded.detail END
                """
            ).run()
        }
    }

    public func presences() async throws -> [DevicePresence] {
        try await database.withConnection { db in
            try await db.raw("SELECT * FROM device_presence ORDER BY kind, device_id").all().compactMap { row in
                guard let kind = DevicePresence.Kind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
                return DevicePresence(
                    kind: kind, deviceID: try row.decode(column: "device_id", as: String.self),
                    lastSeenAt: Timestamp.date(try row.decode(column: "last_seen_at", as: Int64.self)),
                    connected: try row.decode(column: "connected", as: Int.self) != 0,
                    state: try row.decode(column: "state", as: String?.self), detail: try row.decode(column: "detail", as: String?.self))
            }
        }
    }

    public func pendingPrintJobs(kioskID: String, businessDate: String) async throws -> [PrintJob] {
        try await database.withConnection { db in
            try await db.raw(
                """
                SELECT p.ticket_id, p.created_at, t.token, t.display_number FROM print_jobs p JOIN tickets t ON t.id = p.ticket_id
                WHERE p.kiosk_id = \(bind: kioskID) AND p.business_date = \(bind: businessDate) AND p.printed_at IS NULL
                ORDER BY p.id
                """
            ).all().map { row in
                PrintJob(
                    ticketID: try row.decode(column: "ticket_id", as: String.self), token: try row.decode(column: "token", as: String.self),
                    displayNumber: try row.decode(column: "display_number", as: String.self),
                    createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)))
            }
        }
    }

    public func markPrinted(ticketID: String, kioskID: String, at now: Date) async throws -> Bool {
        try await database.withConnection { db in
            let rows = try await db.raw(
                """
                UPDATE print_jobs SET printed_at = \(bind: Timestamp.micros(now))
                WHERE ticket_id = \(bind: ticketID) AND kiosk_id = \(bind: kioskID) AND printed_at IS NULL RETURNING ticket_id
                """
            ).all()
            return !rows.isEmpty
        }
    }

    public func setAgentKey(kioskID: String, key: String) async throws {
        try await database.withConnection { db in
            try await db.raw(
                """
                INSERT INTO print_agent_keys (kiosk_id, key_hash, created_at) VALUES (\(bind: kioskID), \(bind: SecretDigest.hex(key)), \(bind: Timestamp.micros(Date())))
                ON CONFLICT (kiosk_id) DO UPDATE SET key_hash = excluded.key_hash, created_at = excluded.created_at
                """
            ).run()
        }
    }

    public func agentKeyMatches(kioskID: String, key: String) async throws -> Bool {
        try await database.withConnection { db in
            guard
                let stored = try await db.raw("SELECT key_hash FROM print_agent_keys WHERE kiosk_id = \(bind: kioskID)").first()?
                    .decode(column: "key_hash", as: String.self)
            else { return false }
            let offered = SecretDigest.hex(key)
            // Compare every byte, so timing does not reveal how much of a guess was right.
            return stored.utf8.count == offered.utf8.count && zip(stored.utf8, offered.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }
}
