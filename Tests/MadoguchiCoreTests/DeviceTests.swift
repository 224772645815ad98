import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Kiosks, monitors and what their screens show")
struct DeviceTests {
    /// 2026-11-28 is a Saturday.
    static func tokyo(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        CityCalendar.gregorian.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
    }

    @Test("a kiosk follows its weekly schedule unless staff chose a menu for the day")
    func menuSchedule() throws {
        let kiosk = try #require(TestLayouts.cityWithDevices.kiosk("k1"))
        #expect(kiosk.activeMenuSet(at: Self.tokyo(28, 9), staffChoice: nil).id == "saturday")
        #expect(kiosk.activeMenuSet(at: Self.tokyo(28, 8, 29), staffChoice: nil).id == "weekday")
        #expect(kiosk.activeMenuSet(at: Self.tokyo(28, 12), staffChoice: nil).id == "weekday")
        #expect(kiosk.activeMenuSet(at: Self.tokyo(24, 9), staffChoice: nil).id == "weekday")
        #expect(kiosk.activeMenuSet(at: Self.tokyo(24, 9), staffChoice: "saturday").id == "saturday")
        #expect(kiosk.activeMenuSet(at: Self.tokyo(24, 9), staffChoice: "gone").id == "weekday")
        // the screen refreshes itself at the next boundary of any rule, or at midnight
        #expect(kiosk.nextScheduleChange(after: Self.tokyo(28, 7)) == Self.tokyo(28, 8, 30))
        #expect(kiosk.nextScheduleChange(after: Self.tokyo(28, 9)) == Self.tokyo(28, 12))
        #expect(kiosk.nextScheduleChange(after: Self.tokyo(28, 13)) == Self.tokyo(29, 0))
    }

    @Test("kiosks and monitors with foreign services, missing menus or bad times are rejected with every fault")
    func deviceValidation() {
        let base = TestLayouts.city
        let layout = OfficeLayout(
            offices: base.offices, services: base.services, counters: base.counters,
            kiosks: [
                Kiosk(
                    id: "k1", officeID: "main", name: "k", menuSets: [MenuSet(id: "m", name: "m", serviceIDs: ["a", "x"])],
                    schedule: [MenuScheduleRule(weekdays: [8], from: 600, until: 500, menuSetID: "nope")], defaultMenuSetID: "none")
            ],
            monitors: [Monitor(id: "k1", officeID: "main", kind: .lobby, name: "m", serviceIDs: ["x"], volume: 2, announceLanguages: [], rotationSeconds: 1)])
        let faults = layout.validate()
        for expected in [
            "業務 'x' はこの窓口にありません", "既定のメニュー 'none'", "時間割のメニュー 'nope'", "時間割の曜日または時刻",
            "IDが重複", "音量", "切替秒数", "放送の言語"
        ] {
            #expect(faults.contains { $0.contains(expected) }, "missing fault: \(expected)")
        }
        #expect(TestLayouts.cityWithDevices.validate().isEmpty)
    }

