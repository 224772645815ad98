import Foundation
import MadoguchiCore
import MadoguchiStorage
import PostgresNIO
import Synchronization

/// The databases every storage contract test runs on: SQLite always, PostgreSQL when
/// `MADOGUCHI_TEST_POSTGRES_URL` names a server (scripts/test starts one).
public enum TestDatabaseKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    public var description: String { rawValue }

    public static var available: [TestDatabaseKind] {
        TestDatabases.postgresAdminURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }
}

/// A fresh, empty database for one test, removed by `drop()`.
public struct TestDatabase: Sendable {
    public let url: DatabaseURL
    let cleanup: @Sendable () async throws -> Void
    public func drop() async { try? await cleanup() }
}

public enum TestDatabases {
    public static var postgresAdminURL: String? {
        guard let url = ProcessInfo.processInfo.environment["MADOGUCHI_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    public static func make(_ kind: TestDatabaseKind) async throws -> TestDatabase {
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return TestDatabase(url: .sqlite(path: directory.appendingPathComponent("test.sqlite").path)) {
                try FileManager.default.removeItem(at: directory)
            }
        case .postgres:
            guard let admin = postgresAdminURL, case .postgres(let host, let port, let user, let password, let adminDB, _) = try DatabaseURL(parsing: admin)
            else {
                throw TestSetupError("MADOGUCHI_TEST_POSTGRES_URL is not set")
            }
            let name = "madoguchi_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
            try await withAdminConnection(host: host, port: port, user: user, password: password, database: adminDB) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            }
            return TestDatabase(url: .postgres(host: host, port: port, user: user, password: password, database: name, requireTLS: false)) {
                try await withAdminConnection(host: host, port: port, user: user, password: password, database: adminDB) { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
                }
            }
        }
    }

    static let logger = Logger(label: "madoguchi.tests")

    private static func withAdminConnection(
        host: String, port: Int, user: String, password: String?, database: String, _ body: (PostgresConnection) async throws -> Void
    ) async throws {
        let configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            try await body(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A clock tests move by hand.
public final class TestClock: WallClock {
    private let instant: Mutex<Date>
    public init(_ start: Date = TestClock.morning) { instant = Mutex(start) }
    public func now() -> Date { instant.withLock { $0 } }
    public func advance(seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
    public func set(_ date: Date) { instant.withLock { $0 = date } }

    /// 2026-11-24 (a Tuesday) 09:00 in Tokyo.
    public static let morning = Date(timeIntervalSince1970: 1_795_478_400)
}
