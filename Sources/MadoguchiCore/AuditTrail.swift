import Foundation

/// How a use case writes its audit entry (S5), so every entry point — page, API, command line — is audited alike
/// and a new one cannot forget it. A failed write is an error of the use case: a read of personal data that cannot
/// be traced is refused rather than served.
public struct AuditTrail: Sendable {
    public let log: any AuditLog
    let clock: any WallClock

    public init(log: any AuditLog, clock: any WallClock) {
        self.log = log
        self.clock = clock
    }

    public func record(_ action: String, by actor: Operator, target: String, detail: String = "") async throws {
        try await record(action, actor: actor.login, address: actor.address, target: target, detail: detail)
    }

    /// An entry whose actor is no signed-in operator (a failed sign-in names the login tried).
    public func record(_ action: String, actor: String, address: String, target: String, detail: String = "") async throws {
        try await log.append(AuditEntry(at: clock.now(), actor: actor, action: action, target: target, address: address, detail: detail))
    }

    /// The log as administrators read it.
    public func entries(_ query: AuditQuery, by actor: Operator) async throws -> [AuditEntry] {
        guard actor.holds(.viewAudit) else { throw AccessError.forbidden }
        return try await log.entries(query)
    }

    /// The entries for a file, the export itself audited.
    public func export(_ query: AuditQuery, format: String, by actor: Operator) async throws -> [AuditEntry] {
        let entries = try await entries(query, by: actor)
        try await record("audit.export", by: actor, target: format, detail: "\(entries.count)")
        return entries
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private struct Change<B: Encodable, A: Encodable>: Encodable {
        let before: B
        let after: A
    }

    /// `{"before": …, "after": …}`, the detail of a settings change.
    public static func change<B: Encodable, A: Encodable>(before: B, after: A) -> String {
        (try? String(decoding: encoder.encode(Change(before: before, after: after)), as: UTF8.self)) ?? ""
    }
}
