import Crypto
import Foundation
import MadoguchiCore
import SQLKit

/// The audit log in SQL. Each row stores the hash of the previous row and its own hash over both, so changing,
/// removing or inserting a row breaks the chain at that point. Writers are serialised (the last row is read and
/// the new one written in one transaction, locked on PostgreSQL).
public struct SQLAuditLog: AuditLog {
    let database: Database
    public init(database: Database) { self.database = database }

    static let genesis = String(repeating: "0", count: 64)

    static func hash(previous: String, _ entry: AuditEntry, sequence: Int64) -> String {
        let fields = [previous, String(sequence), String(Timestamp.micros(entry.at)), entry.actor, entry.action, entry.target, entry.address, entry.detail]
        // Length-prefixed, so no two different rows give the same input.
        let canonical = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public func append(_ entry: AuditEntry) async throws {
        let isPostgres = database.kind == .postgres
        try await database.transaction { db in
            if isPostgres { try await db.raw("LOCK TABLE audit_log IN EXCLUSIVE MODE").run() }
            let last = try await db.raw("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1").first()
            let previous = try last?.decode(column: "hash", as: String.self) ?? Self.genesis
            let sequence = (try last?.decode(column: "sequence", as: Int64.self) ?? 0) + 1
            try await db.raw("""
                INSERT INTO audit_log (sequence, at, actor, action, target, address, detail, previous_hash, hash)
                VALUES (\(bind: sequence), \(bind: Timestamp.micros(entry.at)), \(bind: entry.actor), \(bind: entry.action),
                  \(bind: entry.target), \(bind: entry.address), \(bind: entry.detail), \(bind: previous),
                  \(bind: Self.hash(previous: previous, entry, sequence: sequence)))
                """).run()
        }
    }

    static func decode(_ row: any SQLRow) throws -> AuditEntry {
        var entry = AuditEntry(
            at: Timestamp.date(try row.decode(column: "at", as: Int64.self)), actor: try row.decode(column: "actor", as: String.self),
            action: try row.decode(column: "action", as: String.self), target: try row.decode(column: "target", as: String.self),
            address: try row.decode(column: "address", as: String.self), detail: try row.decode(column: "detail", as: String.self))
        entry.sequence = try row.decode(column: "sequence", as: Int64.self)
        return entry
    }

    public func entries(_ query: AuditQuery) async throws -> [AuditEntry] {
        try await database.withConnection { db in
            var sql = SQLQueryString("SELECT * FROM audit_log WHERE 1 = 1")
            if let from = query.from { sql.appendInterpolation(unsafeRaw: " AND at >= "); sql.appendInterpolation(bind: Timestamp.micros(from)) }
            if let until = query.until { sql.appendInterpolation(unsafeRaw: " AND at < "); sql.appendInterpolation(bind: Timestamp.micros(until)) }
            if let actor = query.actor { sql.appendInterpolation(unsafeRaw: " AND actor = "); sql.appendInterpolation(bind: actor) }
            if let action = query.action { sql.appendInterpolation(unsafeRaw: " AND action LIKE "); sql.appendInterpolation(bind: action + "%") }
            sql.appendInterpolation(unsafeRaw: " ORDER BY sequence DESC LIMIT \(max(1, min(query.limit, 100_000)))")
            return try await db.raw(sql).all().map(Self.decode)
        }
    }

    public func verify() async throws -> (checked: Int, broken: AuditBreak?) {
        try await database.withConnection { db in
            var previous: String?
            var expectedSequence: Int64?
            var checked = 0
            for row in try await db.raw("SELECT * FROM audit_log ORDER BY sequence").all() {
                let entry = try Self.decode(row)
                let sequence = entry.sequence ?? 0
                let storedPrevious = try row.decode(column: "previous_hash", as: String.self)
                let storedHash = try row.decode(column: "hash", as: String.self)
                // The first row kept after pruning anchors the chain.
                if let expectedSequence, sequence != expectedSequence {
                    return (checked, AuditBreak(sequence: expectedSequence, reason: "記録が欠けています"))
                }
                if let previous, storedPrevious != previous {
                    return (checked, AuditBreak(sequence: sequence, reason: "前の記録とつながっていません"))
                }
                if Self.hash(previous: storedPrevious, entry, sequence: sequence) != storedHash {
                    return (checked, AuditBreak(sequence: sequence, reason: "内容が書き換えられています"))
                }
                previous = storedHash
                expectedSequence = sequence + 1
                checked += 1
            }
            return (checked, nil)
        }
    }

    public func prune(before date: Date) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("DELETE FROM audit_log WHERE at < \(bind: Timestamp.micros(date)) RETURNING sequence").all().count
        }
    }
}
