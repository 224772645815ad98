import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Queue use cases: calling, multi-stage routes and exact waits (Q5–Q7)")
struct QueueScenarioTests {
    @Test("a visitor goes 受付 → 審査 → 交付 keeping one number; people-ahead is right after every step")
    func multiStageRoute() async throws {
        let f = QueueFixture()
        // given three visitors for A and one for B
        let a1 = try await f.issue("a"), a2 = try await f.issue("a"), a3 = try await f.issue("a"), b = try await f.issue("b")
        #expect([a1, a2, a3].map(\.displayNumber) == ["A001", "A002", "A003"] && b.displayNumber == "B200")
        #expect([f.ahead(a1), f.ahead(a2), f.ahead(a3), f.ahead(b)] == [0, 1, 2, 0])
        f.expectConsistent()

        // when counter 1 calls: the oldest of its stages
        f.clock.advance(seconds: 60)
        #expect(try await f.queue.callNext(counterID: "c1")?.id == a1.id)
        #expect([f.ahead(a1), f.ahead(a2), f.ahead(a3)] == [0, 0, 1])
        #expect(f.waiting(atStage: "a-1") == 2)
        f.expectConsistent()

        // counter 2 calls A002; counter 1 finishes A001, which now waits at 審査
        #expect(try await f.queue.callNext(counterID: "c2")?.id == a2.id)
        f.clock.advance(seconds: 120)
        let moved = try await f.queue.finish(counterID: "c1")
        #expect(moved.id == a1.id && moved.number == 1 && moved.stageID == "a-2" && moved.state == .waiting)
        #expect(f.ahead(a1) == 0 && f.waiting(atStage: "a-2") == 1 && f.waiting(atStage: "a-1") == 1)
        f.expectConsistent()

        // counter 1 calls again (A003 before B200), finishes; counter 2 finishes A002 last
        #expect(try await f.queue.callNext(counterID: "c1")?.id == a3.id)
        f.clock.advance(seconds: 30)
        _ = try await f.queue.finish(counterID: "c1")
        f.clock.advance(seconds: 30)
        _ = try await f.queue.finish(counterID: "c2")
        // then the 審査 line is in order of arrival there: A001, A003, A002
        #expect([f.ahead(a1), f.ahead(a3), f.ahead(a2)] == [0, 1, 2])
        #expect(f.waiting(atStage: "a-2") == 3)
        f.expectConsistent()

        // 審査 calls A001 and sends it on to 交付; the others move up
        #expect(try await f.queue.callNext(counterID: "c3")?.id == a1.id)
        #expect([f.ahead(a3), f.ahead(a2)] == [0, 1])
        _ = try await f.queue.finish(counterID: "c3")
        #expect(f.stage(a1) == "a-3" && f.ahead(a1) == 0)

        // 交付 finishes the last stage: done
        #expect(try await f.queue.callNext(counterID: "c4")?.id == a1.id)
        let done = try await f.queue.finish(counterID: "c4")
        #expect(done.state == .done && f.ahead(a1) == nil && f.waiting(atStage: "a-3") == 0)
        f.expectConsistent()

        // the service's status counts its tickets waiting at any stage
        let status = try #require(f.projection.status(officeID: "main")?.status.services.first { $0.id == "a" })
        #expect(status.waiting == 2 && status.stages.map(\.waiting) == [0, 2, 0])
    }

    @Test("hold, absent and calling by number: the absence is cleared and the counter's current ticket finishes")
    func holdAbsentAndCallByNumber() async throws {
        let f = QueueFixture()
        let a1 = try await f.issue("a"), a2 = try await f.issue("a")
        _ = try await f.queue.callNext(counterID: "c1")
        let held = try await f.queue.hold(counterID: "c1")
        #expect(held.state == .held && f.ahead(a1) == nil && f.ahead(a2) == 0)
        #expect(try await f.queue.callNext(counterID: "c1")?.id == a2.id)
        let absent = try await f.queue.markAbsent(counterID: "c1")
        #expect(absent.state == .absent)
        await #expect(throws: DomainError.noCurrentTicket(counterID: "c1")) { try await f.queue.recall(counterID: "c1") }
        f.expectConsistent()

        // calling the absent number (ten-key or scanner) clears its absence
        let recalled = try await f.queue.call(counterID: "c2", number: 2)
        #expect(recalled.id == a2.id && recalled.state == .called && recalled.counterID == "c2")
        // calling the held number on the same counter finishes A002 first (it moves to 審査)
        let again = try await f.queue.call(counterID: "c2", number: 1)
        #expect(again.id == a1.id && again.state == .called)
        #expect(f.state(a2) == .waiting && f.stage(a2) == "a-2")
        f.expectConsistent()

        // errors: a number outside every range of the counter, a number nobody holds, a ticket being served
        await #expect(throws: DomainError.numberOutOfRange(number: 150)) { try await f.queue.call(counterID: "c1", number: 150) }
        await #expect(throws: DomainError.ticketNotFound) { try await f.queue.call(counterID: "c1", number: 99) }
        await #expect(throws: DomainError.self) { try await f.queue.call(counterID: "c1", number: 1) }
        // a ticket waiting at a stage this counter does not serve
        await #expect(throws: DomainError.stageNotServed(counterID: "c1", stageID: "a-2")) { try await f.queue.call(counterID: "c1", number: 2) }
    }

