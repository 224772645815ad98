import Foundation
import MadoguchiCore
import SQLKit

/// Backups while the server runs (S6), verified by restoring them to a temporary database.
///
/// SQLite: `VACUUM INTO` makes a consistent copy from one read transaction of the live database — SQLite's own
/// online copy, used because SQLiteNIO does not expose the C backup API's connection handle. PostgreSQL: `pg_dump`
/// in its custom format, verified with `pg_restore` into a scratch database on the same server.
public enum Backup {
    public struct Report: Sendable, Equatable {
        public var file: String
        public var bytes: Int
        /// Rows per table of the restored copy.
        public var rows: [String: Int]
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A backup attempt as `/admin` shows it.
    public struct Run: Sendable, Equatable {
        public var at: Date
        public var file: String
        public var bytes: Int
        public var verified: Bool
        public var message: String
    }

    /// Records an attempt in the live database, with the audit chain's head at that moment as an anchor.
    public static func record(_ run: Run, in database: Database) async throws {
        try await database.withConnection { db in
            let head = try await db.raw("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1").first()
            try await db.raw(
                """
                INSERT INTO backup_runs (at, file, bytes, verified, message, audit_sequence, audit_mac)
                VALUES (\(bind: Timestamp.micros(run.at)), \(bind: run.file), \(bind: run.bytes), \(bind: run.verified ? 1 : 0), \(bind: run.message),
                  \(bind: try head?.decode(column: "sequence", as: Int64.self)), \(bind: try head?.decode(column: "hash", as: String.self)))
                """
            ).run()
        }
    }

    /// The audit heads recorded with backups: `SQLAuditLog.verify` checks the chain still holds each.
    public static func auditAnchors(in database: Database) async throws -> [AuditHead] {
        try await database.withConnection { db in
            try await db.raw("SELECT audit_sequence, audit_mac FROM backup_runs WHERE audit_sequence IS NOT NULL").all().compactMap { row in
                guard let sequence = try row.decode(column: "audit_sequence", as: Int64?.self),
                    let mac = try row.decode(column: "audit_mac", as: String?.self)
                else { return nil }
                return AuditHead(sequence: sequence, mac: mac)
            }
        }
    }

    public static func lastRun(in database: Database) async throws -> Run? {
        try await database.withConnection { db in
            try await db.raw("SELECT * FROM backup_runs ORDER BY id DESC LIMIT 1").first().map { row in
                Run(
                    at: Timestamp.date(try row.decode(column: "at", as: Int64.self)), file: try row.decode(column: "file", as: String.self),
                    bytes: try row.decode(column: "bytes", as: Int.self), verified: try row.decode(column: "verified", as: Int.self) != 0,
                    message: try row.decode(column: "message", as: String.self))
            }
        }
    }

