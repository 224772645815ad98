import Foundation

/// What a kiosk's print agent (`madoguchi print-agent`) does through the API once it proved its kiosk's key:
/// fetch the tickets waiting to be printed, mark them printed, report the printer's state.
public struct PrintAgents: Sendable {
    let store: any DeviceStore
    let layout: LayoutSource
    let clock: any WallClock

    public init(store: any DeviceStore, layout: LayoutSource, clock: any WallClock) {
        self.store = store
        self.layout = layout
        self.clock = clock
    }

    /// The states a printer reports.
    public static let printerStates: Set<String> = ["ready", "offline", "paper_out", "cover_open", "error"]

    /// The kiosk `kioskID` when `authorization` (`Bearer <key>`) carries its agent key; nil otherwise.
    public func kiosk(_ kioskID: String, authorization: String?) async throws -> Kiosk? {
        guard let kiosk = layout.current.kiosk(kioskID), let header = authorization, header.hasPrefix("Bearer "), header.count < 200,
            try await store.agentKeyMatches(kioskID: kiosk.id, key: String(header.dropFirst("Bearer ".count)))
        else { return nil }
        return kiosk
    }

    /// Today's tickets of the kiosk not yet printed, oldest first.
    public func pendingJobs(for kiosk: Kiosk) async throws -> [PrintJob] {
        try await store.pendingPrintJobs(kioskID: kiosk.id, businessDate: CityCalendar.businessDate(of: clock.now()))
    }

    /// False when the ticket is no print job of this kiosk.
    public func markPrinted(ticketID: String, for kiosk: Kiosk) async throws -> Bool {
        try await store.markPrinted(ticketID: ticketID, kioskID: kiosk.id, at: clock.now())
    }

    /// The agent is connected; `state` is its printer's.
    public func reportPrinter(state: String, detail: String?, for kiosk: Kiosk) async throws {
        guard Self.printerStates.contains(state) else { throw DomainError.invalidPrinterState }
        try await store.recordPresence(
            DevicePresence(
                kind: .printer, deviceID: kiosk.id, lastSeenAt: clock.now(), connected: true, state: state, detail: detail.map { String($0.prefix(200)) }))
    }
}
