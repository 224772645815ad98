import Foundation
import Hummingbird
import MadoguchiCore

/// `GET /api/v1/statistics?office=&from=YYYY-MM-DD&to=YYYY-MM-DD&format=json|csv|xlsx` (S1, S2, S7), for users
/// whose role may read statistics, limited to their offices. Also `grouping`, `period`, `columns`, `definition`
/// and `encoding=shift_jis` for CSV.
struct StatisticsAPIController {
    let dependencies: WebDependencies

    func register(on api: RouterGroup<AppRequestContext>) {
        api.group().add(middleware: RequireStaffMiddleware(dependencies: dependencies)).get("statistics", use: statistics)
    }

    @Sendable func statistics(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStatistics)
        let parsed = try await StatisticsRequest.parse(request.uri.queryParameters, user: user, dependencies: dependencies)
        let report = try await parsed.run(by: context.by(user), dependencies: dependencies)
        return try StatisticsRequest.respond(report, parsed)
    }
}

/// One statistics request as the API and the page read it: checked, limited to the user's offices, run and answered.
struct StatisticsRequest: Sendable {
    enum Format: String, Sendable { case json, csv, xlsx }
    var query: StatisticsQuery
    var columns: [StatisticsColumn]
    var format: Format
    var shiftJIS: Bool

    static func invalid(_ message: String) -> APIError { APIError(.unprocessableContent, code: "invalid_parameter", message: message) }

    static func parse(_ parameters: Parameters, user: StaffUser, dependencies: WebDependencies) async throws -> StatisticsRequest {
        func value(_ name: String) -> String? { parameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let layout = dependencies.layout.current
        let allowed = user.offices(for: .viewStatistics, among: layout.offices.map(\.id))
        var offices = allowed
        let named = parameters.getAll("office").flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        if !named.isEmpty {
            for id in named {
                guard layout.office(id) != nil else { throw DomainError.officeNotFound(id) }
                guard allowed.contains(id) else { throw APIError.forbidden }
            }
            offices = named
        }
        let today = CityCalendar.businessDate(of: dependencies.clock.now())
        var grouping = StatisticsGrouping.service, period = StatisticsPeriod.all
        var columns = StatisticsColumn.standard
        if let id = value("definition") {
            guard let definition = try await dependencies.staff.statistics.definition(id: id) else {
                throw APIError(.notFound, code: "definition_not_found", message: "保存した集計「\(id)」は見つかりません。")
            }
            (grouping, period, columns) = (definition.grouping, definition.period, definition.columns)
        }
        if let text = value("grouping") {
            guard let chosen = StatisticsGrouping(rawValue: text) else {
                throw invalid("grouping は \(StatisticsGrouping.allCases.map(\.rawValue).joined(separator: ", ")) のいずれかです。")
            }
            grouping = chosen
        }
        if let text = value("period") {
            guard let chosen = StatisticsPeriod(rawValue: text) else {
                throw invalid("period は \(StatisticsPeriod.allCases.map(\.rawValue).joined(separator: ", ")) のいずれかです。")
            }
            period = chosen
        }
        // `columns=a,b` from the API, or one `column` field per ticked box from the page's form.
        let columnNames = value("columns").map { $0.split(separator: ",").map(String.init) } ?? parameters.getAll("column")
        if !columnNames.isEmpty {
            var chosen: [StatisticsColumn] = []
            for name in columnNames {
                guard let column = StatisticsColumn(rawValue: String(name)) else { throw invalid("列「\(name)」はありません。") }
                chosen.append(column)
            }
            columns = chosen
        }
        let fiscalYear = value("fiscal_year").flatMap(Int.init)
        let from = value("from") ?? fiscalYear.map { FiscalYear.range($0).from } ?? String(today.prefix(8)) + "01"
        let to = value("to") ?? fiscalYear.map { FiscalYear.range($0).to } ?? today
        let query = StatisticsQuery(officeIDs: offices, from: from, to: to, grouping: grouping, period: period)
        if let fault = query.validate().first { throw APIError(.unprocessableContent, code: "invalid_range", message: fault) }
        guard let format = Format(rawValue: value("format") ?? "json") else { throw invalid("format は json, csv, xlsx のいずれかです。") }
        let encoding = value("encoding") ?? "utf-8"
        guard ["utf-8", "shift_jis"].contains(encoding) else { throw invalid("encoding は utf-8 または shift_jis です。") }
        return StatisticsRequest(query: query, columns: columns, format: format, shiftJIS: encoding == "shift_jis")
    }

    /// The report: read for the page or JSON, exported (and so audited) for a file.
    func run(by actor: Operator, dependencies: WebDependencies) async throws -> StatisticsReport {
        format == .json
            ? try await dependencies.staff.statistics.report(query, by: actor)
            : try await dependencies.staff.statistics.export(query, format: format.rawValue, by: actor)
    }

    static func respond(_ report: StatisticsReport, _ request: StatisticsRequest) throws -> Response {
        let name = "madoguchi-statistics-\(request.query.from)_\(request.query.to)"
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        let body: ByteBuffer
        switch request.format {
        case .json:
            headers[.contentType] = "application/json; charset=utf-8"
            body = ByteBuffer(data: try JSONIO.encoder.encode(report))
        case .csv:
            let text = CSVText.table(report, columns: request.columns)
            return CSVDownload.response(text, filename: "\(name)\(request.shiftJIS ? "-sjis" : "").csv", shiftJIS: request.shiftJIS)
        case .xlsx:
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            headers[.contentDisposition] = "attachment; filename=\"\(name).xlsx\""
            body = ByteBuffer(data: try SpreadsheetExport.workbook(report, columns: request.columns, title: "窓口統計 \(request.query.from)〜\(request.query.to)"))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
