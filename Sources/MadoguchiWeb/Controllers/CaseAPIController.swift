import Foundation
import HTTPTypes
import Hummingbird
import MadoguchiCore

/// The no-writing counter's JSON API (`/api/v1/cases…`, K3–K7), for the staff form's scripts and for other systems
/// (card readers, OCR and the pre-application code fill a case through it in later issues). Reads are masked per
/// role; every view, print and export is audited.
struct CaseAPIController {
    let dependencies: WebDependencies

    func register(on api: RouterGroup<AppRequestContext>) {
        let staff = api.group().add(middleware: RequireStaffMiddleware(dependencies: dependencies))
        staff.get("forms", use: forms)
        staff.get("case-phrases", use: phrases)
        staff.post("cases/validate", use: validate)
        staff.get("cases/export", use: export)
        staff.get("cases/report", use: report)
        staff.get("cases", use: search)
        staff.post("cases", use: create)
        staff.get("cases/:case", use: show)
        staff.put("cases/:case", use: update)
        staff.post("cases/:case/status", use: status)
        staff.get("cases/:case/pdf", use: pdf)
        staff.post("cases/:case/attachments", use: attach)
    }

    var service: ResidentCaseService { dependencies.staff.cases }

    var today: String { CityCalendar.businessDate(of: dependencies.clock.now()) }

    func staff(_ context: AppRequestContext) throws -> StaffUser {
        guard let user = context.staff else { throw APIError.notSignedIn }
        return user
    }

    struct CaseAnswer: Encodable {
        let id: String
        let office: String
        let status: CaseStatus
        let createdAt: Date
        let updatedAt: Date
        let completedAt: Date?
        let createdBy: String
        let `case`: ResidentCase
        let history: [CaseHistoryEntry]
        let attachments: [CaseAttachment]
        let faults: [CaseFault]
        init(_ record: CaseRecord, today: String) {
            id = record.id
            office = record.officeID
            status = record.status
            createdAt = record.createdAt
            updatedAt = record.updatedAt
            completedAt = record.completedAt
            createdBy = record.createdBy
            `case` = record.residentCase
            history = record.history
            attachments = record.attachments
            faults = record.residentCase.faults(today: today)
        }
    }