    @Test("a service closed for the day refuses tickets with its message until it is reopened")
    func closure() async throws {
        let fixture = QueueFixture(TestLayouts.cityWithDevices)
        try await fixture.queue.setServiceClosed(serviceID: "b", message: "本日の証明書発行は終了しました")
        await #expect(throws: DomainError.serviceClosed(serviceID: "b", message: "本日の証明書発行は終了しました")) {
            _ = try await fixture.issue("b")
        }
        let status = try #require(fixture.projection.status(officeID: "main")?.status)
        #expect(status.services.first { $0.id == "b" }?.closedMessage == "本日の証明書発行は終了しました")
        #expect(status.services.first { $0.id == "a" }?.closedMessage == nil)
        _ = try await fixture.issue("a")
        try await fixture.queue.setServiceClosed(serviceID: "b", message: nil)
        _ = try await fixture.issue("b")
        #expect(fixture.projection.closure(serviceID: "b") == nil)
    }

    @Test("staff choose a kiosk's menu for the day; an unknown menu or kiosk is refused")
    func menuChoice() async throws {
        let fixture = QueueFixture(TestLayouts.cityWithDevices)
        try await fixture.queue.setKioskMenu(kioskID: "k1", menuSetID: "saturday")
        #expect(fixture.projection.menuChoice(kioskID: "k1") == "saturday")
        try await fixture.queue.setKioskMenu(kioskID: "k1", menuSetID: nil)
        #expect(fixture.projection.menuChoice(kioskID: "k1") == nil)
        await #expect(throws: DomainError.menuSetNotFound("holiday")) { try await fixture.queue.setKioskMenu(kioskID: "k1", menuSetID: "holiday") }
        await #expect(throws: DomainError.kioskNotFound("k9")) { try await fixture.queue.setKioskMenu(kioskID: "k9", menuSetID: nil) }
    }

    @Test("only tickets of a kiosk printing through an agent become print jobs; a kiosk of another office is refused")
    func printJobs() async throws {
        let fixture = QueueFixture(TestLayouts.cityWithDevices)
        _ = try await fixture.queue.issueTicket(officeID: "main", serviceID: "a", kioskID: "k1")
        let printed = try await fixture.queue.issueTicket(officeID: "main", serviceID: "b", kioskID: "k2")
        _ = try await fixture.queue.issueTicket(officeID: "main", serviceID: "a")
        #expect(fixture.store.state.withLock { $0.printJobs.map(\.ticketID) } == [printed.id])
        await #expect(throws: DomainError.kioskNotFound("k1")) { _ = try await fixture.queue.issueTicket(officeID: "other", serviceID: "x", kioskID: "k1") }
    }

    @Test("the status lists calls with counter names, absent and held numbers, issue counts and the oldest wait per stage")
    func monitorFigures() async throws {
        let fixture = QueueFixture(TestLayouts.cityWithDevices)
        let a1 = try await fixture.issue("a"), a2 = try await fixture.issue("a"), a3 = try await fixture.issue("a")
        let b1 = try await fixture.issue("b")
        fixture.clock.advance(seconds: 60)
        _ = try await fixture.queue.callNext(counterID: "c1")  // a1
        _ = try await fixture.queue.markAbsent(counterID: "c1")
        _ = try await fixture.queue.callNext(counterID: "c1")  // a2
        _ = try await fixture.queue.hold(counterID: "c1")
        fixture.clock.advance(seconds: 5)
        _ = try await fixture.queue.callNext(counterID: "c2")  // a3
        _ = try await fixture.queue.finish(counterID: "c2")  // a3 → 審査
        _ = try await fixture.queue.callNext(counterID: "c2")  // b1

        let status = try #require(fixture.projection.status(officeID: "main")?.status)
        let a = try #require(status.services.first { $0.id == "a" })
        #expect(a.issuedToday == 3 && a.absent == [a1.displayNumber] && a.held == [a2.displayNumber])
        #expect(a.stages.map(\.waiting) == [0, 1, 0])
        #expect(a.stages[1].oldestWaitingSince == a3.issuedAt && a.stages[0].oldestWaitingSince == nil)
        #expect(a.stages[0].openCounters == 2 && a.stages[1].openCounters == 0)
        #expect(status.calls.map(\.displayNumber) == [b1.displayNumber])
        #expect(status.calls.first?.counterName == "2番" && status.openCounters == 2)

        // the backyard colours the oldest wait by the monitor's thresholds
        let backyard = try #require(TestLayouts.cityWithDevices.monitor("back"))
        #expect([9, 10, 29, 30].map(backyard.urgency(waitedMinutes:)) == [.normal, .amber, .amber, .red])
    }

    @Test("a console board shows the counter's current ticket, its lines in call order, and held and absent tickets")
    func board() async throws {
        let fixture = QueueFixture(TestLayouts.cityWithDevices)
        let a1 = try await fixture.issue("a"), b1 = try await fixture.issue("b"), a2 = try await fixture.issue("a")
        let a3 = try await fixture.issue("a")
        _ = try await fixture.queue.callNext(counterID: "c2")  // a1
        _ = try await fixture.queue.markAbsent(counterID: "c2")
        _ = try await fixture.queue.callNext(counterID: "c2")  // b1
        _ = try await fixture.queue.transfer(counterID: "c2", to: .counter("c1"))  // b1 waits for c1 only
        _ = try await fixture.queue.callNext(counterID: "c2")  // a2
        let counters = TestLayouts.cityWithDevices
        let c1 = fixture.projection.board(for: try #require(counters.counter("c1")))
        #expect(c1.current == nil && c1.open == false)
        // c1 calls its own line (the transferred b1) before the general line
        #expect(c1.waiting.map(\.id) == [b1.id, a3.id])
        #expect(c1.absent.map(\.id) == [a1.id] && c1.held.isEmpty)
        let c2 = fixture.projection.board(for: try #require(counters.counter("c2")))
        #expect(c2.current?.id == a2.id && c2.currentCalledAt != nil && c2.open)
        #expect(c2.waiting.map(\.id) == [a3.id])
        let c3 = fixture.projection.board(for: try #require(counters.counter("c3")))
        #expect(c3.absent.isEmpty && c3.waiting.isEmpty)
    }
}
