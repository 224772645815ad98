import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Web tickets (W5)")
struct WebTicketTests {
    /// `city` with web tickets for service b: 3 a day, 2 an hour, check-in required, held 10 minutes.
    static var layout: OfficeLayout {
        let city = TestLayouts.city
        var services = city.services
        let b = services.firstIndex { $0.id == "b" }!
        services[b].webTicketing = WebTicketingRules(dailyQuota: 3, hourlyQuota: 2, checkInRequired: true, holdMinutes: 10)
        return OfficeLayout(offices: city.offices, services: services, counters: city.counters)
    }

    @Test("quotas per day and hour, one active ticket per contact, opening hours and services without web tickets")
    func rules() async throws {
        let fixture = QueueFixture(Self.layout)  // Tuesday 09:00
        _ = try await fixture.queue.issueWebTicket(officeID: "main", serviceID: "b", contactDigest: "one")
        await #expect(throws: DomainError.alreadyHasTicket) {
            _ = try await fixture.queue.issueWebTicket(officeID: "main", serviceID: "b", contactDigest: "one")
        }
        _ = try await fixture.queue.issueWebTicket(officeID: "main", serviceID: "b", contactDigest: "two")
        await #expect(throws: DomainError.quotaReached) {  // two this hour
            _ = try await fixture.queue.issueWebTicket(officeID: "main", serviceID: "b", contactDigest: "three")
        }
        _ = try await fixture.queue.issueTicket(officeID: "main", serviceID: "b")  // kiosk tickets do not count
        fixture.clock.advance(seconds: 3600)
        _ = try await fixture.queue.issueWebTicket(officeID: "main", serviceID: "b", contactDigest: "three")
        fixture.clock.advance(seconds: 3600)
        await #expect(throws: DomainError.quotaReached) {  // three today
            _ = try await fixture.queue.issueWebTicket(officeID: "main", serviceID: "b", contactDigest: "four")
        }
        await #expect(throws: DomainError.webTicketingClosed(reason: "この業務はウェブ発券を行っていません。")) {
            _ = try await fixture.queue.issueWebTicket(officeID: "main", serviceID: "a", contactDigest: "five")
        }
        fixture.clock.advance(seconds: 9 * 3600)  // 20:00
        await #expect(throws: DomainError.webTicketingClosed(reason: "受付時間外です。開庁時間内にお取りください。")) {
            _ = try await fixture.queue.issueWebTicket(officeID: "main", serviceID: "b", contactDigest: "six")
        }
    }

    @Test("a ticket not checked in when its turn comes is held, called in its place once its holder arrives, or absent after the hold")
    func checkIn() async throws {
        let fixture = QueueFixture(Self.layout)
        let web = try await fixture.queue.issueWebTicket(officeID: "main", serviceID: "b", contactDigest: "one")
        let late = try await fixture.queue.issueWebTicket(officeID: "main", serviceID: "b", contactDigest: "two")
        let walkIn = try await fixture.issue("b")
        let walkIn2 = try await fixture.issue("b")
        #expect(fixture.projection.ticketView(id: web.id)?.checkedIn == false)

        // web's turn: not here yet, held for 10 minutes; late is not here either; walkIn is called
        #expect(try await fixture.queue.callNext(counterID: "c1")?.id == walkIn.id)
        #expect(fixture.state(web) == .held && fixture.state(late) == .held)
        // web arrives: back to its place, so it is called next, before walkIn2
        let arrived = try await fixture.queue.checkIn(token: web.token)
        #expect(arrived.state == .waiting && arrived.queuedAt == web.queuedAt && arrived.web?.checkedIn == true)
        #expect(try await fixture.queue.callNext(counterID: "c1")?.id == web.id)
        // late never comes: absent after 10 minutes
        fixture.clock.advance(seconds: 599)
        #expect(try await fixture.queue.expireWebHolds() == 0)
        fixture.clock.advance(seconds: 2)
        #expect(try await fixture.queue.expireWebHolds() == 1)
        #expect(fixture.state(late) == .absent)
        await #expect(throws: DomainError.self) { _ = try await fixture.queue.checkIn(token: late.token) }
        #expect(try await fixture.queue.callNext(counterID: "c1")?.id == walkIn2.id)
        fixture.expectConsistent()
    }
}
