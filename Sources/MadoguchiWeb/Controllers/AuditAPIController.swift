import Foundation
import Hummingbird
import MadoguchiCore

/// `GET /api/v1/audit`: the audit log for administrators, filtered, as JSON or CSV (the export is audited too).
struct AuditAPIController {
    let dependencies: WebDependencies

    func register(on api: RouterGroup<AppRequestContext>) {
        api.group().add(middleware: RequireStaffMiddleware(dependencies: dependencies)).get("audit", use: list)
    }

    struct Listing: Encodable { let entries: [AuditEntry] }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let staff = try context.require(.viewAudit)
        let parameters = request.uri.queryParameters
        func day(_ name: String) throws -> Date? {
            guard let text = parameters[Substring(name)].map(String.init), !text.isEmpty else { return nil }
            guard let date = CityCalendar.date(ofBusinessDay: text) else {
                throw APIError(.badRequest, code: "invalid_date", message: "\(name) は YYYY-MM-DD で指定してください。")
            }
            return date
        }
        let from = try day("from")
        let until = try day("to").map { $0.addingTimeInterval(86_400) }
        let query = AuditQuery(from: from, until: until, actor: parameters["actor"].map(String.init), action: parameters["action"].map(String.init))
        guard parameters["format"] == "csv" else {
            return try JSONIO.response(Listing(entries: try await dependencies.administration.audit.entries(query, by: context.by(staff))))
        }
        let entries = try await dependencies.administration.audit.export(query, format: "csv", by: context.by(staff))
        var csv = "sequence,at,actor,action,target,address,detail\r\n"
        for entry in entries {
            let fields = [String(entry.sequence ?? 0), ISO8601Format.string(entry.at), entry.actor, entry.action, entry.target, entry.address, entry.detail]
            csv += CSVText.line(fields)
        }
        return CSVDownload.response(csv, filename: "audit.csv")
    }
}
