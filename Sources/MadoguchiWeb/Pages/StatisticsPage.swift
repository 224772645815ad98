import Foundation
import Hummingbird
import MadoguchiCore

/// `/staff/statistics`: choose offices, range, grouping, period and columns (or a saved report), read the result
/// as SVG charts beside their data table, and download it as CSV (UTF-8 or Shift_JIS) or Excel (S1, S2, S7).
struct StatisticsPageController {
    let dependencies: WebDependencies
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.staffStatistics, use: page)
        router.post(SiteURL.staffStatisticsDefinitions, use: saveDefinition)
        router.post(SiteURL.staffStatisticsDefinitionDelete(.key), use: deleteDefinition)
    }

    struct Choice: Sendable { let value: String; let label: String; let selected: Bool }
    struct Cell: Sendable { let text: String; let numeric: Bool }
    struct Row: Sendable { let cells: [Cell] }
    struct Model: Sendable {
        let nav: StaffNav
        let offices: [Choice]
        let from: String
        let to: String
        let groupings: [Choice]
        let periods: [Choice]
        let columns: [Choice]
        let definitions: [Choice]
        let hasDefinitions: Bool
        let headers: [String]
        let rows: [Row]
        let hasRows: Bool
        let ran: Bool
        let summaryOfToday: Bool
        let resultHeading: String
        let chart: String
        let hourChart: String
        let hours: [Row]
        let web: [Row]
        let hasWeb: Bool
        let csvHref: String
        let sjisHref: String
        let xlsxHref: String
        let query: String
        let banner: Banner
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .viewStatistics)
        let parameters = request.uri.queryParameters
        let layout = dependencies.layout.current
        var error = ""
        var parsed: StatisticsRequest?
        do {
            parsed = try await StatisticsRequest.parse(parameters, user: user, dependencies: dependencies)
        } catch let failure as APIError where failure.status == .unprocessableContent || failure.status == .notFound {
            error = failure.message  // shown beside the form; a forbidden office stays a 403
        } catch let failure as DomainError {
            error = APIError(failure).message
        }
        let chosen = parameters["from"] != nil || parameters["definition"] != nil
        // On arrival the page answers the first question of the day at once: how today is going, per office.
        let summaryOfToday = !chosen && error.isEmpty
        if summaryOfToday, var today = parsed {
            today.query.from = CityCalendar.businessDate(of: dependencies.clock.now())
            today.query.to = today.query.from
            today.query.grouping = .office
            today.query.period = .all
            parsed = today
        }
        let ran = chosen || summaryOfToday
        var report: StatisticsReport?
        if ran, let parsed { report = try await dependencies.staff.statistics.report(parsed.query, by: context.by(user)) }
        let query = parsed?.query ?? StatisticsQuery(officeIDs: [], from: "", to: "")
        let columns = parsed?.columns ?? StatisticsColumn.standard
        let chosenOffices = Set(parameters.getAll("office").flatMap { $0.split(separator: ",").map(String.init) })
        let definitions = try await dependencies.staff.statistics.definitions()
        let rows = (report?.rows ?? []).map { row in
            Row(
                cells: columns.map { column in
                    let value = column.value(of: row)
                    if case .number = value { return Cell(text: value.csvText, numeric: true) }
                    return Cell(text: value.csvText, numeric: false)
                })
        }
        // Totals per name over the periods, largest first, for the chart.
        var issuedByName: [String: Int] = [:]
        for row in report?.rows ?? [] { issuedByName[row.name, default: 0] += row.issued }
        let bars = issuedByName.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(20)
            .map { BarChart.Bar(label: $0.key, value: Double($0.value), text: "\($0.value)件") }
        let countLabel = query.grouping.countsTickets ? "発券数" : "対応件数"
        let chart = bars.isEmpty ? "" : BarChart(title: "\(query.grouping.japaneseName)ごとの\(countLabel)", bars: bars, tableID: "「集計結果」").svg
        let hourBars = (report?.hourBands ?? []).map { BarChart.Bar(label: "\($0.hour)時台", value: Double($0.count), text: "\($0.count)件") }
        let hourChart = hourBars.isEmpty ? "" : BarChart(title: "時間帯ごとの\(countLabel)", bars: hourBars, tableID: "「時間帯」").svg
        var items = URLComponents()
        items.queryItems =
            summaryOfToday
            ? [
                URLQueryItem(name: "from", value: query.from), URLQueryItem(name: "to", value: query.to),
                URLQueryItem(name: "grouping", value: query.grouping.rawValue), URLQueryItem(name: "period", value: query.period.rawValue)
            ]
            : parameters.map { URLQueryItem(name: String($0.key), value: String($0.value)) }.filter { $0.name != "format" && $0.name != "encoding" }
        let base = "/api/v1/statistics?" + (items.percentEncodedQuery.map { $0 + "&" } ?? "")
        let notice = parameters["saved"] != nil ? "集計の設定を保存しました。" : ""
        return try renderer.page(
            "staff-statistics",
            Model(
                nav: StaffNav(user: user, current: .staffStatistics),
                offices: user.offices(for: .viewStatistics, among: layout.offices.map(\.id)).map {
                    Choice(value: $0, label: layout.office($0)?.name ?? $0, selected: chosenOffices.contains($0))
                },
                from: query.from, to: query.to,
                groupings: StatisticsGrouping.allCases.map { Choice(value: $0.rawValue, label: $0.japaneseName, selected: $0 == query.grouping) },
                periods: StatisticsPeriod.allCases.map { Choice(value: $0.rawValue, label: $0.japaneseName, selected: $0 == query.period) },
                columns: StatisticsColumn.allCases.map { Choice(value: $0.rawValue, label: $0.japaneseName, selected: columns.contains($0)) },
                definitions: definitions.map { Choice(value: $0.id, label: $0.name, selected: parameters["definition"].map(String.init) == $0.id) },
                hasDefinitions: !definitions.isEmpty,
                headers: columns.map(\.japaneseName), rows: rows, hasRows: !rows.isEmpty, ran: ran && report != nil, summaryOfToday: summaryOfToday,
                resultHeading: summaryOfToday ? "本日（\(query.from)）のまとめ" : "集計結果（\(query.from)〜\(query.to)）", chart: chart, hourChart: hourChart,
                hours: (report?.hourBands ?? []).map { Row(cells: [Cell(text: "\($0.hour)時台", numeric: false), Cell(text: "\($0.count)", numeric: true)]) },
                web: (report?.webAccess ?? []).map {
                    Row(cells: [Cell(text: PublicPageKind.name(ofKey: $0.page), numeric: false), Cell(text: "\($0.hits)", numeric: true)])
                },
                hasWeb: !(report?.webAccess ?? []).isEmpty,
                csvHref: base + "format=csv", sjisHref: base + "format=csv&encoding=shift_jis", xlsxHref: base + "format=xlsx",
                query: items.percentEncodedQuery ?? "", banner: Banner("statistics", notice: notice, error: error)))
    }

    @Sendable func saveDefinition(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .viewStatistics)
        let fields = try FormFields(decoding: String(buffer: try await request.body.collect(upTo: 8192)))
        let name = fields["name"].trimmingCharacters(in: .whitespaces)
        let grouping = StatisticsGrouping(rawValue: fields["grouping"]) ?? .service
        let period = StatisticsPeriod(rawValue: fields["period"]) ?? .all
        let columns = fields.all("columns").compactMap(StatisticsColumn.init(rawValue:))
        guard (1...60).contains(name.count) else {
            throw APIError(.unprocessableContent, code: "invalid_name", message: "保存する集計の名前を60文字以内で入力してください。")
        }
        guard !columns.isEmpty else { throw APIError(.unprocessableContent, code: "no_columns", message: "列を1つ以上選んでください。") }
        let definition = ReportDefinition(id: TokenGenerator.token(length: 10), name: name, grouping: grouping, period: period, columns: columns)
        try await dependencies.staff.statistics.save(definition, by: context.by(user))
        return Response(status: .seeOther, headers: [.location: SiteURL.staffStatistics.href(["saved": "1", "definition": definition.id])])
    }

    @Sendable func deleteDefinition(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .viewStatistics)
        let id = try context.parameters.require("definition")
        guard try await dependencies.staff.statistics.deleteDefinition(id: id, by: context.by(user)) else {
            throw APIError(.notFound, code: "definition_not_found", message: "保存した集計「\(id)」は見つかりません。")
        }
        return Response(status: .seeOther, headers: [.location: SiteURL.staffStatistics.path])
    }
}
