import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO

/// A connection to the embedded SQLite file or to a PostgreSQL server, with transactions that serialise writers.
///
/// SQLite: one connection on its own one-thread pool, used by one transaction at a time. SQLite serialises writes
/// anyway, one connection is the fastest, and it cannot deadlock the way several pooled connections waiting in
/// `busy_timeout` on a shared thread pool do (reference/stack.md, pitfall 1).
/// PostgreSQL: PostgresNIO's connection pool; transactions use row locks for the rows they change.
public final class Database: Sendable {
    public enum Kind: Sendable { case sqlite, postgres }

    public let kind: Kind
    public let url: DatabaseURL
    private let backend: Backend

    private enum Backend: Sendable {
        case sqlite(connection: SQLiteConnection, lock: AsyncLock, threadPool: NIOThreadPool)
        case postgres(client: PostgresClient, runner: Task<Void, Never>)
    }

    private init(kind: Kind, url: DatabaseURL, backend: Backend) {
        self.kind = kind
        self.url = url
        self.backend = backend
    }

    public static func open(_ url: DatabaseURL, logger: Logger = Logger(label: "madoguchi.database")) async throws -> Database {
        switch url {
        case .sqlite(let path):
            try PrivateFiles.prepareDatabase(at: path)
            let threadPool = NIOThreadPool(numberOfThreads: 1)
            threadPool.start()
            let connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: threadPool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
            let sql = connection.sql(queryLogLevel: nil)
            // WAL lets readers run beside the writer; NORMAL is durable across application crashes in WAL mode.
            for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON"] {
                _ = try await sql.raw(SQLQueryString(pragma)).all()
            }
            return Database(kind: .sqlite, url: url, backend: .sqlite(connection: connection, lock: AsyncLock(), threadPool: threadPool))
        case .postgres(let host, let port, let user, let password, let database, let requireTLS):
            var configuration = PostgresClient.Configuration(
                host: host, port: port, username: user, password: password, database: database,
                tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
            configuration.options.maximumConnections = 16
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let runner = Task { await client.run() }
            let db = Database(kind: .postgres, url: url, backend: .postgres(client: client, runner: runner))
            do {
                _ = try await db.withConnection { try await $0.raw("SELECT 1").all() }
            } catch {
                await db.close()
                throw DatabaseUnavailable(url: url, underlying: String(reflecting: error))
            }
            return db
        }
    }

    /// Runs `body` on one connection, outside a transaction.
    public func withConnection<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let connection, let lock, _):
            await lock.lock()
            do {
                let result = try await body(connection.sql(queryLogLevel: nil))
                await lock.unlock()
                return result
            } catch {
                await lock.unlock()
                throw error
            }
        case .postgres(let client, _):
            return try await client.withConnection { try await body($0.sql(queryLogLevel: nil)) }
        }
    }

    /// Runs a long read (statistics, exports) without holding up the queue: on SQLite on a separate read-only
    /// connection and thread, which WAL lets read beside the writer; on PostgreSQL on a pooled connection.
    public func withReadConnection<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch (backend, url) {
        case (.sqlite, .sqlite(let path)):
            let threadPool = NIOThreadPool(numberOfThreads: 1)
            threadPool.start()
            let connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: threadPool, logger: Logger(label: "madoguchi.read"),
                on: MultiThreadedEventLoopGroup.singleton.any())
            // The future-based close: the async one is skipped when the task is cancelled (a server shutting down),
            // and an unclosed SQLiteConnection traps in its deinit.
            do {
                _ = try await connection.sql(queryLogLevel: nil).raw("PRAGMA query_only=ON").all()
                let result = try await body(connection.sql(queryLogLevel: nil))
                try? await connection.close().get()
                try? await threadPool.shutdownGracefully()
                return result
            } catch {
                try? await connection.close().get()
                try? await threadPool.shutdownGracefully()
                throw error
            }
        default:
            return try await withConnection(body)
        }
    }

    /// Runs `body` in a transaction. On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`).
    public func transaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let begin: SQLQueryString = kind == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await withConnection { db in
            try await db.raw(begin).run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// The PostgreSQL client, for LISTEN/NOTIFY and advisory locks; nil on SQLite.
    public var postgresClient: PostgresClient? {
        if case .postgres(let client, _) = backend { return client }
        return nil
    }

    public func close() async {
        switch backend {
        case .sqlite(let connection, let lock, let threadPool):
            await lock.lock()
            try? await connection.close().get()  // not skipped when the closing task is cancelled
            try? await threadPool.shutdownGracefully()
        case .postgres(_, let runner):
            runner.cancel()
            _ = await runner.value
        }
    }
}

public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public let url: DatabaseURL
    public let underlying: String
    public var description: String { "データベースに接続できません (\(url)): \(underlying)" }
}

/// The database, its WAL and backups hold personal data (sealed, but with their key beside them on a small server):
/// only the service's own user may read them. Files are created 0600 in directories created 0700; SQLite gives
/// its -wal and -shm files the mode of the database file.
public enum PrivateFiles {
    public static let fileMode: Int16 = 0o600
    public static let directoryMode: Int16 = 0o700

    /// Creates the database's directory (0700) and an empty database file (0600) when missing, and narrows the
    /// mode of an existing database and its WAL files to 0600.
    static func prepareDatabase(at path: String) throws {
        let manager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        try createDirectory(directory.isEmpty ? "." : directory)
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: fileMode]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        for file in [path, path + "-wal", path + "-shm"] where manager.fileExists(atPath: file) { try restrict(file) }
    }

    /// A directory for private files: created 0700 when missing (an existing one is left as the operator set it).
    public static func createDirectory(_ path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: directoryMode])
    }

    /// Narrows a file to its owner.
    public static func restrict(_ path: String) throws {
        try FileManager.default.setAttributes([.posixPermissions: fileMode], ofItemAtPath: path)
    }
}
