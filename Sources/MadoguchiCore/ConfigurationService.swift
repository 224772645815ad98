import Foundation

/// The one way the city's configuration changes, whichever entry point asks (the settings page, the API, the
/// command line): stored whole in one transaction, audited with what changed (before → after), and announced to
/// the offices it touches so every instance reloads and their screens follow.
public struct ConfigurationService: Sendable {
    public let store: any ConfigurationStore
    let audit: AuditTrail
    let queue: QueueService
    let clock: any WallClock

    public init(store: any ConfigurationStore, audit: any AuditLog, queue: QueueService, clock: any WallClock) {
        self.store = store
        self.audit = AuditTrail(log: audit, clock: clock)
        self.queue = queue
        self.clock = clock
    }

    /// Hands the whole configuration out as a file (`format` names it in the audit entry): city-wide only.
    public func export(_ layout: OfficeLayout, format: String, by actor: Operator) async throws -> OfficeLayout {
        guard actor.holds(.configureCity) else { throw AccessError.forbidden }
        try await audit.record("settings.export", by: actor, target: "city", detail: format)
        return layout
    }

    /// Replaces `before` with `configuration`; returns the offices whose objects changed.
    @discardableResult
    public func replace(
        _ before: OfficeLayout, with configuration: CityConfiguration, by actor: Operator, action: String, target: String
    ) async throws -> Set<String> {
        try await store.replace(with: configuration.layout)
        // Only the objects that changed go into the audit entry, and only their offices' screens reload.
        let change = configuration.difference(from: CityConfiguration(before))
        try await audit.record(action, by: actor, target: target, detail: AuditTrail.change(before: change.before, after: change.after))
        for officeID in change.officeIDs.sorted() {
            try await queue.announceConfigurationChange(officeID: officeID)
        }
        return change.officeIDs
    }
}
