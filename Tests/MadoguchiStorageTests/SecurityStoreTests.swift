import Crypto
import Foundation
@testable import MadoguchiApp
import MadoguchiCore
@testable import MadoguchiStorage
import MadoguchiTestSupport
import SQLKit
import Synchronization
import Testing

/// The faults a probe of the running server found (issue 14), fixed in the stores, on every database.
@Suite("Security of the stores", .serialized)
struct SecurityStoreTests {
    /// Counts password checks, so a test sees how many guesses were really evaluated.
    final class CountingHasher: PasswordHasher {
        let checks = Mutex(0)
        func hash(_ password: String) -> String { "h:" + password }
        func verify(_ password: String, hash: String) -> Bool {
            checks.withLock { $0 += 1 }
            return hash == "h:" + password
        }
    }

    @Test("50 parallel wrong staff passwords: at most 5 are checked, the account is locked, and the right one waits", arguments: TestDatabaseKind.available)
    func parallelStaffGuesses(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            // given
            let hasher = CountingHasher()
            let access = StaffAccessService(
                users: SQLUserStore(database: t.runtime.database), sessions: SQLSessionStore(database: t.runtime.database),
                hasher: hasher, clock: t.clock, attempts: SQLAttemptCounter(database: t.runtime.database, digest: TestRuntime.cipher))
            _ = try await access.addUser(login: "tanaka", role: .staff, officeIDs: ["main"], password: "correct horse battery")
            // when: 50 guesses at once, from as many addresses
            let outcomes = await withTaskGroup(of: AccessError?.self) { group in
                for i in 0..<50 {
                    group.addTask {
                        do { _ = try await access.signIn(login: "tanaka", password: "guess \(i)", client: "192.0.2.\(i)"); return nil } catch {
                            return error as? AccessError
                        }
                    }
                }
                return await group.reduce(into: [AccessError?]()) { $0.append($1) }
            }
            // then
            #expect(hasher.checks.withLock { $0 } <= 5)
            #expect(outcomes.allSatisfy { $0 != nil })
            await #expect(throws: AccessError.self) { try await access.signIn(login: "tanaka", password: "correct horse battery") }
            t.clock.advance(seconds: 15 * 60 + 1)
            #expect(try await access.signIn(login: "tanaka", password: "correct horse battery").user.login == "tanaka")
        }
    }

    @Test("an unknown login answers wrong, then locked, exactly as an existing one: a lock does not reveal which logins exist")
    func unknownLoginLocks() async throws {
        try await TestRuntime.with(.sqlite) { t in
            let access = t.runtime.staffAccess
            _ = try await access.addUser(login: "sato", role: .staff, officeIDs: ["main"], password: "a long passphrase")
            func answers(_ login: String) async -> [String] {
                var seen: [String] = []
                for _ in 0..<6 {
                    do { _ = try await access.signIn(login: login, password: "wrong password", client: "198.51.100.\(seen.count)") } catch {
                        seen.append(error as? AccessError == .invalidCredentials ? "wrong" : "locked")
                    }
                }
                return seen
            }
            let existing = await answers("sato"), unknown = await answers("nobody-here")
            #expect(existing == unknown)
            #expect(existing == ["wrong", "wrong", "wrong", "wrong", "locked", "locked"])
        }
    }

    @Test("one client address is cut off after 30 sign-in attempts over any logins")
    func signInPerClient() async throws {
        try await TestRuntime.with(.sqlite) { t in
            let access = t.runtime.staffAccess
            var refusedForClient = 0
            for i in 0..<35 {
                do { _ = try await access.signIn(login: "user\(i)", password: "wrong password", client: "203.0.113.9") } catch AccessError.tooManyAttempts {
                    refusedForClient += 1
                } catch {}
            }
            #expect(refusedForClient == 5)
        }
    }

    @Test("50 parallel wrong booking passwords: at most 5 are checked, then the booking is locked", arguments: TestDatabaseKind.available)
    func parallelPINGuesses(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind, layout: TestLayouts.cityWithReservations) { t in
            // given
            let booked = try await t.runtime.reservations.book(
                BookingRequest(
                    procedureID: "consult", officeID: "main", start: "2026-12-02T10:00", phone: "09012345678", email: "v@example.jp", password: "4321"))
            let store = t.runtime.reservations.store
            // when
            var results: [String] = []
            try await t.withSecondInstance { second in
                results = await withTaskGroup(of: String.self) { group in
                    for i in 0..<50 {
                        let instance = i % 2 == 0 ? store : second.reservations.store
                        group.addTask {
                            do {
                                return try await instance.verifyPassword(code: booked.code, password: String(format: "%04d", i), at: t.clock.now())
                                    ? "right" : "wrong"
                            } catch {
                                return "locked"
                            }
                        }
                    }
                    return await group.reduce(into: [String]()) { $0.append($1) }
                }
            }
            // then
            #expect(results.filter { $0 == "wrong" }.count <= 5)
            #expect(results.filter { $0 == "locked" }.count >= 45)
            await #expect(throws: ReservationRefusal.locked) { try await store.verifyPassword(code: booked.code, password: "4321", at: t.clock.now()) }
        }
    }

    @Test("attempt counts are exact under 100 parallel attempts on two instances, and a window ends", arguments: TestDatabaseKind.available)
    func attemptCounter(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let first = SQLAttemptCounter(database: t.runtime.database, digest: TestRuntime.cipher)
            try await t.withSecondInstance { second in
                let other = SQLAttemptCounter(database: second.database, digest: TestRuntime.cipher)
                let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                    for i in 0..<100 { group.addTask { try await (i % 2 == 0 ? first : other).add("k", window: 600, at: t.clock.now()) } }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(counts.sorted() == Array(1...100))
            }
            t.clock.advance(seconds: 601)
            #expect(try await first.add("k", window: 600, at: t.clock.now()) == 1)
            // keys are stored as keyed digests, never in clear
            let keys = try await t.runtime.database.withConnection { db in try await db.raw("SELECT key FROM attempt_counts").all() }
            #expect(try keys.allSatisfy { try $0.decode(column: "key", as: String.self) != "k" })
        }
    }

    @Test(
        "a number range stored wider than the settings allow (0…Int.max after a wrap) refuses tickets instead of crashing",
        arguments: TestDatabaseKind.available)
    func storedHugeRange(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            // given: 0…5 issued and wrapped, then widened in the database as an old version accepted it
            try await t.runtime.database.withConnection { db in
                try await db.raw("UPDATE services SET range_lower = 0, range_upper = 5 WHERE id = 'b'").run()
            }
            try await t.runtime.rebuildProjection()
            for _ in 0..<6 { _ = try await t.queue.issueTicket(officeID: "main", serviceID: "b") }
            _ = try await t.queue.callNext(counterID: "c1")
            _ = try await t.queue.cancelCurrent(counterID: "c1")
            _ = try await t.queue.issueTicket(officeID: "main", serviceID: "b")  // wraps onto the cancelled number
            try await t.runtime.database.withConnection { db in
                try await db.raw("UPDATE services SET range_upper = \(bind: Int.max) WHERE id = 'b'").run()
            }
            try await t.runtime.rebuildProjection()
            // when / then: refused, and again after a restart
            await #expect(throws: DomainError.numberRangeExhausted(serviceID: "b")) { try await t.queue.issueTicket(officeID: "main", serviceID: "b") }
            try await t.withSecondInstance { second in
                await #expect(throws: DomainError.numberRangeExhausted(serviceID: "b")) { try await second.queue.issueTicket(officeID: "main", serviceID: "b") }
            }
            #expect(try await t.queue.issueTicket(officeID: "main", serviceID: "a").number == 1)
        }
    }

    @Test("a reservation-ID import may not overwrite IDs registered to another office", arguments: TestDatabaseKind.available)
    func importOwner(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind, layout: TestLayouts.cityWithReservations) { t in
            let store = t.runtime.reservations.store
            _ = try await store.importIDs([ImportedReservationID(id: "OTHR0001", officeCode: "0002", birthDate: "1970-01-01")], at: t.clock.now())
            // the main office's staff send a file that names their own office code for the other office's ID
            await #expect(throws: AccessError.forbidden) {
                try await store.importIDs(
                    [ImportedReservationID(id: "MAIN0001", officeCode: "0001"), ImportedReservationID(id: "OTHR0001", officeCode: "0001")],
                    at: t.clock.now(), replaceableOfficeCodes: ["0001"])
            }
            // nothing of the file was stored, and the other office's ID is unchanged
            #expect(try await store.importedID("MAIN0001") == nil)
            #expect(try await store.importedID("OTHR0001")?.officeCode == "0002")
            #expect(
                try await store.importIDs(
                    [ImportedReservationID(id: "MAIN0001", officeCode: "0001")], at: t.clock.now(),
                    replaceableOfficeCodes: ["0001"]) == (1, 0))
        }
    }

    @Test("the database and backups are readable by their owner only")
    func fileModes() async throws {
        try await TestRuntime.with(.sqlite) { t in
            guard case .sqlite(let path) = t.database.url else { return }
            func mode(_ file: String) throws -> Int { (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) ?? -1 }
            _ = try await t.queue.issueTicket(officeID: "main", serviceID: "a")
            #expect(try mode(path) == 0o600)
            #expect(try mode(path + "-wal") == 0o600)
            let directory = (path as NSString).deletingLastPathComponent + "/backups"
            let report = try await Backup.run(t.runtime.database, url: t.database.url, to: directory, keep: 2)
            #expect(try mode(report.file) == 0o600)
            #expect(try mode(directory) == 0o700)
            // every table is counted, personal-data tables included
            #expect(report.rows["reservations"] != nil && report.rows["resident_cases"] != nil && report.rows["notification_subscriptions"] != nil)
            #expect(report.rows["attempt_counts"] != nil && report.rows.count > 20)
        }
    }
}

