import Foundation
import MadoguchiCore
import Testing

@Suite("Live event fan-out")
struct EventHubTests {
    func event(_ office: String, _ sequence: Int64) -> DomainEvent {
        DomainEvent(kind: .counterOpened, officeID: office, occurredAt: Date(), counterID: "c", sequence: sequence)
    }

    @Test("subscribers get their office's events once each, in order, even when an event arrives twice")
    func delivery() async {
        let hub = EventHub()
        let main = hub.subscribe(officeID: "main")
        let other = hub.subscribe(officeID: "other")
        await hub.publish([event("main", 1), event("other", 2)])
        await hub.publish([event("main", 1), event("main", 3)])  // 1 again, as through NOTIFY after the local publish
        hub.finishAll()
        var mainSequences: [Int64] = []
        for await e in main { mainSequences.append(e.sequence!) }
        var otherSequences: [Int64] = []
        for await e in other { otherSequences.append(e.sequence!) }
        #expect(mainSequences == [1, 3])
        #expect(otherSequences == [2])
    }

    @Test("a subscriber that stops listening is removed")
    func unsubscribe() async {
        let hub = EventHub()
        let stream = hub.subscribe(officeID: "main")
        #expect(hub.subscriberCount == 1)
        let listener = Task {
            for await _ in stream {}
        }
        listener.cancel()
        // Cancelling the listening task terminates the stream, and termination unsubscribes before the loop ends.
        await listener.value
        #expect(hub.subscriberCount == 0)
    }
}
