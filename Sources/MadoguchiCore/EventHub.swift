import Foundation
import Synchronization

/// In-process fan-out of committed domain events to live subscribers (SSE streams of screens), per office.
///
/// Events can arrive twice on PostgreSQL (published locally after commit and again through NOTIFY); the hub passes
/// each sequence on once. Each subscriber has its own bounded buffer, so one slow screen never holds up the others;
/// a screen that falls that far behind gets a fresh status with the next event anyway.
public final class EventHub: EventPublisher {
    public typealias Subscription = AsyncStream<DomainEvent>

    private struct State {
        var subscribers: [String: [UUID: Subscription.Continuation]] = [:]
        var seen = SequenceWindow()
    }

    private let state = Mutex(State())

    public init() {}

    /// Subscribe with this office id to receive the events of every office.
    public static let everyOffice = "*"

    /// Events of `officeID` from now on; the stream ends when the subscriber stops iterating or `finishAll` is called.
    public func subscribe(officeID: String, bufferSize: Int = 1000) -> Subscription {
        let (stream, continuation) = Subscription.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers[officeID]?.removeValue(forKey: id) }
        }
        state.withLock { $0.subscribers[officeID, default: [:]][id] = continuation }
        return stream
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.values.reduce(0) { $0 + $1.count } } }

    public func publish(_ events: [DomainEvent]) async {
        let deliveries: [(Subscription.Continuation, DomainEvent)] = state.withLock { state in
            var deliveries: [(Subscription.Continuation, DomainEvent)] = []
            for event in events {
                if let sequence = event.sequence {
                    guard state.seen.admit(sequence) else { continue }
                }
                for continuation in (state.subscribers[event.officeID] ?? [:]).values {
                    deliveries.append((continuation, event))
                }
                for continuation in (state.subscribers[Self.everyOffice] ?? [:]).values {
                    deliveries.append((continuation, event))
                }
            }
            return deliveries
        }
        for (continuation, event) in deliveries { continuation.yield(event) }
    }

    /// Ends every stream, e.g. at shutdown.
    public func finishAll() {
        let all = state.withLock { state in state.subscribers.values.flatMap(\.values) }
        for continuation in all { continuation.finish() }
    }
}
