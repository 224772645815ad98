import Foundation
import MadoguchiApp
import MadoguchiCore
import MadoguchiStorage
import MadoguchiTestSupport
import SQLKit
import Synchronization
import Testing

/// The same contract on every database: SQLite always, PostgreSQL when MADOGUCHI_TEST_POSTGRES_URL is set.
@Suite("Storage contract", .serialized)
struct StorageContractTests {
    @Test("migrations apply once and leave nothing pending", arguments: TestDatabaseKind.available)
    func migrations(kind: TestDatabaseKind) async throws {
        let testDB = try await TestDatabases.make(kind)
        let database = try await Database.open(testDB.url)
        #expect(try await Migrator.pendingVersions(database) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(try await Migrator.migrate(database) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(try await Migrator.migrate(database) == [])
        #expect(try await Migrator.pendingVersions(database).isEmpty)
        await database.close()
        await testDB.drop()
    }

    @Test("a layout is stored whole and read back the same; a faulty one is refused whole", arguments: TestDatabaseKind.available)
    func layoutRoundTrip(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind, layout: DemoCity.layout) { t in
            let store = SQLLayoutStore(database: t.runtime.database)
            let loaded = try await store.load()
            #expect(loaded == DemoCity.layout)
            #expect(DemoCity.layout.offices.count >= 5)
            let broken = OfficeLayout(
                offices: [Office(id: "new", name: "新")], services: [], counters: [Counter(id: "z", officeID: "new", name: "z", stageIDs: ["missing"])])
            await #expect(throws: LayoutRejected.self) { try await store.add(broken) }
            let unchanged = try await store.load()
            #expect(unchanged == DemoCity.layout)
        }
    }

    @Test("200 concurrent ticket requests get 200 distinct numbers in issue order", arguments: TestDatabaseKind.available)
    func concurrentIssuing(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let tickets = try await withThrowingTaskGroup(of: Ticket.self) { group in
                for _ in 0..<200 { group.addTask { try await t.queue.issueTicket(officeID: "other", serviceID: "x") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(tickets.map(\.number)).count == 200)
            #expect(Set(tickets.map(\.sequence)) == Set(1...200))
            #expect(Set(tickets.map(\.number)) == Set(1...200))
            // the projection agrees: every line position from 0 to 199 is taken exactly once
            let positions = tickets.compactMap { t.projection.ticketView(id: $0.id)?.peopleAhead }
            #expect(Set(positions) == Set(0..<200))
        }
    }

    @Test("concurrent call-next on several counters of two server instances never hands out a ticket twice", arguments: TestDatabaseKind.available)
    func concurrentCalling(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            for _ in 0..<40 { _ = try await t.queue.issueTicket(officeID: "main", serviceID: "a") }
            for _ in 0..<20 { _ = try await t.queue.issueTicket(officeID: "main", serviceID: "b") }
            try await t.withSecondInstance { second in
                let calls = try await withThrowingTaskGroup(of: [Ticket].self) { group in
                    for instance in [t.runtime, second] {
                        for counter in ["c1", "c2"] {
                            group.addTask {
                                var called: [Ticket] = []
                                while let ticket = try await instance.queue.callNext(counterID: counter) { called.append(ticket) }
                                return called
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append(contentsOf: $1) }
                }
                #expect(calls.count == 60)
                #expect(Set(calls.map(\.id)).count == 60, "a ticket was called twice")
                #expect(calls.allSatisfy { $0.stageID == "a-1" || $0.stageID == "b-1" })
                // the store agrees: every A ticket moved on to 審査, every B ticket is done
                let snapshot = try await t.queue.store.snapshot(businessDate: CityCalendar.businessDate(of: t.clock.now()))
                #expect(snapshot.tickets.filter { $0.serviceID == "a" }.allSatisfy { $0.stageID == "a-2" && $0.state == .waiting })
                #expect(snapshot.tickets.filter { $0.serviceID == "b" }.allSatisfy { $0.state == .done })
            }
        }
    }

    @Test("all state survives a restart: tickets, lines, service times, open counters", arguments: TestDatabaseKind.available)
    func restart(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            var issued: [Ticket] = []
            for service in ["a", "a", "b", "a", "a", "b"] {
                t.clock.advance(seconds: 15)
                issued.append(try await t.queue.issueTicket(officeID: "main", serviceID: service))
            }
            _ = try await t.queue.callNext(counterID: "c1")
            t.clock.advance(seconds: 200)
            _ = try await t.queue.finish(counterID: "c1")
            _ = try await t.queue.callNext(counterID: "c1")
            _ = try await t.queue.hold(counterID: "c1")
            _ = try await t.queue.callNext(counterID: "c2")
            _ = try await t.queue.markAbsent(counterID: "c2")
            _ = try await t.queue.callNext(counterID: "c2")
            _ = try await t.queue.transfer(counterID: "c2", to: .counter("c1"))
            _ = try await t.queue.callNext(counterID: "c3")
            let before = try #require(t.projection.status(officeID: "main")?.status)
            let viewsBefore = issued.map { t.projection.ticketView(id: $0.id) }

            // when the server restarts on the same database
            let restarted = try await t.reopen()
            let after = try #require(restarted.projection.status(officeID: "main")?.status)
            let viewsAfter = issued.map { restarted.projection.ticketView(id: $0.id) }

            // then every screen shows the same (asOf is the time of the rebuild)
            #expect(after.services == before.services)
            #expect(viewsAfter == viewsBefore)
            #expect(before.services.first { $0.id == "a" }?.estimatedWaitMinutes != nil)
            await restarted.close()
        }
    }

    @Test("numbers wrap on the database too, skipping numbers still active; a full range is refused", arguments: TestDatabaseKind.available)
    func wrapping(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind, layout: TestLayouts.tiny(size: 3)) { t in
            let first = try await t.queue.issueTicket(officeID: "main", serviceID: "t")
            let second = try await t.queue.issueTicket(officeID: "main", serviceID: "t")
            _ = try await t.queue.issueTicket(officeID: "main", serviceID: "t")
            await #expect(throws: DomainError.numberRangeExhausted(serviceID: "t")) { try await t.queue.issueTicket(officeID: "main", serviceID: "t") }
            _ = try await t.queue.call(counterID: "t1", number: second.number)
            _ = try await t.queue.finish(counterID: "t1")
            let wrapped = try await t.queue.issueTicket(officeID: "main", serviceID: "t")
            #expect(wrapped.number == second.number && wrapped.number != first.number)
        }
    }

    @Test("the database refuses a second active ticket with the same number", arguments: TestDatabaseKind.available)
    func uniqueActiveNumber(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let ticket = try await t.queue.issueTicket(officeID: "main", serviceID: "a")
            var copy = ticket
            copy.id = UUID().uuidString
            copy.token = "other-token"
            copy.sequence = 99
            let duplicate = copy
            await #expect(throws: (any Error).self) {
                try await t.queue.store.transaction { tx in try await tx.insert(duplicate) }
            }
        }
    }

    @Test("events are stored in order and read back equal", arguments: TestDatabaseKind.available)
    func events(kind: TestDatabaseKind) async throws {
        let recorder = EventRecorder()
        try await TestRuntime.with(kind) { t in
            let queue = QueueService(store: t.queue.store, layout: t.runtime.layout, clock: t.clock, publisher: EventFanOut([t.projection, recorder]))
            _ = try await queue.issueTicket(officeID: "main", serviceID: "a")
            _ = try await queue.callNext(counterID: "c1")
            let published = recorder.events
            #expect(published.map(\.kind) == [.ticketIssued, .counterOpened, .ticketCalled])
            let sequences = published.compactMap(\.sequence)
            #expect(sequences.count == 3 && sequences == sequences.sorted())
            #expect(try await t.queue.store.events(sequences: sequences) == published)
        }
    }

    @Test("a sign-in removes sessions idle past the timeout, and keeps the active ones", arguments: TestDatabaseKind.available)
    func idleSessionsPurged(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let access = t.runtime.staffAccess
            _ = try await access.addUser(login: "mori", role: .staff, officeIDs: ["main"], password: "a long passphrase")
            let (_, abandoned) = try await access.signIn(login: "mori", password: "a long passphrase")
            t.clock.advance(seconds: 20 * 60)
            let (_, active) = try await access.signIn(login: "mori", password: "a long passphrase")
            t.clock.advance(seconds: 15 * 60)  // abandoned: idle 35 min; active: 15 min
            _ = try await access.signIn(login: "mori", password: "a long passphrase")
            let stored = try await t.runtime.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM sessions").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stored == 2)
            let activeUser = try await access.user(sessionToken: active)
            let abandonedUser = try await access.user(sessionToken: abandoned)
            #expect(activeUser?.login == "mori" && abandonedUser == nil)
        }
    }

    @Test("staff accounts and sessions are stored; only a hash of a session token is kept", arguments: TestDatabaseKind.available)
    func staffStores(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let access = t.runtime.staffAccess
            let user = try await access.addUser(login: "suzuki", role: .staff, officeIDs: ["main", "other"], password: "窓口の合言葉はさくらです")
            #expect(try await access.users.user(login: "suzuki") == user)
            await #expect(throws: AccessError.loginTaken("suzuki")) {
                try await access.addUser(login: "suzuki", role: .admin, officeIDs: [], password: "another passphrase")
            }
            let (_, token) = try await access.signIn(login: "suzuki", password: "窓口の合言葉はさくらです")
            #expect(try await access.user(sessionToken: token)?.id == user.id)
            let stored = try await t.runtime.database.withConnection { db in
                try await db.raw("SELECT token_hash FROM sessions").all().map { try $0.decode(column: "token_hash", as: String.self) }
            }
            #expect(stored.count == 1 && stored[0] != token && stored[0].count == 64)
            // a second instance sees the same session (sign-in behind a load balancer)
            try await t.withSecondInstance { second in
                #expect(try await second.staffAccess.user(sessionToken: token)?.login == "suzuki")
                try await second.staffAccess.signOut(sessionToken: token)
                #expect(try await access.user(sessionToken: token) == nil)
            }
        }
    }
}

