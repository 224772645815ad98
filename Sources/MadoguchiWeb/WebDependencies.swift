import MadoguchiCore

extension WebDependencies {
    /// A ticket by its token: today's from the projection, an earlier one from the store.
    func ticketView(token: String) async throws -> TicketView {
        if let live = projection.ticketView(token: token) { return live }
        guard let archived = try await queue.archivedTicket(token: token) else { throw DomainError.ticketNotFound }
        return QueueProjection.archivedView(of: archived)
    }

    /// Today's check-in code of an office (shown on its kiosks and lobby monitors).
    func checkInCode(officeID: String) -> String {
        CheckInCode.code(officeID: officeID, businessDate: CityCalendar.businessDate(of: clock.now()), digest: keyedDigest)
    }
}

/// Everything the web layer reaches data through: Core's use cases, wired by the App module and grouped by who
/// they serve. The queue and the layout are shared: visitors take tickets, staff call them, screens show them.
public struct WebDependencies: Sendable {
    public var layout: LayoutSource
    public var queue: QueueService
    public var projection: QueueProjection
    public var clock: any WallClock
    /// Live events for SSE streams.
    public var events: EventHub
    /// Compares web-ticket contacts, signs cookies and makes the daily check-in codes.
    public var keyedDigest: any KeyedDigest
    /// Page views of the public site, counted for statistics.
    public var webAccess: WebAccessCounter
    /// Cookies are `Secure` and `__Host-` prefixed (the site is served over HTTPS); set from `WebSettings`.
    public var secureCookies = false
    /// Attempt counts behind every rate limit, shared by every instance (App wires the database).
    public var attempts: any AttemptCounter = InMemoryAttemptCounter()

    public var visitors: Visitors
    public var staff: Staff
    public var administration: Administration
    public var devices: Devices

    /// What the public site and the booking pages use.
    public struct Visitors: Sendable {
        public var notifications: VisitorNotifications
        /// Web reservations.
        public var reservations: ReservationService
        /// Japan Post's towns for address entry.
        public var addresses: any AddressDirectory
    }

    /// What signed-in staff use, each use case checking the member's permission and writing its audit entry.
    public struct Staff: Sendable {
        /// Sessions of the staff pages and the API.
        public var access: StaffAccessService
        /// Sign-in and staff accounts, audited.
        public var accounts: StaffAccounts
        /// An office's own settings and screens, changed by its staff.
        public var offices: OfficeOperations
        /// The reservation back office.
        public var reservations: ReservationBackOffice
        /// The no-writing counter's cases and forms.
        public var cases: ResidentCaseService
        public var statistics: StatisticsService
    }

    /// What city-wide administrators use.
    public struct Administration: Sendable {
        /// Changes to the whole configuration, from the settings page and the API.
        public var configuration: ConfigurationService
        /// Reservation-ID files: import and deletion.
        public var reservationIDs: ReservationIDFiles
        /// The audit log: written by the use cases, read by administrators.
        public var audit: AuditTrail
        /// The last backup attempt (App reads it from the database).
        public var lastBackup: @Sendable () async throws -> BackupStatus? = { nil }
    }

    /// What registered kiosks, monitors and print agents use.
    public struct Devices: Sendable {
        public var printAgents: PrintAgents
        public var presence: DevicePresenceTracker
    }

    public init(
        layout: LayoutSource, queue: QueueService, projection: QueueProjection, events: EventHub, staffAccess: StaffAccessService,
        devices: any DeviceStore, notifications: VisitorNotifications, settingsStore: any NotificationSettingsStore, keyedDigest: any KeyedDigest,
        audit: any AuditLog, clock: any WallClock, statistics: any StatisticsStore, configuration: ConfigurationService,
        addresses: any AddressDirectory, reservations: ReservationService, reservationIDs: ReservationIDFiles, cases: ResidentCaseService
    ) {
        self.layout = layout
        self.queue = queue
        self.projection = projection
        self.events = events
        self.clock = clock
        self.keyedDigest = keyedDigest
        webAccess = WebAccessCounter(clock: clock)
        visitors = Visitors(notifications: notifications, reservations: reservations, addresses: addresses)
        staff = Staff(
            access: staffAccess, accounts: StaffAccounts(access: staffAccess, audit: audit),
            offices: OfficeOperations(settings: settingsStore, queue: queue, projection: projection, layout: layout, audit: audit, clock: clock),
            reservations: ReservationBackOffice(service: reservations, audit: audit), cases: cases,
            statistics: StatisticsService(store: statistics, layout: layout, audit: audit, clock: clock))
        administration = Administration(
            configuration: configuration, reservationIDs: reservationIDs, audit: AuditTrail(log: audit, clock: clock))
        self.devices = Devices(
            printAgents: PrintAgents(store: devices, layout: layout, clock: clock), presence: DevicePresenceTracker(store: devices, clock: clock))
    }
}
