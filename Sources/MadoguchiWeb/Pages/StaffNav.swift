import MadoguchiCore

/// The menu at the top of every staff page: only what the user's role may open, with an access key each.
struct StaffNav: Sendable {
    struct Link: Sendable { let href: String; let label: String; let key: String; let current: Bool }
    let login: String
    let role: String
    let links: [Link]

    static let entries: [(href: String, label: String, key: String, permission: Permission?)] = [
        ("/staff", "職員メニュー", "1", nil),
        ("/staff/devices", "機器と発券メニュー", "2", .manageDevices),
        ("/staff/notifications", "お知らせの送信状況", "3", .viewNotifications),
        ("/staff/statistics", "統計", "4", .viewStatistics),
        ("/staff/reservations", "予約", "8", .checkInReservations),
        ("/staff/forms", "書かない窓口", "9", .viewResidentCases),
        ("/admin/settings", "設定", "5", .configureOffices),
        ("/admin/users", "職員と役割", "6", .manageUsers),
        ("/admin", "監査ログとバックアップ", "7", .viewAudit)
    ]

    init(user: StaffUser, current: String) {
        login = user.login
        role = user.role.japaneseName
        links = Self.entries.filter { $0.permission.map { user.role.permissions.contains($0) } ?? true }
            .map { Link(href: $0.href, label: $0.label, key: $0.key, current: $0.href == current) }
    }
}