@Suite("Audit chain against truncation and recomputation (issue 14, item 7)", .serialized)
struct AuditChainTests {
    @Test("an edited row with every hash after it recomputed (SHA-256 as before) is found: the chain is keyed", arguments: TestDatabaseKind.available)
    func recomputed(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let log = t.runtime.audit
            try await AuditLogTests.fill(log, t, count: 10)
            // an attacker with the database but not the key rewrites row 4 and recomputes the chain from there
            let rows = try await t.runtime.database.withConnection { db in try await db.raw("SELECT * FROM audit_log ORDER BY sequence").all() }
            var previous = try rows[2].decode(column: "hash", as: String.self)
            for row in rows[3...] {
                var entry = try SQLAuditLog.decode(row)
                if entry.sequence == 4 { entry.detail = "403" }
                let forged = Data(SHA256Digest.hex(SQLAuditLog.canonical(previous: previous, entry, sequence: entry.sequence!)).utf8)
                let hash = String(decoding: forged, as: UTF8.self)
                try await t.runtime.database.withConnection { db in
                    try await db.raw(
                        """
                        UPDATE audit_log SET detail = \(bind: entry.detail), previous_hash = \(bind: previous), hash = \(bind: hash) WHERE sequence = \(bind: entry.sequence!)
                        """
                    ).run()
                }
                previous = hash
            }
            let result = try await log.verify()
            #expect(result.broken?.sequence == 4)
        }
    }

    @Test("removing the newest 30 rows is found from the head a backup recorded", arguments: TestDatabaseKind.available)
    func truncatedHead(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let log = t.runtime.audit
            try await AuditLogTests.fill(log, t, count: 40)
            try await Backup.record(Backup.Run(at: t.clock.now(), file: "x", bytes: 1, verified: true, message: ""), in: t.runtime.database)
            #expect(try await log.verify().broken == nil)
            try await t.runtime.database.withConnection { db in try await db.raw("DELETE FROM audit_log WHERE sequence > 10").run() }
            let result = try await log.verify()
            #expect(result.broken?.sequence == 11 && result.broken?.reason.contains("新しい記録が消されています") == true)
            // an anchor from the server log finds it as well, when the backup record is gone too
            try await t.runtime.database.withConnection { db in try await db.raw("DELETE FROM backup_runs").run() }
            #expect(try await log.verify().broken == nil)
            #expect(try await log.verify(anchors: [AuditHead(sequence: 40, mac: "k:whatever")]).broken?.sequence == 11)
        }
    }

    @Test("removing the oldest rows inside retention is found; a prune's own removal is not", arguments: TestDatabaseKind.available)
    func truncatedTail(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let log = t.runtime.audit
            let start = t.clock.now()
            try await AuditLogTests.fill(log, t, count: 30)
            #expect(try await log.prune(before: start.addingTimeInterval(5 * 60 + 30)) == 5)
            #expect(try await log.verify().broken == nil)
            try await t.runtime.database.withConnection { db in try await db.raw("DELETE FROM audit_log WHERE sequence < 12").run() }
            let result = try await log.verify()
            #expect(result.broken?.reason == "古い記録が保存期間内に消されています")
        }
    }
}

/// SHA-256 in hex, as the unkeyed chain computed it.
enum SHA256Digest {
    static func hex(_ data: Data) -> String {
        var hasher = SHA256()
        hasher.update(data: data)
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
