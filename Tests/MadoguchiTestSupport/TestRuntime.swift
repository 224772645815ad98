import Foundation
import MadoguchiApp
import MadoguchiCore
import MadoguchiStorage

/// A runtime on a fresh test database with a layout loaded; `close()` closes it and drops the database.
public struct TestRuntime: Sendable {
    public let runtime: MadoguchiRuntime
    public let database: TestDatabase
    public let clock: TestClock

    /// One key ring for every instance of a test, as several servers on one database share `MADOGUCHI_DATA_KEYS`.
    public static let cipher = try! ContactCipher(parsing: ContactCipher.newKeyText(id: "test"))

    public static func make(_ kind: TestDatabaseKind, layout: OfficeLayout = TestLayouts.city, clock: TestClock = TestClock()) async throws -> TestRuntime {
        let database = try await TestDatabases.make(kind)
        let setup = try await MadoguchiRuntime.open(database.url, clock: clock, migrate: true, cipher: cipher)
        try await SQLLayoutStore(database: setup.database).add(layout)
        try await setup.rebuildProjection()
        return TestRuntime(runtime: setup, database: database, clock: clock)
    }

    /// A second runtime on the same database, as another server process would have.
    public func reopen() async throws -> MadoguchiRuntime {
        try await MadoguchiRuntime.open(database.url, clock: clock, migrate: false, cipher: Self.cipher)
    }

    public var queue: QueueService { runtime.queue }
    public var projection: QueueProjection { runtime.projection }

    public func close() async {
        await runtime.close()
        await database.drop()
    }
}

extension TestRuntime {
    /// Runs `body` on a fresh runtime and always closes it, so a failing expectation reports itself instead of
    /// tripping SQLiteNIO's "connection not closed" assertion.
    public static func with(
        _ kind: TestDatabaseKind, layout: OfficeLayout = TestLayouts.city, _ body: (TestRuntime) async throws -> Void
    ) async throws {
        try await closing(try await make(kind, layout: layout), close: { await $0.close() }, body)
    }

    /// A second instance on the same database for the duration of `body`.
    public func withSecondInstance(_ body: (MadoguchiRuntime) async throws -> Void) async throws {
        try await closing(try await reopen(), close: { await $0.close() }, body)
    }
}

/// Runs `body` with `resource`, then closes it whether `body` succeeded or threw.
func closing<Resource>(_ resource: Resource, close: (Resource) async -> Void, _ body: (Resource) async throws -> Void) async throws {
    do {
        try await body(resource)
    } catch {
        await close(resource)
        throw error
    }
    await close(resource)
}