    @Test("recall keeps the ticket; cancel removes it from the line, also by number before it is called")
    func recallAndCancel() async throws {
        let f = QueueFixture()
        let a1 = try await f.issue("a"), a2 = try await f.issue("a"), a3 = try await f.issue("a")
        _ = try await f.queue.callNext(counterID: "c1")
        #expect(try await f.queue.recall(counterID: "c1").id == a1.id)
        #expect(try await f.queue.cancelCurrent(counterID: "c1").state == .cancelled)
        #expect(try await f.queue.cancel(counterID: "c1", number: 2).id == a2.id)
        #expect(f.ahead(a3) == 0 && f.ahead(a2) == nil)
        await #expect(throws: DomainError.ticketNotFound) { try await f.queue.cancel(counterID: "c1", number: 2) }
        f.expectConsistent()
        #expect(try await f.queue.callNext(counterID: "c2")?.id == a3.id)
        // nobody waits: call-next still finishes the current ticket, which moves on to 審査
        #expect(try await f.queue.callNext(counterID: "c2") == nil)
        #expect(f.state(a3) == .waiting && f.stage(a3) == "a-2")
    }

    @Test("transfer to a stage keeps the place; transfer to a counter puts the ticket in that counter's own line")
    func transfers() async throws {
        let f = QueueFixture()
        let a1 = try await f.issue("a"), a2 = try await f.issue("a"), a3 = try await f.issue("a")
        _ = try await f.queue.callNext(counterID: "c1")
        f.clock.advance(seconds: 60)
        _ = try await f.queue.finish(counterID: "c1")  // A001 waits at 審査
        _ = try await f.queue.callNext(counterID: "c3")
        // 審査 sends A001 back to 受付: it keeps its place ahead of the visitors who came after it arrived at 審査
        let back = try await f.queue.transfer(counterID: "c3", to: .stage("a-1"))
        #expect(back.stageID == "a-1" && back.state == .waiting)
        // its order key is its arrival at 審査, which came after A002 and A003 were issued
        #expect([f.ahead(a2), f.ahead(a3), f.ahead(a1)] == [0, 1, 2])
        f.expectConsistent()

        // counter 1 transfers the ticket it calls to counter 2: only counter 2 calls it, ahead of its general line
        let called = try #require(try await f.queue.callNext(counterID: "c1"))
        let reserved = try await f.queue.transfer(counterID: "c1", to: .counter("c2"))
        #expect(reserved.assignedCounterID == "c2" && f.ahead(called) == 0)
        let next1 = try await f.queue.callNext(counterID: "c1")
        #expect(next1?.id != called.id)
        #expect(try await f.queue.callNext(counterID: "c2")?.id == called.id)
        f.expectConsistent()

        // transfers outside the office are refused
        await #expect(throws: DomainError.stageInOtherOffice(stageID: "x-1")) { try await f.queue.transfer(counterID: "c2", to: .stage("x-1")) }
        await #expect(throws: DomainError.counterInOtherOffice(counterID: "x1")) { try await f.queue.transfer(counterID: "c2", to: .counter("x1")) }
        await #expect(throws: DomainError.stageNotFound("nope")) { try await f.queue.transfer(counterID: "c2", to: .stage("nope")) }
    }

