import Foundation
import Hummingbird
import MadoguchiCore

/// The booking site (R2, R3, R4, R6): procedure → (reservation ID) → office → month of ○/△/× → times → details →
/// confirmation → booking code; and the visitor's own booking to change or cancel. Every step is a plain page and
/// form, complete without JavaScript. The state of the flow is in the address (procedure, office, month, date),
/// the reservation ID in a short-lived cookie, and a visitor who proved their password holds a signed cookie for
/// their booking only.
struct ReservePagesController {
    let dependencies: WebDependencies
    let renderer: PageRenderer
    let secureCookies: Bool
    let holdLimiter: RateLimiter

    static let idCookie = "reserve_id"
    static let manageCookie = "reserve_manage"
    /// The hold of the time the visitor last chose, released when they choose another.
    static let holdCookie = "reserve_hold"

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.reserve, use: home)
        router.get(SiteURL.reserveManage, use: manageForm)
        router.post(SiteURL.reserveManage, use: manageSignIn)
        router.get(SiteURL.reserveManageBooking, use: booking)
        router.get(SiteURL.reserveManageCancel, use: cancelConfirm)
        router.post(SiteURL.reserveManageCancel, use: cancel)
        router.get(SiteURL.reserveCalendar(.key), use: calendarFile)
        router.get(SiteURL.reserveManageChange, use: changeConfirm)
        router.post(SiteURL.reserveManageChange, use: change)
        router.get(SiteURL.reserveProcedure(.key), use: calendar)
        router.post(SiteURL.reserveID(.key), use: enterID)
        router.get(SiteURL.reserveDetails(.key), use: details)
        router.post(SiteURL.reserveDetails(.key), use: chooseTime)
        router.post(SiteURL.reserveConfirm(.key), use: confirm)
        router.post(SiteURL.reserveBook(.key), use: book)
    }

    var service: ReservationService { dependencies.visitors.reservations }

    // MARK: Model

    struct Link: Sendable { let href: String; let label: String; let detail: String }
    /// A time to choose: a button posting to the details step (choosing holds a seat, so it is never a plain link a
    /// prefetcher could follow), or a link when changing a booking.
    struct TimeChoice: Sendable {
        let href: String; let label: String; let detail: String
        let isForm: Bool; let action: String; let fields: [Field]
    }
    struct Cell: Sendable { let day: String; let mark: String; let label: String; let href: String; let bookable: Bool; let blank: Bool; let selected: Bool }
    struct Week: Sendable { let cells: [Cell] }
    struct Calendar: Sendable {
        let caption: String
        let weekdays: [String]
        let weeks: [Week]
        let previousHref: String
        let nextHref: String
        let hasPrevious: Bool
    }
    struct Field: Sendable { let name: String; let value: String }
    struct Summary: Sendable {
        let procedure: String
        let office: String
        let date: String
        let hasOffice: Bool
        let hasDate: Bool
        /// On a change: the booking's time before it, shown beside the new one.
        let previousDate: String
        let hasPreviousDate: Bool
        init(procedure: String, office: String, date: String, previousDate: String = "") {
            self.procedure = procedure
            self.office = office
            self.date = date
            hasOffice = !office.isEmpty
            hasDate = !date.isEmpty
            self.previousDate = previousDate
            hasPreviousDate = !previousDate.isEmpty
        }
    }
    /// A fault of one field: shown beside it and, linked, in the summary above the form (the GOV.UK pattern).
    struct FieldFault: Sendable {
        let field: String
        let message: String
        var href: String { "#\(ReservePagesController.inputID(field))" }
    }
    struct Details: Sendable {
        let action: String
        let needsBirthDate: Bool
        let birthDate: String
        let phone: String
        let email: String
        let birthDateError: String
        let phoneError: String
        let emailError: String
        let passwordError: String
        let passwordAgainError: String
        let hidden: [Field]
        let reservationID: String
        let hasReservationID: Bool
    }
    struct Booking: Sendable {
        let code: String
        let reservationID: String
        let hasReservationID: Bool
        let canChange: Bool
        let changeHref: String
        let bring: [String]
        let hasBring: Bool
        let calendarHref: String
    }
    struct Model: Sendable {
        let chrome: PublicPagesController.Chrome
        let t: ReserveText
        let b: BookingText
        let lang: String
        let heading: String
        let error: String
        let hasError: Bool
        let errorField: String
        var notice: String
        var hasNotice: Bool
        var intro = false
        var procedures: [Link] = []
        var showIDForm = false
        var idAction = ""
        var offices: [Link] = [] { didSet { hasOffices = !offices.isEmpty } }
        var hasOffices = false
        var saturday: [Link] = []
        var calendar: [Calendar] = []
        var timesHeading = ""
        var times: [TimeChoice] = []
        var showTimes = false
        var noTimes = false
        var summary: [Summary] = []
        var details: [Details] = []
        var confirm: [Details] = []
        var done: [Booking] = []
        var manageForm = false
        var booking: [Booking] = []
        var cancelConfirm = false
        var changeConfirm: [Field] = [] { didSet { hasChangeConfirm = !changeConfirm.isEmpty } }
        var hasChangeConfirm = false
        var backHref = "" { didSet { hasBack = !backHref.isEmpty } }
        var hasBack = false
        var faults: [FieldFault] = [] { didSet { hasFaults = !faults.isEmpty } }
        var hasFaults = false
    }

    /// The input's id on the page for a form field's name.
    static func inputID(_ field: String) -> String {
        ["birthDate": "birth-date", "passwordAgain": "password-again"][field] ?? field
    }

    func model(
        _ request: Request, heading: String, path: String, extraQuery: String = "", error: ReservationRefusal? = nil, errorText: String = "",
        notice: String = ""
    ) -> Model {
        let language = PublicPagesController.language(of: request)
        let t = ReserveText.of(language)
        let message = error.map(t.message) ?? errorText
        let field: String = if case .invalidField(let name, _) = error { name } else { "" }
        return Model(
            chrome: PublicPagesController.chrome(
                language, path: path, extraQuery: extraQuery, asOf: dependencies.clock.now(),
                city: dependencies.layout.current.city),
            t: t, b: BookingText.of(language), lang: language.rawValue, heading: heading, error: message, hasError: !message.isEmpty, errorField: field,
            notice: notice,
            hasNotice: !notice.isEmpty)
    }

    static func language(_ request: Request) -> Language { PublicPagesController.language(of: request) }

    /// A booking as the visitor sees it after booking and when managing it: what to bring and a calendar file.
    func bookingView(_ reservation: Reservation, language: Language, canChange: Bool) -> Booking {
        let procedure = dependencies.layout.current.reservations.procedure(reservation.procedureID)
        let bring = procedure?.bringList(in: language) ?? []
        return Booking(
            code: reservation.code, reservationID: reservation.reservationID ?? "", hasReservationID: reservation.reservationID != nil,
            canChange: canChange, changeHref: SiteURL.reserveProcedure(.value(reservation.procedureID)).href(["change": "1", "lang": language.rawValue]),
            bring: bring, hasBring: !bring.isEmpty,
            calendarHref: SiteURL.reserveCalendar(.value(reservation.code)).href([
                "k": Self.calendarKey(reservation.code, dependencies.keyedDigest), "lang": language.rawValue
            ]))
    }

    /// The calendar link carries a keyed digest of the code: the code alone must not be enough to read a booking's
    /// time and place (codes are short, and the manage pages ask for the password too).
    static func calendarKey(_ code: String, _ digest: any KeyedDigest) -> String { digest.digest("reserve-calendar:\(code)") }

    func procedureName(_ procedure: ReservationProcedure, _ request: Request) -> String { procedure.name(in: Self.language(request)) }

    // MARK: /reserve

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let settings = dependencies.layout.current.reservations
        let language = Self.language(request)
        dependencies.webAccess.count(.reserve)
        var model = model(request, heading: ReserveText.of(language).title, path: "/reserve")
        model.intro = true
        model.procedures = settings.procedures.map {
            Link(href: SiteURL.reserveProcedure(.value($0.id)).href(["lang": language.rawValue]), label: $0.name(in: language), detail: "")
        }
        return try renderer.page("reserve", model)
    }
}
