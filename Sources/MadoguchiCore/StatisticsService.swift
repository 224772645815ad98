import Foundation

/// Statistics as staff read and export them (S1, S2, S7): limited to the offices where the reader holds
/// `viewStatistics`, named for people, exports audited (they leave the system with staff names), saved report
/// definitions kept per author.
public struct StatisticsService: Sendable {
    public let store: any StatisticsStore
    let layout: LayoutSource
    let audit: AuditTrail

    public init(store: any StatisticsStore, layout: LayoutSource, audit: any AuditLog, clock: any WallClock) {
        self.store = store
        self.layout = layout
        self.audit = AuditTrail(log: audit, clock: clock)
    }

    /// The report of `query`, its rows named (offices, services, staff logins).
    public func report(_ query: StatisticsQuery, by actor: Operator) async throws -> StatisticsReport {
        let allowed = Set(actor.offices(for: .viewStatistics, among: layout.current.offices.map(\.id)))
        guard query.officeIDs.allSatisfy(allowed.contains) else { throw AccessError.forbidden }
        var report = try await store.report(query)
        report.name(layout: layout.current, staffLogins: query.grouping == .staff ? try await store.staffLogins() : [:])
        return report
    }

    /// The report for a file in `format` (csv, xlsx), audited.
    public func export(_ query: StatisticsQuery, format: String, by actor: Operator) async throws -> StatisticsReport {
        let report = try await report(query, by: actor)
        try await audit.record(
            "statistics.export", by: actor, target: query.officeIDs.joined(separator: ","),
            detail: "\(format) \(query.from)..\(query.to) \(query.grouping.rawValue)/\(query.period.rawValue)")
        return report
    }

    public func definitions() async throws -> [ReportDefinition] { try await store.definitions() }

    public func definition(id: String) async throws -> ReportDefinition? { try await definitions().first { $0.id == id } }

    public func save(_ definition: ReportDefinition, by actor: Operator) async throws {
        guard actor.holds(.viewStatistics) else { throw AccessError.forbidden }
        try await store.save(definition, by: actor.login)
        try await audit.record("statistics.definition_saved", by: actor, target: definition.id, detail: definition.name)
    }

    /// Removes a saved report: its author may, or a reader of every office (a viewer of some offices may not
    /// remove one another office relies on). False when there is no such definition.
    @discardableResult
    public func deleteDefinition(id: String, by actor: Operator) async throws -> Bool {
        guard let definition = try await definition(id: id) else { return false }
        let everyOffice = layout.current.offices.allSatisfy { actor.may(.viewStatistics, at: $0.id) }
        guard definition.createdBy == actor.login || everyOffice else { throw AccessError.forbidden }
        try await store.deleteDefinition(id: id)
        try await audit.record("statistics.definition_deleted", by: actor, target: id)
        return true
    }
}
