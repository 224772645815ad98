/// Who performs a use case and from where, for its permission checks and its audit entry: a signed-in member of
/// staff (from the browser or the API), or the operator at the server's command line, who acts for the whole city.
public enum Operator: Sendable, Equatable {
    case staff(StaffUser, address: String)
    case commandLine

    /// The audit log's actor.
    public var login: String {
        switch self {
        case .staff(let user, _): user.login
        case .commandLine: "cli"
        }
    }

    /// The audit log's address.
    public var address: String {
        switch self {
        case .staff(_, let address): address
        case .commandLine: "local"
        }
    }

    public func may(_ permission: Permission, at officeID: String) -> Bool {
        switch self {
        case .staff(let user, _): user.may(permission, at: officeID)
        case .commandLine: true
        }
    }

    /// The staff role whose masking applies; the command line sees every item.
    public var role: Role? {
        switch self {
        case .staff(let user, _): user.role
        case .commandLine: nil
        }
    }

    /// Of `all`, the offices where the operator holds `permission`.
    public func offices(for permission: Permission, among all: [String]) -> [String] {
        switch self {
        case .staff(let user, _): user.offices(for: permission, among: all)
        case .commandLine: all
        }
    }

    /// Holds `permission` somewhere (city-wide permissions need no office).
    public func holds(_ permission: Permission) -> Bool {
        switch self {
        case .staff(let user, _): user.role.permissions.contains(permission)
        case .commandLine: true
        }
    }
}
