import Foundation
import Hummingbird

/// The addresses of the site's pages, typed (DESIGN.md, "URLs"): routes are registered from `pattern` and links
/// and redirects are built with `href`, which percent-encodes every path segment and query value, so an id or a
/// typed value can never break out of its place and a renamed route cannot leave a dead link behind. The JSON API's
/// paths are `openapi.yaml`'s (checked route by route in the tests).
///
/// A case with a parameter takes `.key` for the route pattern and `.value(...)` for a link.
enum SiteURL: Sendable, Equatable {
    enum Parameter: Sendable, Equatable {
        case key
        case value(String)
    }

    // The visitors' site
    case home
    case office(Parameter)
    case officeWebTickets(Parameter)
    case ticket(Parameter)
    case ticketNotifications(Parameter)
    case ticketCheckIn(Parameter)
    case reserve
    case reserveManage
    case reserveManageBooking
    case reserveManageCancel
    case reserveManageChange
    case reserveCalendar(Parameter)
    case reserveProcedure(Parameter)
    case reserveID(Parameter)
    case reserveDetails(Parameter)
    case reserveConfirm(Parameter)
    case reserveBook(Parameter)

    // Kiosks and displays
    case kiosk(Parameter)
    case kioskTickets(Parameter)
    case kioskTicketPrint(kiosk: Parameter, token: Parameter)
    case displayLobby(Parameter)
    case displayBackyard(Parameter)
    case displayCounter(Parameter)
    case staticFile(Parameter)

    // Staff
    case staff
    case staffSignIn
    case staffSignOut
    case staffPassword
    case staffNotifications
    case staffCounter(Parameter)
    case staffDevices
    case staffDevicesRegister
    case staffDevicesMenu
    case staffDevicesClosure
    case staffForms
    case staffFormsPhrases
    case staffFormsReport
    case staffForm(Parameter)
    case staffFormCheck(Parameter)
    case staffFormPrint(Parameter)
    case staffFormAttachment(case: Parameter, attachment: Parameter)
    case staffReservations
    case staffReservationsNew
    case staffReservationCheckIn(Parameter)
    case staffReservationCancel(Parameter)
    case staffStatistics
    case staffStatisticsDefinitions
    case staffStatisticsDefinitionDelete(Parameter)

    // Administration
    case admin
    case adminUsers
    case adminUser(Parameter)
    case adminSettings
    case adminSettingsImport
    case adminSettingsOffices
    case adminSettingsOffice(Parameter)
    case adminSettingsOfficeDelete(Parameter)
    case adminSettingsServices
    case adminSettingsServiceDelete(Parameter)
    case adminSettingsCounters
    case adminSettingsCounterDelete(Parameter)
    case adminSettingsDevices
    case adminSettingsDeviceDelete(kind: Parameter, device: Parameter)
    case adminSettingsReservations
    case adminSettingsReservationSlots(Parameter)

