import Foundation
import Synchronization

/// Delivers queued messages with retries and back-off; several instances share the work through leases.
public struct OutboxDispatcher: Sendable {
    let store: any NotificationStore
    let senders: [ContactChannel: any MessageSender]
    let clock: any WallClock
    public var lease: TimeInterval = 60

    public init(store: any NotificationStore, senders: [ContactChannel: any MessageSender], clock: any WallClock) {
        self.store = store
        self.senders = senders
        self.clock = clock
    }

    /// Sends what is due now; returns how many were delivered.
    @discardableResult
    public func deliverDue() async throws -> Int {
        var delivered = 0
        for message in try await store.claimDue(at: clock.now(), lease: lease, limit: 50) {
            guard let sender = senders[message.channel] else {
                try await store.failed(
                    message.id, error: "\(message.channel.rawValue) の送信先が設定されていません",
                    retryAt: clock.now().addingTimeInterval(OutgoingMessage.backoff(afterAttempts: message.attempts + 1)))
                continue
            }
            do {
                try await sender.send(message)
                try await store.delivered(message.id, at: clock.now())
                delivered += 1
            } catch {
                // The error text names the server, never the recipient.
                try await store.failed(
                    message.id, error: String(describing: error).prefix(300).description,
                    retryAt: clock.now().addingTimeInterval(OutgoingMessage.backoff(afterAttempts: message.attempts + 1)))
            }
        }
        return delivered
    }
}
