import Foundation

/// The files of MyNumber-card reservation IDs (R4), whichever entry point brings them (the back office page, the
/// API, the command line): decoded, checked all or nothing with each fault's line and column, limited to the
/// offices the operator manages, stored, and audited.
public struct ReservationIDFiles: Sendable {
    let store: any ReservationStore
    let layout: LayoutSource
    let audit: AuditTrail
    let clock: any WallClock

    public init(store: any ReservationStore, layout: LayoutSource, audit: any AuditLog, clock: any WallClock) {
        self.store = store
        self.layout = layout
        self.audit = AuditTrail(log: audit, clock: clock)
        self.clock = clock
    }

    public enum Failure: Error, Equatable {
        /// Neither UTF-8 nor Shift_JIS.
        case undecodable
        /// Every fault of the file; nothing was stored.
        case rejected([ReservationIDImport.Fault])
        /// The file names, or would replace, IDs of an office the operator does not manage.
        case forbidden(officeID: String)
    }

    public struct Imported: Sendable, Equatable { public let count: Int; public let added: Int; public let updated: Int }

    /// Registers the IDs of a file (`予約番号,窓口コード[,生年月日]`).
    public func importFile(_ data: Data, by actor: Operator) async throws -> Imported {
        guard let text = TextFile.decode(data) else { throw Failure.undecodable }
        let settings = layout.current.reservations
        let ids: [ImportedReservationID]
        switch ReservationIDImport.parse(text, knownOfficeCodes: settings.knownOfficeCodes) {
        case .failure(let rejected): throw Failure.rejected(rejected.faults)
        case .success(let parsed): ids = parsed
        }
        for officeID in Set(ids.compactMap { settings.officeID(ofCode: $0.officeCode) }).sorted()
        where !actor.may(.manageReservations, at: officeID) {
            throw Failure.forbidden(officeID: officeID)
        }
        // The IDs already registered must belong to the operator's offices too, not only the ones the file names.
        let everyOffice = settings.officeCodes.allSatisfy { actor.may(.manageReservations, at: $0.officeID) }
        let ownCodes = Set(settings.officeCodes.filter { actor.may(.manageReservations, at: $0.officeID) }.map(\.code))
        let result = try await store.importIDs(ids, at: clock.now(), replaceableOfficeCodes: everyOffice ? nil : ownCodes)
        try await audit.record("reservation_ids.imported", by: actor, target: "\(ids.count)件", detail: "追加 \(result.added) 件・更新 \(result.updated) 件")
        return Imported(count: ids.count, added: result.added, updated: result.updated)
    }

    /// Erases the bookings and the IDs listed one per line (the first column of a CSV), on the city's instruction.
    public func deleteFile(_ data: Data, by actor: Operator) async throws -> Int {
        guard let text = TextFile.decode(data) else { throw Failure.undecodable }
        var ids: [String] = [], faults: [ReservationIDImport.Fault] = []
        for (index, line) in text.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let id = (line.split(separator: ",").first.map(String.init) ?? "").trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            if id.isEmpty || (index == 0 && id.contains("予約")) { continue }
            if ReservationIDImport.isReservationID(id) {
                ids.append(id)
            } else {
                faults.append(ReservationIDImport.Fault(line: index + 1, column: 1, message: "予約番号「\(id)」は英数字8桁ではありません。"))
            }
        }
        if !faults.isEmpty { throw Failure.rejected(faults) }
        if ids.isEmpty { throw Failure.rejected([ReservationIDImport.Fault(line: 1, column: 1, message: "予約番号が1件もありません。")]) }
        let deleted = try await store.deleteData(ofIDs: ids, at: clock.now())
        try await audit.record(
            "reservation_ids.deleted", by: actor, target: "\(ids.count)件", detail: "削除 \(deleted) 件: " + ids.prefix(50).joined(separator: ","))
        return deleted
    }
}
