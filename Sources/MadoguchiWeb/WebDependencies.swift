import MadoguchiCore

extension WebDependencies {
    /// A ticket by its token: today's from the projection, an earlier one from the store.
    func ticketView(token: String) async throws -> TicketView {
        if let live = projection.ticketView(token: token) { return live }
        guard token.count <= 64, let archived = try await queue.store.ticket(token: token) else { throw DomainError.ticketNotFound }
        return QueueProjection.archivedView(of: archived)
    }

    /// Today's check-in code of an office (shown on its kiosks and lobby monitors).
    func checkInCode(officeID: String) -> String {
        CheckInCode.code(officeID: officeID, businessDate: CityCalendar.businessDate(of: clock.now()), digest: keyedDigest)
    }
}

/// Everything the web layer reaches data through: Core's use cases and protocols, wired by the App module.
public struct WebDependencies: Sendable {
    public var layout: LayoutSource
    public var queue: QueueService
    public var projection: QueueProjection
    public var staffAccess: StaffAccessService
    public var clock: any WallClock
    /// Live events for SSE streams.
    public var events: EventHub
    public var devices: any DeviceStore
    public var presence: DevicePresenceTracker
    public var notifications: VisitorNotifications
    public var notificationStore: any NotificationStore
    public var settingsStore: any NotificationSettingsStore
    /// Compares web-ticket contacts and makes the daily check-in codes.
    public var keyedDigest: any KeyedDigest

    public init(
        layout: LayoutSource, queue: QueueService, projection: QueueProjection, events: EventHub, staffAccess: StaffAccessService,
        devices: any DeviceStore, notifications: VisitorNotifications, notificationStore: any NotificationStore,
        settingsStore: any NotificationSettingsStore, keyedDigest: any KeyedDigest, clock: any WallClock
    ) {
        self.keyedDigest = keyedDigest
        self.notifications = notifications
        self.notificationStore = notificationStore
        self.settingsStore = settingsStore
        self.devices = devices
        presence = DevicePresenceTracker(store: devices, clock: clock)
        self.layout = layout
        self.queue = queue
        self.projection = projection
        self.events = events
        self.staffAccess = staffAccess
        self.clock = clock
    }
}