    @Sendable func forms(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.viewResidentCases)
        struct Form: Encodable { let id: String; let title: String }
        return try JSONIO.response(["forms": service.forms.layouts.map { Form(id: $0.id, title: $0.title) }])
    }

    /// `?office=` (default: the user's first office): that office's remark phrases.
    @Sendable func phrases(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewResidentCases)
        let layout = dependencies.layout.current
        guard
            let office = request.uri.queryParameters["office"].map(String.init)
                ?? layout.offices.first(where: { user.may(.viewResidentCases, at: $0.id) })?.id
        else { throw APIError.forbidden }
        guard layout.office(office) != nil else { throw DomainError.officeNotFound(office) }
        _ = try context.require(.viewResidentCases, at: office)
        return try JSONIO.response(["phrases": try await service.phrases(officeID: office, by: context.by(user))])
    }

    /// Checks a case without storing it.
    @Sendable func validate(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.viewResidentCases)
        let residentCase = try await JSONIO.decode(ResidentCase.self, from: request, context: context)
        return try JSONIO.response(["faults": residentCase.faults(today: today)])
    }

    struct CreateRequest: Decodable {
        let office: String
        let procedure: MovingProcedure?
        let `case`: ResidentCase?
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try staff(context)
        let body = try await JSONIO.decode(CreateRequest.self, from: request, context: context)
        guard let procedure = body.case?.procedure ?? body.procedure else {
            throw APIError(.unprocessableContent, code: "invalid_procedure", message: "届出の種類（procedure）を指定してください。")
        }
        let service = service
        let opened = try await service.open(officeID: body.office, procedure: procedure, by: context.by(user))
        if let filled = body.case { try await service.save(id: opened.id, residentCase: filled, by: context.by(user)) }
        return try JSONIO.response(CaseAnswer(try await service.draft(id: opened.id, by: context.by(user)), today: today), status: .created)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try staff(context)
        let id = try CaseRequests.caseID(context)
        return try JSONIO.response(CaseAnswer(try await service.view(id: id, by: context.by(user)), today: today))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try staff(context)
        let id = try CaseRequests.caseID(context)
        let residentCase = try await JSONIO.decode(ResidentCase.self, from: request, context: context)
        let faults = try await service.save(id: id, residentCase: residentCase, by: context.by(user))
        return try JSONIO.response(["faults": faults])
    }

    struct StatusRequest: Decodable {
        let status: CaseStatus
        let note: String?
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try staff(context)
        let id = try CaseRequests.caseID(context)
        let body = try await JSONIO.decode(StatusRequest.self, from: request, context: context)
        let record = try await service.changeStatus(id: id, to: body.status, note: body.note ?? "", by: context.by(user))
        return try JSONIO.response(CaseAnswer(record, today: today))
    }

    @Sendable func pdf(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await CaseRequests.print(request, context: context, user: try staff(context), service: service)
    }

    /// The file is the request body (PDF, JPEG or PNG, up to 10 MB); `name` names it.
    @Sendable func attach(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try staff(context)
        let id = try CaseRequests.caseID(context)
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: CaseAttachment.maxBytes)
        } catch {
            throw APIError(.contentTooLarge, code: "attachment_too_large", message: "添付できるのは10MBまでのファイルです。")
        }
        let attachment = try await service.attach(caseID: id, fileName: request.query("name"), data: Data(buffer: buffer), by: context.by(user))
        return try JSONIO.response(attachment, status: .created)
    }

    struct Summary: Encodable {
        let id: String
        let office: String
        let status: CaseStatus
        let procedure: MovingProcedure
        let createdAt: Date
        let completedAt: Date?
        let persons: [Person]
        struct Person: Encodable { let name: String; let kana: String; let birthDate: String }
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewResidentCases)
        let office = request.query("office")
        var query = CaseQuery(
            officeIDs: office.isEmpty ? [] : [office], text: request.query("q"),
            birthDate: DateEntry.normalized(request.query("birthDate")), from: DateEntry.normalized(request.query("from")),
            through: DateEntry.normalized(request.query("to")))
        if !request.query("procedure").isEmpty {
            guard let procedure = MovingProcedure(rawValue: request.query("procedure")) else {
                throw APIError(
                    .unprocessableContent, code: "invalid_procedure",
                    message: "procedure は \(MovingProcedure.allCases.map(\.rawValue).joined(separator: ", ")) のどれかです。")
            }
            query.procedure = procedure
        }
        if !request.query("status").isEmpty {
            guard let status = CaseStatus(rawValue: request.query("status")) else {
                throw APIError(
                    .unprocessableContent, code: "invalid_status", message: "status は \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", ")) のどれかです。")
            }
            query.status = status
        }
        for (name, value) in [("from", query.from), ("to", query.through), ("birthDate", query.birthDate)]
        where !value.isEmpty && CityCalendar.date(ofBusinessDay: value) == nil {
            throw APIError(.unprocessableContent, code: "invalid_date", message: "\(name) は 2026-12-01 の形の日付で指定してください。")
        }
        let found = try await service.search(query, by: context.by(user))
        return try JSONIO.response([
            "cases": found.map { r in
                Summary(
                    id: r.id, office: r.officeID, status: r.status, procedure: r.residentCase.procedure, createdAt: r.createdAt, completedAt: r.completedAt,
                    persons: r.residentCase.persons.map {
                        .init(
                            name: $0.identity.familyName + "　" + $0.identity.givenName, kana: $0.identity.familyNameKana + "　" + $0.identity.givenNameKana,
                            birthDate: $0.identity.birthDate)
                    })
            }
        ])
    }

    func period(_ request: Request) throws -> (String, String) {
        let from = DateEntry.normalized(request.query("from")), to = DateEntry.normalized(request.query("to"))
        guard CityCalendar.date(ofBusinessDay: from) != nil, CityCalendar.date(ofBusinessDay: to) != nil, from <= to else {
            throw APIError(.unprocessableContent, code: "invalid_period", message: "from と to を 2026-12-01 の形で、from ≦ to になるよう指定してください。")
        }
        return (from, to)
    }

    /// Completed cases for the core resident-records system (K6; columns in docs/NO-WRITING-COUNTER.md).
    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.exportResidentCases)
        let (from, to) = try period(request)
        let format = request.query("format", default: "csv")
        let encoding = request.query("encoding", default: "utf-8").lowercased()
        guard ["csv", "json"].contains(format) else {
            throw APIError(.unprocessableContent, code: "invalid_format", message: "format は csv か json です。")
        }
        guard ["utf-8", "shift_jis"].contains(encoding) else {
            throw APIError(.unprocessableContent, code: "invalid_encoding", message: "encoding は utf-8 か shift_jis です。")
        }
        let office = request.query("office")
        let shiftJIS = encoding == "shift_jis"
        let exported = try await service.export(
            from: from, through: to, officeIDs: office.isEmpty ? [] : [office], shiftJIS: shiftJIS && format == "csv", format: format,
            by: context.by(user))
        // Characters outside JIS X 0208 are counted in UTF-8 too, where they stay: the receiving side knows either way.
        var response =
            format == "json"
            ? try JSONIO.response(exported.listing)
            : CSVDownload.file(exported.csvData, charset: exported.substituted ? "Shift_JIS" : "utf-8", filename: "resident-cases-\(from)-\(to).csv")
        response.headers[.cacheControl] = "no-store"
        response.headers[CSVDownload.outsideJISHeader] = String(exported.replacements.count)
        return response
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStatistics)
        let (from, to) = try period(request)
        let by = request.query("by", default: "day")
        guard let grouping = CaseReport.Grouping(rawValue: by) else {
            throw APIError(
                .unprocessableContent, code: "invalid_grouping", message: "by は \(CaseReport.Grouping.allCases.map(\.rawValue).joined(separator: ", ")) のどれかです。"
            )
        }
        let office = request.query("office")
        let rows = try await service.report(from: from, through: to, by: grouping, officeIDs: office.isEmpty ? [] : [office], for: context.by(user))
        guard request.query("format") == "csv" else { return try JSONIO.response(["rows": rows]) }
        var text = CSVText.line(["区分", "件数", "完了", "平均受付時間（秒）"])
        for row in rows { text += CSVText.line([row.label, String(row.cases), String(row.completed), row.averageReceptionSeconds.map(String.init) ?? ""]) }
        return CSVDownload.response(text, filename: "case-report-\(from)-\(to).csv")
    }
}

extension APIError {
    init(_ error: CaseError) {
        switch error {
        case .notFound: self.init(.notFound, code: "case_not_found", message: "該当する届出は見つかりません。")
        case .notEditable: self.init(.conflict, code: "case_not_editable", message: "完了した届出は変更できません。")
        case .invalid(let faults):
            self.init(
                .unprocessableContent, code: "case_invalid",
                message: "誤りが\(faults.count)件あるため完了にできません: " + faults.prefix(3).map(\.message).joined(separator: " "))
        case .attachmentRejected(let reason): self.init(.unprocessableContent, code: "attachment_rejected", message: reason)
        case .unknownForm(let id): self.init(.unprocessableContent, code: "unknown_form", message: "帳票「\(id)」はありません。")
        case .invalidPhrases: self.init(.unprocessableContent, code: "invalid_phrases", message: "定型文は200件まで、1件200文字までです。")
        }
    }
}