    @Test("a ticket transferred to a counter of another service's stage is listed under its own service (issue 15, item 9)")
    func transferredTicketKeepsItsService() async throws {
        // given B200 is called at counter 2 and passed on to counter 3, which serves only 審査 of service A
        let f = QueueFixture()
        let b = try await f.issue("b")
        _ = try await f.queue.callNext(counterID: "c2")
        _ = try await f.queue.transfer(counterID: "c2", to: .counter("c3"))
        // when counter 3 calls it, and later marks it absent
        #expect(try await f.queue.callNext(counterID: "c3")?.id == b.id)
        let calling = try #require(f.projection.status(officeID: "main")?.status)
        _ = try await f.queue.markAbsent(counterID: "c3")
        let absent = try #require(f.projection.status(officeID: "main")?.status)
        // then the public lists keep it under 証明書 (B), never under 住民異動 (A)
        let service = { (status: OfficeStatus, id: String) in try #require(status.services.first { $0.id == id }) }
        #expect(try service(calling, "b").calling == [b.displayNumber] && (try service(calling, "a").calling).isEmpty)
        #expect(calling.calls.map(\.service) == ["b"])
        #expect(try service(absent, "b").absent == [b.displayNumber] && (try service(absent, "a").absent).isEmpty)
        f.expectConsistent()
    }

    @Test("priority tickets (checked-in bookings) are called first and counted ahead of others")
    func priority() async throws {
        let f = QueueFixture()
        let walkIn = try await f.issue("a")
        let booked = try await f.issue("a", priority: true)
        #expect(f.ahead(booked) == 0 && f.ahead(walkIn) == 1)
        #expect(try await f.queue.callNext(counterID: "c1")?.id == booked.id)
    }

    @Test("when the range is used up numbers wrap, skipping those still waiting, and a full range is refused")
    func wrapAndExhaustion() async throws {
        let f = QueueFixture(TestLayouts.tiny(size: 3))
        let first = try await f.issue("t"); _ = try await f.issue("t"); _ = try await f.issue("t")
        await #expect(throws: DomainError.numberRangeExhausted(serviceID: "t")) { try await f.queue.issueTicket(officeID: "main", serviceID: "t") }
        _ = try await f.queue.callNext(counterID: "t1")
        _ = try await f.queue.finish(counterID: "t1")  // number 1 is free again
        let wrapped = try await f.issue("t")
        #expect(wrapped.number == first.number && wrapped.id != first.id && wrapped.sequence == 4)
    }

    @Test("estimated waits appear once service times are observed")
    func estimates() async throws {
        let f = QueueFixture()
        _ = try await f.issue("a"); _ = try await f.issue("a")
        let third = try await f.issue("a")
        #expect(f.projection.ticketView(id: third.id)?.estimatedWaitMinutes == nil)
        _ = try await f.queue.callNext(counterID: "c1")
        f.clock.advance(seconds: 240)
        _ = try await f.queue.finish(counterID: "c1")  // one observation: 4 minutes at 受付; c1 is open
        // third has 1 ahead (A002), one open counter of the two serving 受付: 1 × 240 s ÷ 1 = 4 min
        #expect(f.projection.ticketView(id: third.id)?.estimatedWaitMinutes == 4)
        let service = try #require(f.projection.status(officeID: "main")?.status.services.first { $0.id == "a" })
        #expect(service.estimatedWaitMinutes == 8)  // a new ticket: 2 waiting × 240 s
    }

    @Test("unknown office, service and counter are refused")
    func unknowns() async throws {
        let f = QueueFixture()
        await #expect(throws: DomainError.officeNotFound("nope")) { try await f.queue.issueTicket(officeID: "nope", serviceID: "a") }
        await #expect(throws: DomainError.serviceNotFound("x")) { try await f.queue.issueTicket(officeID: "main", serviceID: "x") }
        await #expect(throws: DomainError.counterNotFound("c9")) { try await f.queue.callNext(counterID: "c9") }
    }

    @Test("random sequences of operations keep every screen's numbers equal to the stored truth", arguments: [1, 2, 3, 4])
    func randomOperations(seed: UInt64) async throws {
        let f = QueueFixture()
        var random = SplitMix64(seed: seed)
        let counters = ["c1", "c2", "c3", "c4"]
        for _ in 0..<250 {
            let counter = counters[Int(random.next() % 4)]
            f.clock.advance(seconds: Double(random.next() % 90))
            do {
                switch random.next() % 10 {
                case 0, 1, 2: _ = try await f.queue.issueTicket(officeID: "main", serviceID: random.next() % 3 == 0 ? "b" : "a")
                case 3, 4: _ = try await f.queue.callNext(counterID: counter)
                case 5: _ = try await f.queue.finish(counterID: counter)
                case 6: _ = try await (random.next() % 2 == 0 ? f.queue.hold(counterID: counter) : f.queue.markAbsent(counterID: counter))
                case 7: _ = try await f.queue.call(counterID: counter, number: Int(random.next() % 12) + 1)
                case 8:
                    _ = try await f.queue.transfer(counterID: counter, to: random.next() % 2 == 0 ? .stage("a-2") : .counter(counters[Int(random.next() % 4)]))
                default: _ = try await f.queue.cancel(counterID: counter, number: Int(random.next() % 12) + 1)
                }
            } catch is DomainError {
                // refused operations are part of the exercise; they must change nothing
            }
            f.expectConsistent()
        }
    }
}

/// Deterministic generator so a failing random sequence can be replayed.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
