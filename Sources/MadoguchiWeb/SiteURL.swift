import Foundation
import Hummingbird

/// The addresses of the visitor-facing site, typed (DESIGN.md, "URLs"): routes are registered from `pattern` and
/// links and redirects are built with `href`, which percent-encodes every path segment and query value, so an id
/// or a typed value can never break out of its place and a renamed route cannot leave a dead link behind.
///
/// A case with a parameter takes `.key` for the route pattern and `.value(...)` for a link.
enum SiteURL: Sendable, Equatable {
    enum Parameter: Sendable, Equatable {
        case key
        case value(String)
    }

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

    /// The path's segments, a parameter as `(name, value)`.
    private var segments: [(String, Parameter?)] {
        func fixed(_ names: String...) -> [(String, Parameter?)] { names.map { ($0, nil) } }
        switch self {
        case .home: return []
        case .office(let id): return fixed("offices") + [("office", id)]
        case .officeWebTickets(let id): return fixed("offices") + [("office", id)] + fixed("web-tickets")
        case .ticket(let token): return fixed("t") + [("token", token)]
        case .ticketNotifications(let token): return fixed("t") + [("token", token)] + fixed("notifications")
        case .ticketCheckIn(let token): return fixed("t") + [("token", token)] + fixed("check-in")
        case .reserve: return fixed("reserve")
        case .reserveManage: return fixed("reserve", "manage")
        case .reserveManageBooking: return fixed("reserve", "manage", "booking")
        case .reserveManageCancel: return fixed("reserve", "manage", "cancel")
        case .reserveManageChange: return fixed("reserve", "manage", "change")
        case .reserveCalendar(let code): return fixed("reserve", "calendar") + [("code", code)]
        case .reserveProcedure(let id): return fixed("reserve") + [("procedure", id)]
        case .reserveID(let id): return fixed("reserve") + [("procedure", id)] + fixed("id")
        case .reserveDetails(let id): return fixed("reserve") + [("procedure", id)] + fixed("details")
        case .reserveConfirm(let id): return fixed("reserve") + [("procedure", id)] + fixed("confirm")
        case .reserveBook(let id): return fixed("reserve") + [("procedure", id)] + fixed("book")
        }
    }

    /// The route to register, parameters as `:name`.
    var pattern: RouterPath {
        let path = segments.map { name, parameter in parameter == nil ? name : ":\(name)" }.joined(separator: "/")
        return RouterPath(path.isEmpty ? "/" : path)
    }

    /// Characters left as they are inside one path segment or one query value (RFC 3986 unreserved).
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }

    /// The path, each segment percent-encoded.
    var path: String {
        "/"
            + segments.map { name, parameter in
                switch parameter {
                case nil: name
                case .key: ":\(name)"
                case .value(let value): Self.encoded(value)
                }
            }.joined(separator: "/")
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
