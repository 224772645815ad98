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
        let task = Task {
            for await _ in hub.subscribe(officeID: "main") {}
        }
        #expect(await eventuallyTrue { hub.subscriberCount == 1 })
        task.cancel()
        #expect(await eventuallyTrue { hub.subscriberCount == 0 })
    }

    func eventuallyTrue(_ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
