import MadoguchiCore

/// The menu at the top of every staff page: only what the user's role may open, with an access key each.
struct StaffNav: Sendable {
    struct Link: Sendable { let href: String; let label: String; let key: String; let current: Bool }
    let login: String
    let role: String
    let links: [Link]

    static let entries: [(url: SiteURL, label: String, key: String, permission: Permission?)] = [
        (.staff, "職員メニュー", "1", nil),
        (.staffDevices, "機器と発券メニュー", "2", .manageDevices),
        (.staffNotifications, "お知らせの送信状況", "3", .viewNotifications),
        (.staffStatistics, "統計", "4", .viewStatistics),
        (.staffReservations, "予約", "8", .checkInReservations),
        (.staffForms, "書かない窓口", "9", .viewResidentCases),
        (.adminSettings, "設定", "5", .configureOffices),
        (.adminUsers, "職員と役割", "6", .manageUsers),
        (.admin, "監査ログとバックアップ", "7", .viewAudit)
    ]

    init(user: StaffUser, current: SiteURL) {
        login = user.login
        role = user.role.japaneseName
        links = Self.entries.filter { $0.permission.map { user.role.permissions.contains($0) } ?? true }
            .map { Link(href: $0.url.path, label: $0.label, key: $0.key, current: $0.url == current) }
    }
}
