import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

/// Queue use cases over the in-memory store, with the projection the screens read.
struct QueueFixture {
    let store = InMemoryQueueStore()
    let clock = TestClock()
    let layout: LayoutSource
    let projection: QueueProjection
    let queue: QueueService

    init(_ layout: OfficeLayout = TestLayouts.city) {
        self.layout = LayoutSource(layout)
        projection = QueueProjection(layout: self.layout, clock: clock)
        queue = QueueService(store: store, layout: self.layout, clock: clock, publisher: projection)
    }

    /// Issues a ticket ten seconds after the previous step, so arrival order is unambiguous.
    func issue(_ service: String, office: String = "main", priority: Bool = false) async throws -> Ticket {
        clock.advance(seconds: 10)
        return try await queue.issueTicket(officeID: office, serviceID: service, priority: priority)
    }

    func ahead(_ ticket: Ticket) -> Int? { projection.ticketView(id: ticket.id)?.peopleAhead }
    func state(_ ticket: Ticket) -> TicketState? { projection.ticketView(id: ticket.id)?.state }
    func stage(_ ticket: Ticket) -> String? { projection.ticketView(id: ticket.id)?.stage }

    func waiting(atStage stageID: String, office: String = "main") -> Int? {
        projection.status(officeID: office)?.status.services.flatMap(\.stages).first { $0.id == stageID }?.waiting
    }

    /// Every ticket's people-ahead in the projection equals a count over the stored tickets, every stage's waiting
    /// count equals the stored waiting tickets, and no counter serves two tickets.
    func expectConsistent(sourceLocation: SourceLocation = #_sourceLocation) {
        let tickets = store.allTickets
        for ticket in tickets {
            #expect(
                ahead(ticket) == WaitingLine.peopleAhead(of: ticket, among: tickets),
                "peopleAhead of \(ticket.displayNumber) (\(ticket.state))", sourceLocation: sourceLocation)
            #expect(state(ticket) == ticket.state, sourceLocation: sourceLocation)
        }
        for service in layout.current.services {
            for stage in service.route {
                let stored = tickets.count { $0.stageID == stage.id && $0.state == .waiting }
                #expect(waiting(atStage: stage.id, office: service.officeID) == stored, "waiting at \(stage.id)", sourceLocation: sourceLocation)
            }
        }
        let called = tickets.filter { $0.state == .called }.compactMap(\.counterID)
        #expect(Set(called).count == called.count, "a counter serves two tickets", sourceLocation: sourceLocation)
    }
}
