import Logging
import MadoguchiCore

extension WebDependencies {
    /// A ticket by its token: today's from the projection, an earlier one from the store.
    func ticketView(token: String) async throws -> TicketView {
        if let live = projection.ticketView(token: token) { return live }
        guard token.count <= 64, let archived = try await queue.store.ticket(token: token) else { throw DomainError.ticketNotFound }
        return QueueProjection.archivedView(of: archived)
    }

    /// Records a staff action; a failure to record is logged, never turned into a failed operation (it happened).
    func record(_ action: String, actor: String, target: String, address: String, detail: String = "", logger: Logger) async {
        do {
            try await audit.append(AuditEntry(at: clock.now(), actor: actor, action: action, target: target, address: address, detail: detail))
        } catch {
            logger.error("audit entry not written: \(error)")
        }
    }

    /// `{"before": …, "after": …}` for settings changes.
    static func change<B: Encodable, A: Encodable>(before: B, after: A) -> String {
        (try? String(decoding: JSONIO.encoder.encode(SettingsChange(before: before, after: after)), as: UTF8.self)) ?? ""
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
    public var audit: any AuditLog
    public var statistics: any StatisticsStore
    public var webAccess: WebAccessCounter
    /// Changes to the whole configuration, from the settings page and the API.
    public var configuration: ConfigurationService
    /// Japan Post's towns for address entry.
    public var addresses: any AddressDirectory
    /// Web reservations.
    public var reservations: ReservationService
    /// Reservation-ID files: import and deletion.
    public var reservationIDs: ReservationIDFiles
    /// The no-writing counter's cases and forms.
    public var cases: ResidentCaseService
    /// Cookies are `Secure` and `__Host-` prefixed (the site is served over HTTPS); set from `WebSettings`.
    public var secureCookies = false
    /// Attempt counts behind every rate limit, shared by every instance (App wires the database).
    public var attempts: any AttemptCounter = InMemoryAttemptCounter()
    /// The last backup attempt (App reads it from the database).
    public var lastBackup: @Sendable () async throws -> BackupStatus? = { nil }

    public init(
        layout: LayoutSource, queue: QueueService, projection: QueueProjection, events: EventHub, staffAccess: StaffAccessService,
        devices: any DeviceStore, notifications: VisitorNotifications, notificationStore: any NotificationStore,
        settingsStore: any NotificationSettingsStore, keyedDigest: any KeyedDigest, audit: any AuditLog, clock: any WallClock,
        statistics: any StatisticsStore, configuration: ConfigurationService, addresses: any AddressDirectory,
        reservations: ReservationService, reservationIDs: ReservationIDFiles, cases: ResidentCaseService
    ) {
        self.reservationIDs = reservationIDs
        self.configuration = configuration
        self.addresses = addresses
        self.reservations = reservations
        self.cases = cases
        self.statistics = statistics
        webAccess = WebAccessCounter(clock: clock)
        self.audit = audit
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

struct SettingsChange<B: Encodable, A: Encodable>: Encodable {
    let before: B
    let after: A
}
