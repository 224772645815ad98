import Foundation

/// One staff action in the tamper-evident audit log (S5): who, when, what, from where.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var sequence: Int64?
    public var at: Date
    /// Login of the staff member, or the login tried for a failed sign-in.
    public var actor: String
    /// `session.sign_in`, `counter.call-next`, `settings.notifications`…
    public var action: String
    /// What the action was done to (a counter, a service, an office).
    public var target: String
    /// Client address.
    public var address: String
    /// Outcome (HTTP status) or details such as `{"before": …, "after": …}`; never contact data.
    public var detail: String

    public init(at: Date, actor: String, action: String, target: String, address: String, detail: String = "") {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.address = address
        self.detail = detail
    }
}

/// Filters of the audit viewer.
public struct AuditQuery: Sendable {
    public var from: Date?
    public var until: Date?
    public var actor: String?
    public var action: String?
    public var limit: Int
    public init(from: Date? = nil, until: Date? = nil, actor: String? = nil, action: String? = nil, limit: Int = 1000) {
        self.from = from
        self.until = until
        self.actor = actor
        self.action = action
        self.limit = limit
    }
}

/// The result of checking the chain: nil when intact, else the first entry whose link is broken.
public struct AuditBreak: Sendable, Equatable, CustomStringConvertible {
    public var sequence: Int64
    public var reason: String
    public init(sequence: Int64, reason: String) {
        self.sequence = sequence
        self.reason = reason
    }
    public var description: String { "監査ログの連鎖が \(sequence) 番で切れています: \(reason)" }
}

/// The newest entry of the audit chain: its sequence and MAC, kept outside the log (backup records, the server
/// log) so that removing the newest entries is found by `AuditLog.verify`.
public struct AuditHead: Sendable, Equatable, CustomStringConvertible {
    public var sequence: Int64
    public var mac: String
    public init(sequence: Int64, mac: String) {
        self.sequence = sequence
        self.mac = mac
    }
    /// `1234@k1:3f…`, as the server log prints it and `madoguchi audit verify --anchor` reads it.
    public var description: String { "\(sequence)@\(mac)" }
    public init?(_ text: String) {
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2, let sequence = Int64(parts[0]), !parts[1].isEmpty else { return nil }
        self.init(sequence: sequence, mac: parts[1])
    }
}

/// Append-only storage of the audit log, each entry chained to the previous one by a hash.
public protocol AuditLog: Sendable {
    func append(_ entry: AuditEntry) async throws
    func entries(_ query: AuditQuery) async throws -> [AuditEntry]
    func verify() async throws -> (checked: Int, broken: AuditBreak?)
    /// The newest entry, for anchoring outside the log.
    func head() async throws -> AuditHead?
    /// Deletes entries older than `date`; the chain stays verifiable from the first entry kept.
    func prune(before date: Date) async throws -> Int
}

/// The last backup attempt, as administrators see it (S6).
public struct BackupStatus: Sendable, Equatable {
    public var at: Date
    public var file: String
    public var bytes: Int
    public var verified: Bool
    public var message: String
    public init(at: Date, file: String, bytes: Int, verified: Bool, message: String) {
        self.at = at
        self.file = file
        self.bytes = bytes
        self.verified = verified
        self.message = message
    }
}
