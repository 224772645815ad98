import Foundation
import MadoguchiCore
import MadoguchiStorage
import MadoguchiTestSupport
import SQLKit
import Testing

@Suite("Statistics (S1, S2)", .serialized)
struct StatisticsTests {
    /// Issues `waits.count` tickets of service b one minute apart and serves them in order at counter c1, so each
    /// waits exactly `waits[i]` seconds and is served for 60 s; then one more ticket is called and marked absent.
    func day(_ t: TestRuntime, start: Date, waits: [Int], absentOne: Bool, staff: String) async throws {
        t.clock.set(start)
        try await t.queue.setCounterOpen(counterID: "c1", open: true)
        var issuedAt: [Date] = []
        for _ in waits {
            _ = try await t.queue.issueTicket(officeID: "main", serviceID: "b")
            issuedAt.append(t.clock.now())
            t.clock.advance(seconds: 60)
        }
        for (index, wait) in waits.enumerated() {
            t.clock.set(issuedAt[index].addingTimeInterval(TimeInterval(wait)))
            _ = try await t.queue.callNext(counterID: "c1")
            t.clock.advance(seconds: 60)
            _ = try await OperatingStaff.$userID.withValue(staff) { try await t.queue.finish(counterID: "c1") }
        }
        if absentOne {
            _ = try await t.queue.issueTicket(officeID: "main", serviceID: "b")
            _ = try await t.queue.callNext(counterID: "c1")
            _ = try await t.queue.markAbsent(counterID: "c1")
        }
    }

    @Test("a past day (rolled up) and today (live) give exact counts, averages, medians and 90th percentiles", arguments: TestDatabaseKind.available)
    func knownAnswers(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let first = TestClock.morning  // 2026-11-24 09:00
            let second = first.addingTimeInterval(86_400)
            try await day(t, start: first, waits: [60, 120, 300, 600, 900], absentOne: true, staff: "u1")
            try await day(t, start: second, waits: [30, 90], absentOne: false, staff: "u2")
            let store = SQLStatisticsStore(database: t.runtime.database, clock: t.clock)

            let daily = try await store.report(StatisticsQuery(officeIDs: ["main"], from: "2026-11-24", to: "2026-11-25", grouping: .service, period: .day))
            #expect(daily.rows.map(\.period) == ["2026-11-24", "2026-11-25"])
            let past = try #require(daily.rows.first)
            #expect(past.key == "b" && past.issued == 6 && past.served == 5 && past.absent == 1 && past.visits == 5)
            #expect(past.waitAverage == 396 && past.waitMedian == 300 && past.waitP90 == 900 && past.waitMin == 60 && past.waitMax == 900)
            #expect(past.serviceAverage == 60)
            let today = daily.rows[1]
            #expect(today.issued == 2 && today.waitAverage == 60 && today.waitMedian == 30 && today.waitP90 == 90)

            let whole = try await store.report(StatisticsQuery(officeIDs: ["main"], from: "2026-11-01", to: "2026-11-30", grouping: .service, period: .month))
            let month = try #require(whole.rows.first)
            #expect(month.period == "2026-11" && month.issued == 8 && month.visits == 7)
            #expect(month.waitAverage == 300 && month.waitMedian == 120 && month.waitP90 == 900)
            #expect(whole.hourBands == [HourBand(hour: 9, count: 8)])

            let staff = try await store.report(StatisticsQuery(officeIDs: ["main"], from: "2026-11-24", to: "2026-11-25", grouping: .staff))
            #expect(staff.rows.map(\.key) == ["u1", "u2"] && staff.rows.map(\.visits) == [5, 2])
            // The other office's data stays out of a report limited to `main`, and a range without data is empty.
            #expect(try await store.report(StatisticsQuery(officeIDs: ["other"], from: "2026-11-24", to: "2026-11-25")).rows.isEmpty)

            // Only the past day was stored as a rollup; a second report reads it instead of summarising again.
            let rolled = try await t.runtime.database.withConnection { db in
                try await db.raw("SELECT business_date FROM stat_days WHERE business_date >= '2026-11-24' ORDER BY business_date").all()
                    .map { try $0.decode(column: "business_date", as: String.self) }
            }
            #expect(rolled == ["2026-11-24"])
            #expect(try await store.rollUp(from: "2026-11-24", to: "2026-11-24") == 0)
        }
    }
}
