import Foundation
import Synchronization

/// Counts attempts per key in fixed windows. Implementations keep the counts where every instance sees them (the
/// database), so a limit holds behind a load balancer and across restarts.
public protocol AttemptCounter: Sendable {
    /// Adds one attempt under `key` and returns how many attempts the key's current window holds, this one
    /// included; a window starts with the first attempt after the previous one ended.
    func add(_ key: String, window: TimeInterval, at now: Date) async throws -> Int
    /// Forgets the attempts under `key` (a successful check ends a run of failures).
    func reset(_ key: String) async throws
}

/// At most `limit` attempts per key in `window` seconds. Keys name what is limited and for whom
/// (`reservation-id:…`, `client:…`); implementations store only a keyed digest of them, so a counted reservation
/// ID, e-mail address or client address is not kept in clear.
public struct AttemptThrottle: Sendable {
    public let name: String
    public let limit: Int
    public let window: TimeInterval
    public let counter: any AttemptCounter

    public init(_ name: String, limit: Int, window: TimeInterval, counter: any AttemptCounter) {
        self.name = name
        self.limit = limit
        self.window = window
        self.counter = counter
    }

    /// Counts an attempt for `subject`; false when it is over the limit (the attempt must then not be evaluated).
    public func admit(_ subject: String, at now: Date) async throws -> Bool {
        try await counter.add(key(subject), window: window, at: now) <= limit
    }

    public func reset(_ subject: String) async throws { try await counter.reset(key(subject)) }

    private func key(_ subject: String) -> String { name + ":" + subject }
}

/// Counts in process memory: for tests of pure rules and for tools without a database.
public final class InMemoryAttemptCounter: AttemptCounter {
    private struct Window { var start: Date; var count: Int }
    private let windows = Mutex<[String: Window]>([:])
    public init() {}

    public func add(_ key: String, window: TimeInterval, at now: Date) async throws -> Int {
        windows.withLock { windows in
            if let current = windows[key], now.timeIntervalSince(current.start) < window {
                windows[key]!.count += 1
                return current.count + 1
            }
            windows[key] = Window(start: now, count: 1)
            return 1
        }
    }

    public func reset(_ key: String) async throws { _ = windows.withLock { $0.removeValue(forKey: key) } }
}
