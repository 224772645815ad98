import Foundation
import Hummingbird
import MadoguchiCore
import Synchronization

/// At most `limit` requests per key (a client address, a ticket, a contact) in `window`, counted where every
/// instance sees them, so nobody takes a day's web tickets or numbers by script.
struct RateLimiter: Sendable {
    let throttle: AttemptThrottle

    init(_ name: String, limit: Int, window: TimeInterval, counter: any AttemptCounter) {
        throttle = AttemptThrottle(name, limit: limit, window: window, counter: counter)
    }

    func admit(_ key: String, at now: Date) async throws {
        guard try await throttle.admit(key, at: now) else { throw Self.refusal }
    }

    static let refusal = APIError(.tooManyRequests, code: "rate_limited", message: "短い時間に操作が多すぎます。しばらくしてからお試しください。")
}