    /// `run` and record its outcome, also a failure.
    public static func runAndRecord(_ database: Database, url: DatabaseURL, to directory: String, keep: Int, now: Date = Date()) async throws -> Report {
        do {
            let report = try await run(database, url: url, to: directory, keep: keep, now: now)
            try await record(
                Run(
                    at: now, file: report.file, bytes: report.bytes, verified: true,
                    message: report.rows.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")), in: database)
            return report
        } catch {
            try? await record(
                Run(at: now, file: directory, bytes: 0, verified: false, message: String(describing: error).prefix(500).description), in: database)
            throw error
        }
    }

    /// Writes a backup into `directory`, verifies it, and keeps the newest `keep` backups there.
    public static func run(_ database: Database, url: DatabaseURL, to directory: String, keep: Int, now: Date = Date()) async throws -> Report {
        try PrivateFiles.createDirectory(directory)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyyMMdd-HHmmss-SSS"  // sortable; several backups in one second get distinct names
        let stamp = formatter.string(from: now)
        let file: String
        switch url {
        case .sqlite:
            file = (directory as NSString).appendingPathComponent("madoguchi-\(stamp).sqlite")
            try await database.withConnection { db in try await db.raw("VACUUM INTO \(bind: file)").run() }
        case .postgres:
            file = (directory as NSString).appendingPathComponent("madoguchi-\(stamp).dump")
            try run("pg_dump", ["--format=custom", "--file=\(file)", "--no-owner", "--dbname=\(connectionString(url))"], password: url.password)
        }
        try PrivateFiles.restrict(file)
        let report = try await verify(file: file, like: url)
        try prune(directory: directory, keep: keep)
        return report
    }

    /// Restores a backup into a scratch database and counts its rows; throws when it is unreadable or damaged.
    public static func verify(file: String, like url: DatabaseURL) async throws -> Report {
        let bytes = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        if file.hasSuffix(".sqlite") {
            let scratch = NSTemporaryDirectory() + "madoguchi-verify-\(UUID().uuidString).sqlite"
            try FileManager.default.copyItem(atPath: file, toPath: scratch)
            try PrivateFiles.restrict(scratch)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            return Report(file: file, bytes: bytes, rows: try await checked(.sqlite(path: scratch)))
        }
        guard case .postgres(let host, let port, let user, let password, _, let tls) = url else {
            throw Failure(description: "PostgreSQL のバックアップは PostgreSQL のデータベースで確認します。")
        }
        let scratchName = "madoguchi_verify_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = DatabaseURL.postgres(host: host, port: port, user: user, password: password, database: "postgres", requireTLS: tls)
        let scratch = DatabaseURL.postgres(host: host, port: port, user: user, password: password, database: scratchName, requireTLS: tls)
        try run("psql", ["--dbname=\(connectionString(admin))", "-qc", "CREATE DATABASE \(scratchName)"], password: password)
        defer { try? run("psql", ["--dbname=\(connectionString(admin))", "-qc", "DROP DATABASE IF EXISTS \(scratchName) WITH (FORCE)"], password: password) }
        try run("pg_restore", ["--no-owner", "--exit-on-error", "--dbname=\(connectionString(scratch))", file], password: password)
        return Report(file: file, bytes: bytes, rows: try await checked(scratch))
    }

    /// Opens a restored copy, checks it and closes it again, also when the check fails.
    static func checked(_ url: DatabaseURL) async throws -> [String: Int] {
        let database = try await Database.open(url)
        do {
            let rows = try await checked(database)
            await database.close()
            return rows
        } catch {
            await database.close()
            throw error
        }
    }

    /// Integrity check (SQLite) and a row count of every table.
    static func checked(_ database: Database) async throws -> [String: Int] {
        try await database.withConnection { db in
            if database.kind == .sqlite {
                let result = try await db.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
                guard result == "ok" else { throw Failure(description: "バックアップが壊れています: \(result ?? "不明")") }
            }
            // Every table of the schema, personal-data tables included: a backup that lost one is not a backup.
            let tables: [String] =
                database.kind == .sqlite
                ? try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                : try await db.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename").all()
                    .map { try $0.decode(column: "name", as: String.self) }
            var rows: [String: Int] = [:]
            for table in tables {
                rows[table] = try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            return rows
        }
    }

    /// Replaces the database's contents with a verified backup. For SQLite the server must be stopped.
    public static func restore(from file: String, into url: DatabaseURL) async throws -> Report {
        let report = try await verify(file: file, like: url)
        switch url {
        case .sqlite(let path):
            let fileManager = FileManager.default
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try PrivateFiles.createDirectory(directory) }
            let staged = path + ".restoring"
            try? fileManager.removeItem(atPath: staged)
            try fileManager.copyItem(atPath: file, toPath: staged)
            try PrivateFiles.restrict(staged)
            for suffix in ["-wal", "-shm"] { try? fileManager.removeItem(atPath: path + suffix) }
            if fileManager.fileExists(atPath: path) {
                _ = try fileManager.replaceItemAt(URL(fileURLWithPath: path), withItemAt: URL(fileURLWithPath: staged))
            } else {
                try fileManager.moveItem(atPath: staged, toPath: path)
            }
        case .postgres:
            guard file.hasSuffix(".dump") else { throw Failure(description: "PostgreSQL には .dump のバックアップを戻します。") }
            try run(
                "pg_restore", ["--clean", "--if-exists", "--no-owner", "--exit-on-error", "--dbname=\(connectionString(url))", file],
                password: url.password)
        }
        return report
    }

    static func prune(directory: String, keep: Int) throws {
        let backups = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("madoguchi-") && ($0.hasSuffix(".sqlite") || $0.hasSuffix(".dump")) }.sorted()
        for old in backups.dropLast(max(1, keep)) {
            try FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(old))
        }
    }

    static func connectionString(_ url: DatabaseURL) -> String {
        guard case .postgres(let host, let port, let user, _, let database, let tls) = url else { return "" }
        return "host=\(host) port=\(port) user=\(user) dbname=\(database)\(tls ? " sslmode=require" : "")"
    }

    /// Runs a PostgreSQL client program; the password goes through PGPASSWORD, never the command line.
    static func run(_ program: String, _ arguments: [String], password: String?) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        var environment = ProcessInfo.processInfo.environment
        if let password { environment["PGPASSWORD"] = password }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure(description: "\(program) を実行できません（PostgreSQL のクライアントを入れてください）: \(error)") }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "\(program) が失敗しました: \(message.prefix(500))") }
    }
}

extension DatabaseURL {
    var password: String? {
        if case .postgres(_, _, _, let password, _, _) = self { return password }
        return nil
    }
}
