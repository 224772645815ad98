import Crypto
import Foundation
import MadoguchiCore
import SQLKit

/// The audit log in SQL, chained and keyed. Each row stores the MAC of the previous row and its own MAC over both:
/// an HMAC-SHA-256 under a key derived from the data key ring (`MADOGUCHI_DATA_KEYS`), which is never in the
/// database, so whoever can write the table can still not recompute the chain after changing a row. The chain's
/// head (last sequence and MAC) is anchored outside the table — in every backup record and in the server log — so
/// removing the newest rows shows; pruning writes a keyed marker naming the first row it kept, so removing the
/// oldest rows shows too. Writers are serialised (the last row is read and the new one written in one
/// transaction, locked on PostgreSQL). Rows written before the chain was keyed (a plain SHA-256) still verify,
/// but only before the first keyed row.
public struct SQLAuditLog: AuditLog {
    let database: Database
    let keys: ContactCipher
    public init(database: Database, keys: ContactCipher) {
        self.database = database
        self.keys = keys
    }

    static let genesis = String(repeating: "0", count: 64)
    static let pruneAction = "audit.pruned"

    /// The MAC key of `keyID`'s ring entry, derived for this one purpose.
    func macKey(_ keyID: String) -> SymmetricKey? {
        guard let key = keys.keys.first(where: { $0.id == keyID }) else { return nil }
        return HKDF<SHA256>.deriveKey(inputKeyMaterial: key.key, info: Data("madoguchi audit chain".utf8), outputByteCount: 32)
    }

    static func canonical(previous: String, _ entry: AuditEntry, sequence: Int64) -> Data {
        let fields = [previous, String(sequence), String(Timestamp.micros(entry.at)), entry.actor, entry.action, entry.target, entry.address, entry.detail]
        // Length-prefixed, so no two different rows give the same input.
        return Data(fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|").utf8)
    }

    /// `KEYID:HMAC` of a row, under the ring's first key.
    func mac(previous: String, _ entry: AuditEntry, sequence: Int64) -> String {
        let id = keys.keys[0].id
        let code = HMAC<SHA256>.authenticationCode(for: Self.canonical(previous: previous, entry, sequence: sequence), using: macKey(id)!)
        return id + ":" + Data(code).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `stored` is the row's MAC (or, for rows written before the chain was keyed, its SHA-256); nil when
    /// the key it names is no longer in the ring.
    func matches(_ stored: String, previous: String, _ entry: AuditEntry, sequence: Int64) -> Bool? {
        let parts = stored.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            return SHA256.hash(data: Self.canonical(previous: previous, entry, sequence: sequence)).map { String(format: "%02x", $0) }.joined() == stored
        }
        guard let key = macKey(parts[0]), let code = Data(hex: parts[1]) else { return nil }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Self.canonical(previous: previous, entry, sequence: sequence), using: key)
    }

    public func append(_ entry: AuditEntry) async throws {
        try await database.transaction { db in try await append(entry, in: db) }
    }

