import Foundation
import Hummingbird
import MadoguchiCore

/// `/admin` for administrators: the last backup's state (S6) and the audit log viewer with filters and CSV (S5).
/// The settings editor of the administration issue will join this page.
struct AdminPageController {
    let dependencies: WebDependencies
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.admin, use: page)
    }

    struct EntryRow: Sendable {
        let sequence: Int64; let at: String; let actor: String; let action: String; let target: String; let address: String; let detail: String
    }
    struct Model: Sendable {
        let nav: StaffNav
        let login: String
        let hasBackup: Bool
        let backupOK: Bool
        let backupAt: String
        let backupFile: String
        let backupBytes: Int
        let backupMessage: String
        let from: String
        let to: String
        let actor: String
        let action: String
        let entries: [EntryRow]
        let csvHref: String
        let banner: Banner
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .viewAudit)
        let parameters = request.uri.queryParameters
        let text = { (name: String) in parameters[Substring(name)].map(String.init) ?? "" }
        var error = ""
        func day(_ name: String) -> Date? {
            guard !text(name).isEmpty else { return nil }
            guard let date = CityCalendar.date(ofBusinessDay: text(name)) else {
                error = "日付は YYYY-MM-DD で入力してください（\(text(name))）。"
                return nil
            }
            return date
        }
        let query = AuditQuery(
            from: day("from"), until: day("to").map { $0.addingTimeInterval(86_400) },
            actor: text("actor").isEmpty ? nil : text("actor"), action: text("action").isEmpty ? nil : text("action"),
            limit: 500)
        let entries = try await dependencies.administration.audit.entries(query, by: context.by(user))
        let backup = try await dependencies.administration.lastBackup()
        var csvQuery = URLComponents()
        csvQuery.queryItems =
            ["from", "to", "actor", "action"].compactMap { text($0).isEmpty ? nil : URLQueryItem(name: $0, value: text($0)) }
            + [URLQueryItem(name: "format", value: "csv")]
        return try renderer.page(
            "admin",
            Model(
                nav: StaffNav(user: user, current: .admin), login: user.login, hasBackup: backup != nil, backupOK: backup?.verified ?? false,
                backupAt: backup.map { JapaneseDateTimeText.format($0.at) } ?? "", backupFile: backup?.file ?? "", backupBytes: backup?.bytes ?? 0,
                backupMessage: backup?.message ?? "", from: text("from"), to: text("to"), actor: text("actor"), action: text("action"),
                entries: entries.map {
                    EntryRow(
                        sequence: $0.sequence ?? 0,
                        at: JapaneseDateTimeText.format($0.at) + ":" + String(format: "%02d", CityCalendar.gregorian.component(.second, from: $0.at)),
                        actor: $0.actor, action: $0.action, target: $0.target, address: $0.address, detail: $0.detail)
                },
                csvHref: "/api/v1/audit?" + (csvQuery.percentEncodedQuery ?? "format=csv"), banner: Banner("audit", error: error)))
    }
}
