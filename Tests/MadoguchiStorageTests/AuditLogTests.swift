import Foundation
@testable import MadoguchiApp
import MadoguchiCore
import MadoguchiStorage
import MadoguchiTestSupport
import SQLKit
import Testing

@Suite("Audit log", .serialized)
struct AuditLogTests {
    /// Appends `count` call-next entries a minute apart.
    static func fill(_ log: SQLAuditLog, _ t: TestRuntime, count: Int) async throws {
        for i in 1...count {
            t.clock.advance(seconds: 60)
            try await log.append(
                AuditEntry(
                    at: t.clock.now(), actor: "clerk", action: "POST /api/v1/counters/:counter/call-next",
                    target: "/api/v1/counters/c\(i)/call-next", address: "192.0.2.1", detail: "200"))
        }
    }

    @Test("an intact chain verifies; a changed, removed or reordered row is found at its place", arguments: TestDatabaseKind.available)
    func tampering(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let log = t.runtime.audit
            try await Self.fill(log, t, count: 5)
            let intact = try await log.verify()
            #expect(intact.checked == 5 && intact.broken == nil)

            try await t.runtime.database.withConnection { db in
                try await db.raw("UPDATE audit_log SET detail = '403' WHERE sequence = 3").run()
            }
            let changed = try await log.verify()
            #expect(changed.broken == AuditBreak(sequence: 3, reason: "内容が書き換えられています") && changed.checked == 2)

            try await t.runtime.database.withConnection { db in
                try await db.raw("UPDATE audit_log SET detail = '200' WHERE sequence = 3").run()
                try await db.raw("DELETE FROM audit_log WHERE sequence = 4").run()
            }
            #expect(try await log.verify().broken == AuditBreak(sequence: 4, reason: "記録が欠けています"))
        }
    }

    @Test("pruning old entries keeps the rest verifiable; filters select by actor, action and time", arguments: TestDatabaseKind.available)
    func pruneAndQuery(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let log = t.runtime.audit
            let start = t.clock.now()
            try await Self.fill(log, t, count: 4)
            try await log.append(
                AuditEntry(
                    at: t.clock.now(), actor: "admin", action: "settings.hours", target: "main", address: "::1",
                    detail: #"{"before":[],"after":[]}"#))
            #expect(try await log.entries(AuditQuery(actor: "admin")).map(\.action) == ["settings.hours"])
            #expect(try await log.entries(AuditQuery(action: "POST")).count == 4)
            #expect(try await log.entries(AuditQuery(from: start.addingTimeInterval(150))).count == 3)
            #expect(try await log.prune(before: start.addingTimeInterval(150)) == 2)
            let after = try await log.verify()
            #expect(after.checked == 4 && after.broken == nil)  // the three kept and the marker of what the prune removed
        }
    }
}

@Suite("Daily backup schedule")
struct BackupScheduleTests {
    @Test("the next backup is today at the time if it is still ahead, else tomorrow")
    func next() {
        let morning = TestClock.morning  // 09:00 Tokyo
        #expect(BackupService.next(after: morning, minuteOfDay: 10 * 60) == morning.addingTimeInterval(3600))
        #expect(BackupService.next(after: morning, minuteOfDay: 2 * 60) == morning.addingTimeInterval(17 * 3600))
        #expect(BackupService.next(after: morning, minuteOfDay: 9 * 60) == morning.addingTimeInterval(24 * 3600))
    }
}