@Suite("PostgreSQL: several instances", .enabled(if: TestDatabases.postgresAdminURL != nil))
struct MultiInstanceTests {
    @Test("an instance's projection follows changes made by another instance (LISTEN/NOTIFY)", .timeLimit(.minutes(1)))
    func followsOtherInstance() async throws {
        try await TestRuntime.with(.postgres) { t in
            try await t.withSecondInstance { follower in
                let (listeningSignal, listeningContinuation) = AsyncStream<Void>.makeStream()
                let listening = Task { await follower.followOtherInstances { listeningContinuation.yield() } }
                var signals = listeningSignal.makeAsyncIterator()
                _ = await signals.next()
                // The follower passes events to its live subscribers after its projection has applied them, so
                // receiving the call here means the follower's screens are up to date.
                let followerEvents = follower.events.subscribe(officeID: "main")

                // when the first instance changes the queue
                var issued: [Ticket] = []
                for _ in 0..<3 { issued.append(try await t.queue.issueTicket(officeID: "main", serviceID: "a")) }
                let called = try #require(try await t.queue.callNext(counterID: "c1"))
                for await event in followerEvents where event.kind == .ticketCalled && event.ticket?.id == called.id { break }

                // then the follower shows what the first instance shows
                let last = try #require(issued.last)
                #expect(follower.projection.ticketView(id: last.id) != nil)
                #expect(follower.projection.ticketView(id: last.id)?.peopleAhead == t.projection.ticketView(id: last.id)?.peopleAhead)
                #expect(follower.projection.status(officeID: "main")?.status.services == t.projection.status(officeID: "main")?.status.services)
                listening.cancel()
                _ = await listening.value
            }
        }
    }
}

final class EventRecorder: EventPublisher {
    private let recorded = Mutex<[DomainEvent]>([])
    var events: [DomainEvent] { recorded.withLock { $0 } }
    func publish(_ events: [DomainEvent]) async { recorded.withLock { $0.append(contentsOf: events) } }
}
