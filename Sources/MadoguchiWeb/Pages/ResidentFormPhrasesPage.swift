import Foundation
import Hummingbird
import MadoguchiCore

/// The office's remark phrases (定型文) and the reception report of the no-writing counter.
extension ResidentFormsPageController {
    // MARK: phrases and reports

    struct OfficeChoice: Sendable { let id: String; let name: String; let selected: Bool }
    struct PhrasesModel: Sendable {
        let nav: StaffNav; let text: String; let banner: Banner
        let office: String; let officeName: String; let offices: [OfficeChoice]; let hasChoice: Bool
    }

    /// The office whose phrases the page edits: `office` if the user configures it, else their first such office.
    func phrasesOffice(_ requested: String?, user: StaffUser) throws -> Office {
        let layout = dependencies.layout.current
        let own = layout.offices.filter { user.may(.configureOffices, at: $0.id) }
        if let requested, !requested.isEmpty {
            guard let office = layout.office(requested) else { throw DomainError.officeNotFound(requested) }
            guard user.may(.configureOffices, at: office.id) else { throw APIError.forbidden }
            return office
        }
        guard let first = own.first else { throw APIError.forbidden }
        return first
    }

    @Sendable func phrasesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureOffices)
        let office = try phrasesOffice(request.uri.queryParameters["office"].map(String.init), user: user)
        let phrases = try await service.phrases(officeID: office.id, by: context.by(user))
        let notice = request.uri.queryParameters["notice"].map(String.init) ?? ""
        let choices = dependencies.layout.current.offices.filter { user.may(.configureOffices, at: $0.id) }
            .map { OfficeChoice(id: $0.id, name: $0.name, selected: $0.id == office.id) }
        return try renderer.page(
            "staff-form-phrases",
            PhrasesModel(
                nav: StaffNav(user: user, current: .staffForms), text: phrases.joined(separator: "\n"), banner: Banner("phrases", notice: notice),
                office: office.id, officeName: office.name, offices: choices, hasChoice: choices.count > 1))
    }

    @Sendable func savePhrases(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureOffices)
        let fields = try FormFields(decoding: String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        let office = try phrasesOffice(fields["office"], user: user)
        let phrases = fields["phrases"].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        try await service.setPhrases(phrases, officeID: office.id, by: context.by(user))
        return PageRedirect(location: SiteURL.staffFormsPhrases.href(["office": office.id, "notice": "定型文を保存しました（\(phrases.count)件）。"])).response
    }

    struct ReportRow: Sendable { let label: String; let cases: Int; let completed: Int; let average: String }
    struct ReportModel: Sendable {
        let nav: StaffNav
        let from: String
        let to: String
        let groupings: [FormChoice]
        let rows: [ReportRow]
        let hasRows: Bool
        let csv: String
        let total: Int
    }

    static func duration(_ seconds: Int?) -> String {
        guard let seconds else { return "—" }
        return seconds >= 60 ? "\(seconds / 60)分\(String(format: "%02d", seconds % 60))秒" : "\(seconds)秒"
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .viewStatistics)
        let parameters = request.uri.queryParameters
        let from = DateEntry.normalized(parameters["from"].map(String.init) ?? String(today.prefix(8)) + "01")
        let to = DateEntry.normalized(parameters["to"].map(String.init) ?? today)
        let grouping = CaseReport.Grouping(rawValue: parameters["by"].map(String.init) ?? "") ?? .day
        guard CityCalendar.date(ofBusinessDay: from) != nil, CityCalendar.date(ofBusinessDay: to) != nil else {
            throw APIError(.unprocessableContent, code: "invalid_period", message: "期間は 2026-12-01 の形で指定してください。")
        }
        let rows = try await service.report(from: from, through: to, by: grouping, officeIDs: [], for: context.by(user))
        return try renderer.page(
            "staff-form-report",
            ReportModel(
                nav: StaffNav(user: user, current: .staffForms), from: from, to: to,
                groupings: CaseReport.Grouping.allCases.map { FormChoice(value: $0.rawValue, label: $0.japaneseName, selected: $0 == grouping) },
                rows: rows.map { ReportRow(label: $0.label, cases: $0.cases, completed: $0.completed, average: Self.duration($0.averageReceptionSeconds)) },
                hasRows: !rows.isEmpty, csv: "/api/v1/cases/report?from=\(from)&to=\(to)&by=\(grouping.rawValue)&format=csv",
                total: rows.reduce(0) { $0 + $1.cases }))
    }
}
