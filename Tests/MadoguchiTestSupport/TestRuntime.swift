import Foundation
import MadoguchiApp
import MadoguchiCore
import MadoguchiStorage

/// A runtime on a fresh test database with a layout loaded; `close()` closes it and drops the database.
public struct TestRuntime: Sendable {
    public let runtime: MadoguchiRuntime
    public let database: TestDatabase
    public let clock: TestClock

    public static func make(_ kind: TestDatabaseKind, layout: OfficeLayout = TestLayouts.city, clock: TestClock = TestClock()) async throws -> TestRuntime {
        let database = try await TestDatabases.make(kind)
        let setup = try await MadoguchiRuntime.open(database.url, clock: clock, migrate: true)
        try await SQLLayoutStore(database: setup.database).add(layout)
        try await setup.rebuildProjection()
        return TestRuntime(runtime: setup, database: database, clock: clock)
    }

    /// A second runtime on the same database, as another server process would have.
    public func reopen() async throws -> MadoguchiRuntime {
        try await MadoguchiRuntime.open(database.url, clock: clock, migrate: false)
    }

    public var queue: QueueService { runtime.queue }
    public var projection: QueueProjection { runtime.projection }

    public func close() async {
        await runtime.close()
        await database.drop()
    }
}
