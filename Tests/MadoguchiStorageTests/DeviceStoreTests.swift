import Foundation
import MadoguchiApp
import MadoguchiCore
import MadoguchiStorage
import MadoguchiTestSupport
import Testing

@Suite("Device storage", .serialized)
struct DeviceStoreTests {
    @Test("kiosks, monitors, translated service names and ticket styles are stored and read back the same", arguments: TestDatabaseKind.available)
    func layoutWithDevices(kind: TestDatabaseKind) async throws {
        var layout = TestLayouts.cityWithDevices
        layout = OfficeLayout(
            offices: layout.offices,
            services: layout.services.map { service in
                var changed = service
                changed.names = LocalizedText(ja: service.name, en: "Service \(service.id)")
                changed.ticketStyle = service.id == "a" ? .twoPart : .single
                return changed
            },
            counters: layout.counters, kiosks: layout.kiosks, monitors: layout.monitors)
        try await TestRuntime.with(kind, layout: layout) { t in
            let loaded = try await SQLLayoutStore(database: t.runtime.database).load()
            #expect(loaded == layout)
            #expect(t.runtime.layout.current.service("a")?.name(in: .en) == "Service a")
        }
    }

    @Test("print jobs wait until acknowledged, once, by their own kiosk; they survive a restart", arguments: TestDatabaseKind.available)
    func printJobs(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind, layout: TestLayouts.cityWithDevices) { t in
            let first = try await t.queue.issueTicket(officeID: "main", serviceID: "a", kioskID: "k2")
            let second = try await t.queue.issueTicket(officeID: "main", serviceID: "b", kioskID: "k2")
            _ = try await t.queue.issueTicket(officeID: "main", serviceID: "a", kioskID: "k1")
            let today = first.businessDate
            try await t.withSecondInstance { restarted in
                let jobs = try await restarted.devices.pendingPrintJobs(kioskID: "k2", businessDate: today)
                #expect(jobs.map(\.ticketID) == [first.id, second.id])
                #expect(jobs.map(\.token) == [first.token, second.token] && jobs.first?.displayNumber == first.displayNumber)
            }
            let store = t.runtime.devices
            #expect(try await store.markPrinted(ticketID: first.id, kioskID: "k1", at: t.clock.now()) == false)
            #expect(try await store.markPrinted(ticketID: first.id, kioskID: "k2", at: t.clock.now()))
            #expect(try await store.markPrinted(ticketID: first.id, kioskID: "k2", at: t.clock.now()) == false)
            #expect(try await store.pendingPrintJobs(kioskID: "k2", businessDate: today).map(\.ticketID) == [second.id])
            #expect(try await store.pendingPrintJobs(kioskID: "k1", businessDate: today).isEmpty)
        }
    }

    @Test("an agent key matches only its kiosk and only until it is replaced", arguments: TestDatabaseKind.available)
    func agentKeys(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind, layout: TestLayouts.cityWithDevices) { t in
            let store = t.runtime.devices
            #expect(try await store.agentKeyMatches(kioskID: "k2", key: "anything") == false)
            try await store.setAgentKey(kioskID: "k2", key: "first-key")
            #expect(try await store.agentKeyMatches(kioskID: "k2", key: "first-key"))
            #expect(try await store.agentKeyMatches(kioskID: "k1", key: "first-key") == false)
            try await store.setAgentKey(kioskID: "k2", key: "second-key")
            #expect(try await store.agentKeyMatches(kioskID: "k2", key: "first-key") == false)
            #expect(try await store.agentKeyMatches(kioskID: "k2", key: "second-key"))
        }
    }

    @Test("presence keeps the last printer state until a new one is reported", arguments: TestDatabaseKind.available)
    func presence(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind, layout: TestLayouts.cityWithDevices) { t in
            let store = t.runtime.devices
            let tracker = DevicePresenceTracker(store: store, clock: t.clock)
            try await tracker.connected(.lobby, "lobby")
            try await tracker.connected(.lobby, "lobby")  // a second tab of the same monitor
            try await tracker.disconnected(.lobby, "lobby")
            #expect(try await store.presences().first { $0.deviceID == "lobby" }?.connected == true)
            t.clock.advance(seconds: 30)
            try await tracker.disconnected(.lobby, "lobby")
            let lobby = try #require(try await store.presences().first { $0.deviceID == "lobby" })
            #expect(lobby.connected == false && lobby.lastSeenAt == t.clock.now())

            try await store.recordPresence(
                DevicePresence(
                    kind: .printer, deviceID: "k2", lastSeenAt: t.clock.now(), connected: true,
                    state: "paper_out", detail: "用紙切れ"))
            try await store.recordPresence(DevicePresence(kind: .printer, deviceID: "k2", lastSeenAt: t.clock.now(), connected: true))
            let printer = try #require(try await store.presences().first { $0.kind == .printer })
            #expect(printer.state == "paper_out" && printer.detail == "用紙切れ")
        }
    }

    @Test("closures and kiosk menu choices of the day are part of the state a new instance starts from", arguments: TestDatabaseKind.available)
    func daySettingsSurviveRestart(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind, layout: TestLayouts.cityWithDevices) { t in
            try await t.queue.setServiceClosed(serviceID: "b", message: "終了しました")
            try await t.queue.setKioskMenu(kioskID: "k1", menuSetID: "saturday")
            try await t.withSecondInstance { restarted in
                #expect(restarted.projection.closure(serviceID: "b") == "終了しました")
                #expect(restarted.projection.menuChoice(kioskID: "k1") == "saturday")
                await #expect(throws: DomainError.serviceClosed(serviceID: "b", message: "終了しました")) {
                    _ = try await restarted.queue.issueTicket(officeID: "main", serviceID: "b")
                }
            }
        }
    }
}
