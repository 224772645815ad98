import Foundation
import MadoguchiCore
import SQLKit

/// Attempt counts in the database, one row per key and window, updated by a single upsert so parallel attempts
/// on any instance are each counted exactly once. Keys are stored as keyed digests: the table never holds a
/// reservation ID, contact or address in clear.
public struct SQLAttemptCounter: AttemptCounter {
    let database: Database
    let digest: any KeyedDigest
    public init(database: Database, digest: any KeyedDigest) {
        self.database = database
        self.digest = digest
    }

    public func add(_ key: String, window: TimeInterval, at now: Date) async throws -> Int {
        let stamp = Timestamp.micros(now), cutoff = Timestamp.micros(now.addingTimeInterval(-window))
        return try await database.withConnection { db in
            // SET reads the row as it was before the update on both databases, so count and window start agree.
            try await db.raw(
                """
                INSERT INTO attempt_counts (key, window_start, count) VALUES (\(bind: digest.digest(key)), \(bind: stamp), 1)
                ON CONFLICT (key) DO UPDATE SET
                  count = CASE WHEN attempt_counts.window_start <= \(bind: cutoff) THEN 1 ELSE attempt_counts.count + 1 END,
                  window_start = CASE WHEN attempt_counts.window_start <= \(bind: cutoff) THEN \(bind: stamp) ELSE attempt_counts.window_start END
                RETURNING count
                """
            ).first()?.decode(column: "count", as: Int.self) ?? 1
        }
    }

    public func reset(_ key: String) async throws {
        try await database.withConnection { db in
            try await db.raw("DELETE FROM attempt_counts WHERE key = \(bind: digest.digest(key))").run()
        }
    }

    /// Removes windows that started before `cutoff` (the longest window ends before it); returns how many.
    @discardableResult
    public func purge(startedBefore cutoff: Date) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("DELETE FROM attempt_counts WHERE window_start < \(bind: Timestamp.micros(cutoff)) RETURNING key").all().count
        }
    }
}
