import Hummingbird
import MadoguchiCore

public struct WebSettings: Sendable {
    /// Mark cookies `Secure`: set when the site is served over HTTPS (directly or behind a TLS proxy).
    public var secureCookies: Bool
    /// Interval of the comment lines that keep live streams open through proxies and reveal dead clients.
    public var heartbeat: Duration
    /// Where visitors reach the site (for QR codes on tickets), without a trailing slash.
    public var publicBaseURL: String
    /// Web tickets and check-ins per client address in 10 minutes.
    public var webTicketRequestsPer10Minutes = 20
    /// Seats a client address may hold in 10 minutes (R5 holds), so nobody can hold a day's slots by script.
    public var reservationHoldsPer10Minutes = 10
    /// Tickets a client without a registered kiosk or staff session may take in 10 minutes, and all such clients
    /// together per service: enough for a visitor, too few to empty a day's numbers.
    public var publicTicketsPerClientPer10Minutes = 10
    public var publicTicketsPerServicePer10Minutes = 60
    public init(secureCookies: Bool = false, heartbeat: Duration = .seconds(15), publicBaseURL: String = "http://127.0.0.1:8080") {
        self.secureCookies = secureCookies
        self.heartbeat = heartbeat
        self.publicBaseURL = publicBaseURL
    }
}

/// Builds every route of the site; fails only when a shipped template or asset cannot be read.
public func buildRouter(_ dependencies: WebDependencies, settings: WebSettings = WebSettings()) throws -> Router<AppRequestContext> {
    var dependencies = dependencies
    dependencies.secureCookies = settings.secureCookies
    let router = Router(context: AppRequestContext.self)
    let renderer = try PageRenderer()
    router.add(middleware: SecurityHeadersMiddleware(https: settings.secureCookies))
    router.add(middleware: APIErrorMiddleware())
    router.add(middleware: SameOriginMiddleware(trustedOrigins: [settings.publicBaseURL]))
    HealthController().register(on: router)
    let api = router.group("api/v1")
    OpenAPIController().register(on: api)
    let issuing = TicketIssuing(dependencies: dependencies, settings: settings)
    OfficeAPIController(dependencies: dependencies, issuing: issuing).register(on: api)
    TicketPrintController(dependencies: dependencies, publicBaseURL: settings.publicBaseURL).register(on: api)
    SessionAPIController(dependencies: dependencies, secureCookies: settings.secureCookies).register(on: api)
    CounterAPIController(dependencies: dependencies).register(on: api)
    DeviceAPIController(dependencies: dependencies).register(on: api)
    NotificationAPIController(dependencies: dependencies).register(on: api)
    AuditAPIController(dependencies: dependencies).register(on: api)
    StatisticsAPIController(dependencies: dependencies).register(on: api)
    ConfigurationAPIController(dependencies: dependencies).register(on: api)
    AddressAPIController(dependencies: dependencies).register(on: api)
    CaseAPIController(dependencies: dependencies).register(on: api)
    let holdLimiter = RateLimiter("reservation-holds", limit: settings.reservationHoldsPer10Minutes, window: 600, counter: dependencies.attempts)
    ReservationAPIController(dependencies: dependencies, holdLimiter: holdLimiter).register(on: api)
    let limiter = RateLimiter("web-tickets", limit: settings.webTicketRequestsPer10Minutes, window: 600, counter: dependencies.attempts)
    WebTicketAPIController(dependencies: dependencies, limiter: limiter).register(on: api)
    LiveEventsController(dependencies: dependencies, heartbeat: settings.heartbeat).register(on: router)
    try StaticAssets().register(on: router)
    CounterDisplayController(dependencies: dependencies, renderer: renderer).register(on: router)
    KioskController(dependencies: dependencies, renderer: renderer, publicBaseURL: settings.publicBaseURL, issuing: issuing).register(on: router)
    MonitorController(dependencies: dependencies, renderer: renderer).register(on: router)
    PublicPagesController(dependencies: dependencies, renderer: renderer, limiter: limiter).register(on: router)
    ReservePagesController(dependencies: dependencies, renderer: renderer, secureCookies: settings.secureCookies, holdLimiter: holdLimiter)
        .register(on: router)
    AdminPageController(dependencies: dependencies, renderer: renderer).register(on: router)
    StaffPagesController(dependencies: dependencies, renderer: renderer, secureCookies: settings.secureCookies).register(on: router)
    StatisticsPageController(dependencies: dependencies, renderer: renderer).register(on: router)
    ReservationsPageController(dependencies: dependencies, renderer: renderer).register(on: router)
    ResidentFormsPageController(dependencies: dependencies, renderer: renderer).register(on: router)
    SettingsPageController(dependencies: dependencies, renderer: renderer).register(on: router)
    UserPagesController(dependencies: dependencies, renderer: renderer, secureCookies: settings.secureCookies).register(on: router)
    return router
}