    /// The route with `:name` for each parameter, and the parameters in their order.
    private var route: (pattern: String, parameters: [Parameter]) {
        switch self {
        case .home: ("", [])
        case .office(let id): ("offices/:office", [id])
        case .officeWebTickets(let id): ("offices/:office/web-tickets", [id])
        case .ticket(let token): ("t/:token", [token])
        case .ticketNotifications(let token): ("t/:token/notifications", [token])
        case .ticketCheckIn(let token): ("t/:token/check-in", [token])
        case .reserve: ("reserve", [])
        case .reserveManage: ("reserve/manage", [])
        case .reserveManageBooking: ("reserve/manage/booking", [])
        case .reserveManageCancel: ("reserve/manage/cancel", [])
        case .reserveManageChange: ("reserve/manage/change", [])
        case .reserveCalendar(let code): ("reserve/calendar/:code", [code])
        case .reserveProcedure(let id): ("reserve/:procedure", [id])
        case .reserveID(let id): ("reserve/:procedure/id", [id])
        case .reserveDetails(let id): ("reserve/:procedure/details", [id])
        case .reserveConfirm(let id): ("reserve/:procedure/confirm", [id])
        case .reserveBook(let id): ("reserve/:procedure/book", [id])
        case .kiosk(let id): ("kiosk/:kiosk", [id])
        case .kioskTickets(let id): ("kiosk/:kiosk/tickets", [id])
        case .kioskTicketPrint(let kiosk, let token): ("kiosk/:kiosk/tickets/:token/print", [kiosk, token])
        case .displayLobby(let id): ("display/lobby/:monitor", [id])
        case .displayBackyard(let id): ("display/backyard/:monitor", [id])
        case .displayCounter(let id): ("display/counter/:counter", [id])
        case .staticFile(let file): ("static/:file", [file])
        case .staff: ("staff", [])
        case .staffSignIn: ("staff/sign-in", [])
        case .staffSignOut: ("staff/sign-out", [])
        case .staffPassword: ("staff/password", [])
        case .staffNotifications: ("staff/notifications", [])
        case .staffCounter(let id): ("staff/counter/:counter", [id])
        case .staffDevices: ("staff/devices", [])
        case .staffDevicesRegister: ("staff/devices/register", [])
        case .staffDevicesMenu: ("staff/devices/menu", [])
        case .staffDevicesClosure: ("staff/devices/closure", [])
        case .staffForms: ("staff/forms", [])
        case .staffFormsPhrases: ("staff/forms/phrases", [])
        case .staffFormsReport: ("staff/forms/report", [])
        case .staffForm(let id): ("staff/forms/:case", [id])
        case .staffFormCheck(let id): ("staff/forms/:case/check", [id])
        case .staffFormPrint(let id): ("staff/forms/:case/print", [id])
        case .staffFormAttachment(let id, let attachment): ("staff/forms/:case/attachments/:attachment", [id, attachment])
        case .staffReservations: ("staff/reservations", [])
        case .staffReservationsNew: ("staff/reservations/new", [])
        case .staffReservationCheckIn(let code): ("staff/reservations/:code/check-in", [code])
        case .staffReservationCancel(let code): ("staff/reservations/:code/cancel", [code])
        case .staffStatistics: ("staff/statistics", [])
        case .staffStatisticsDefinitions: ("staff/statistics/definitions", [])
        case .staffStatisticsDefinitionDelete(let id): ("staff/statistics/definitions/:definition/delete", [id])
        case .admin: ("admin", [])
        case .adminUsers: ("admin/users", [])
        case .adminUser(let id): ("admin/users/:user", [id])
        case .adminSettings: ("admin/settings", [])
        case .adminSettingsImport: ("admin/settings/import", [])
        case .adminSettingsOffices: ("admin/settings/offices", [])
        case .adminSettingsOffice(let id): ("admin/settings/offices/:office", [id])
        case .adminSettingsOfficeDelete(let id): ("admin/settings/offices/:office/delete", [id])
        case .adminSettingsServices: ("admin/settings/services", [])
        case .adminSettingsServiceDelete(let id): ("admin/settings/services/:service/delete", [id])
        case .adminSettingsCounters: ("admin/settings/counters", [])
        case .adminSettingsCounterDelete(let id): ("admin/settings/counters/:counter/delete", [id])
        case .adminSettingsDevices: ("admin/settings/devices", [])
        case .adminSettingsDeviceDelete(let kind, let device): ("admin/settings/devices/:kind/:device/delete", [kind, device])
        case .adminSettingsReservations: ("admin/settings/reservations", [])
        case .adminSettingsReservationSlots(let id): ("admin/settings/reservations/:procedure/slots", [id])
        }
    }

    /// The route to register, parameters as `:name`.
    var pattern: RouterPath { RouterPath(route.pattern.isEmpty ? "/" : route.pattern) }

    /// Characters left as they are inside one path segment or one query value (RFC 3986 unreserved).
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }

    /// The path, each parameter percent-encoded in its segment.
    var path: String {
        let (pattern, parameters) = route
        var remaining = parameters[...]
        let segments = pattern.split(separator: "/").map { segment -> String in
            guard segment.hasPrefix(":"), let parameter = remaining.popFirst() else { return String(segment) }
            switch parameter {
            case .key: return String(segment)
            case .value(let value): return Self.encoded(value)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    /// The path with a query (pairs whose value is nil are left out) and a fragment, all percent-encoded.
    func href(_ query: KeyValuePairs<String, String?> = [:], fragment: String? = nil) -> String {
        let items = query.compactMap { name, value in value.map { "\(Self.encoded(name))=\(Self.encoded($0))" } }
        return path + (items.isEmpty ? "" : "?" + items.joined(separator: "&")) + (fragment.map { "#" + Self.encoded($0) } ?? "")
    }
}

extension Router {
    @discardableResult
    func get(_ url: SiteURL, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(url.pattern, method: .get, use: handler)
    }

    @discardableResult
    func post(_ url: SiteURL, use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(url.pattern, method: .post, use: handler)
    }
}