    private func append(_ entry: AuditEntry, in db: any SQLDatabase) async throws {
        if database.kind == .postgres { try await db.raw("LOCK TABLE audit_log IN EXCLUSIVE MODE").run() }
        let last = try await db.raw("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1").first()
        let previous = try last?.decode(column: "hash", as: String.self) ?? Self.genesis
        let sequence = (try last?.decode(column: "sequence", as: Int64.self) ?? 0) + 1
        try await db.raw(
            """
            INSERT INTO audit_log (sequence, at, actor, action, target, address, detail, previous_hash, hash)
            VALUES (\(bind: sequence), \(bind: Timestamp.micros(entry.at)), \(bind: entry.actor), \(bind: entry.action),
              \(bind: entry.target), \(bind: entry.address), \(bind: entry.detail), \(bind: previous),
              \(bind: mac(previous: previous, entry, sequence: sequence)))
            """
        ).run()
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

    /// The newest row's sequence and MAC: what backups and the server log keep as anchors.
    public func head() async throws -> AuditHead? {
        try await database.withConnection { db in
            try await db.raw("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1").first().map {
                AuditHead(sequence: try $0.decode(column: "sequence", as: Int64.self), mac: try $0.decode(column: "hash", as: String.self))
            }
        }
    }

    public func verify() async throws -> (checked: Int, broken: AuditBreak?) {
        try await verify(anchors: try await Backup.auditAnchors(in: database))
    }

    /// Verifies the chain and that it still holds every anchor given (heads recorded in backups or read from the
    /// server log), with the same MAC at the same sequence.
    public func verify(anchors: [AuditHead]) async throws -> (checked: Int, broken: AuditBreak?) {
        try await database.withConnection { db in
            var previous: String?
            var expectedSequence: Int64?
            var checked = 0, keyed = false
            var firstSequence: Int64?, lastSequence: Int64 = 0
            var macs: [Int64: String] = [:]
            let anchored = Set(anchors.map(\.sequence))
            var firstKept: Int64?  // named by the newest prune marker
            for row in try await db.raw("SELECT * FROM audit_log ORDER BY sequence").all() {
                let entry = try Self.decode(row)
                let sequence = entry.sequence ?? 0
                let storedPrevious = try row.decode(column: "previous_hash", as: String.self)
                let storedHash = try row.decode(column: "hash", as: String.self)
                if let expectedSequence, sequence != expectedSequence {
                    return (checked, AuditBreak(sequence: expectedSequence, reason: "記録が欠けています"))
                }
                if let previous, storedPrevious != previous {
                    return (checked, AuditBreak(sequence: sequence, reason: "前の記録とつながっていません"))
                }
                switch matches(storedHash, previous: storedPrevious, entry, sequence: sequence) {
                case .none: return (checked, AuditBreak(sequence: sequence, reason: "検証の鍵（MADOGUCHI_DATA_KEYS）がありません"))
                case .some(false): return (checked, AuditBreak(sequence: sequence, reason: "内容が書き換えられています"))
                case .some(true): break
                }
                let isKeyed = storedHash.contains(":")
                if keyed && !isKeyed { return (checked, AuditBreak(sequence: sequence, reason: "鍵のない記録が後から加えられています")) }
                keyed = keyed || isKeyed
                if isKeyed, entry.action == Self.pruneAction, let value = entry.detail.split(separator: "=").last.flatMap({ Int64($0) }) {
                    firstKept = value
                }
                if anchored.contains(sequence) { macs[sequence] = storedHash }
                if firstSequence == nil { firstSequence = sequence }
                lastSequence = sequence
                previous = storedHash
                expectedSequence = sequence + 1
                checked += 1
            }
            // The oldest rows may only be missing where a prune said it removed them.
            if let firstSequence, firstSequence != (firstKept ?? 1), firstSequence > 1 {
                return (checked, AuditBreak(sequence: firstKept ?? 1, reason: "古い記録が保存期間内に消されています"))
            }
            for anchor in anchors.sorted(by: { $0.sequence < $1.sequence }) where anchor.sequence >= (firstSequence ?? 1) {
                if anchor.sequence > lastSequence {
                    return (checked, AuditBreak(sequence: lastSequence + 1, reason: "新しい記録が消されています（\(anchor.sequence) 番まであったはずです）"))
                }
                if macs[anchor.sequence] != anchor.mac {
                    return (checked, AuditBreak(sequence: anchor.sequence, reason: "控えの値と一致しません（作り直されています）"))
                }
            }
            return (checked, nil)
        }
    }

    /// Deletes entries older than `date` and, in the same transaction, appends a keyed marker naming the first
    /// entry kept, so nobody can remove more of the oldest entries unnoticed.
    public func prune(before date: Date) async throws -> Int {
        try await database.transaction { db in
            if database.kind == .postgres { try await db.raw("LOCK TABLE audit_log IN EXCLUSIVE MODE").run() }
            let deleted = try await db.raw("DELETE FROM audit_log WHERE at < \(bind: Timestamp.micros(date)) RETURNING sequence").all().count
            guard deleted > 0 else { return 0 }
            let first = try await db.raw("SELECT MIN(sequence) AS first FROM audit_log").first()?.decode(column: "first", as: Int64?.self)
            let next = try await db.raw("SELECT MAX(sequence) AS last FROM audit_log").first()?.decode(column: "last", as: Int64?.self)
            // An empty table after pruning: the marker itself is the first entry kept.
            let firstKept = first ?? ((next ?? 0) + 1)
            try await append(
                AuditEntry(
                    at: Date(), actor: "system", action: Self.pruneAction, target: "audit_log", address: "",
                    detail: "removed=\(deleted) first_kept=\(firstKept)"), in: db)
            return deleted
        }
    }
}

extension Data {
    /// Bytes of a hexadecimal text; nil when it is not one.
    init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
