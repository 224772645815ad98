import Foundation

/// The one way the city's configuration changes, whichever entry point asks (the settings page, the API, the
/// command line): stored whole in one transaction, audited with what changed (before → after), and announced to
/// the offices it touches so every instance reloads and their screens follow.
public struct ConfigurationService: Sendable {
    public let store: any ConfigurationStore
    let audit: any AuditLog
    let queue: QueueService
    let clock: any WallClock

    public init(store: any ConfigurationStore, audit: any AuditLog, queue: QueueService, clock: any WallClock) {
        self.store = store
        self.audit = audit
        self.queue = queue
        self.clock = clock
    }

    struct Change: Encodable { let before: CityConfiguration; let after: CityConfiguration }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Replaces `before` with `configuration`; returns the offices whose objects changed.
    @discardableResult
    public func replace(
        _ before: OfficeLayout, with configuration: CityConfiguration, by actor: Operator, action: String, target: String
    ) async throws -> Set<String> {
        try await store.replace(with: configuration.layout)
        // Only the objects that changed go into the audit entry, and only their offices' screens reload.
        let change = configuration.difference(from: CityConfiguration(before))
        let detail = (try? String(decoding: Self.encoder.encode(Change(before: change.before, after: change.after)), as: UTF8.self)) ?? ""
        try await audit.append(AuditEntry(at: clock.now(), actor: actor.login, action: action, target: target, address: actor.address, detail: detail))
        for officeID in change.officeIDs.sorted() {
            try await queue.announceConfigurationChange(officeID: officeID)
        }
        return change.officeIDs
    }
}
