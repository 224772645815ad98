import Foundation
import Hummingbird
import MadoguchiCore
import MadoguchiDevices

/// The booking site's JSON API (R2–R7) and the back office's (R8, R10), documented in openapi.yaml.
struct ReservationAPIController {
    let dependencies: WebDependencies
    let holdLimiter: RateLimiter

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("reservations/procedures", use: procedures)
        api.get("reservations/availability", use: availability)
        api.post("reservations", use: book)
        api.post("reservations/holds", use: hold)
        api.delete("reservations/holds/:hold", use: releaseHold)
        api.post("reservations/lookup", use: lookup)
        api.patch("reservations/:code", use: change)
        api.delete("reservations/:code", use: cancel)
        let staff = api.group("staff").add(middleware: RequireStaffMiddleware(dependencies: dependencies))
        staff.get("reservations", use: search)
        staff.post("reservations", use: bookForCaller)
        staff.get("reservations/counts", use: counts)
        staff.post("reservations/:code/check-in", use: checkIn)
        staff.post("reservations/:code/cancel", use: cancelForCaller)
        staff.post("reservations/:code/change", use: changeForCaller)
        staff.post("reservation-ids", use: importIDs)
        staff.post("reservation-ids/delete", use: deleteIDs)
    }

    var service: ReservationService {
        get throws {
            guard let service = dependencies.reservations else {
                throw APIError(.serviceUnavailable, code: "reservations_unavailable", message: "予約の機能は使えません。")
            }
            return service
        }
    }

    // MARK: Public

    struct ProcedureView: Encodable {
        let id: String
        let name: String
        let requiresReservationId: Bool
        let offices: [String]
        let officeNames: [String: String]
        let saturdayOffice: String?
    }

    @Sendable func procedures(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = PublicPagesController.language(of: request)
        let layout = dependencies.layout.current
        return try JSONIO.response(layout.reservations.procedures.map { procedure in
            ProcedureView(id: procedure.id, name: procedure.name(in: language), requiresReservationId: procedure.requiresReservationID,
                          offices: procedure.offices,
                          officeNames: Dictionary(uniqueKeysWithValues: procedure.offices.map { ($0, layout.office($0)?.name ?? $0) }),
                          saturdayOffice: procedure.saturdayOfficeID)
        })
    }

    @Sendable func availability(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        guard let procedure = parameters["procedure"].map(String.init), let office = parameters["office"].map(String.init) else {
            throw APIError(.badRequest, code: "missing_parameter", message: "procedure と office を指定してください。")
        }
        let service = try service
        if let date = parameters["date"].map(String.init) {
            struct SlotView: Encodable { let start: String; let end: String; let mark: String }
            let marks = try await service.slotMarks(procedureID: procedure, officeID: office, date: date)
            return try JSONIO.response(["slots": marks.map {
                SlotView(start: $0.slot.start.isoText, end: SlotTime(date: date, minute: $0.slot.start.minute + $0.slot.minutes)?.isoText ?? "",
                         mark: $0.mark.rawValue)
            }])
        }
        guard let month = parameters["month"].map(String.init) else {
            throw APIError(.badRequest, code: "missing_parameter", message: "month（YYYY-MM）または date（YYYY-MM-DD）を指定してください。")
        }
        struct DayView: Encodable { let date: String; let mark: String }
        let marks = try await service.dayMarks(procedureID: procedure, officeID: office, month: month)
        return try JSONIO.response(["days": marks.map { DayView(date: $0.date, mark: $0.mark.rawValue) }])
    }

    struct BookingBody: Decodable {
        let procedure: String
        let office: String
        let start: String
        let reservationId: String?
        let birthDate: String?
        let phone: String?
        let email: String?
        let password: String?
        let language: String?
        let hold: String?

        func request() -> BookingRequest {
            BookingRequest(procedureID: procedure, officeID: office, start: start, reservationID: reservationId, birthDate: birthDate,
                           phone: phone ?? "", email: email ?? "", password: password ?? "", language: language.flatMap(Language.init(tag:)) ?? .ja,
                           holdCode: hold)
        }
    }

    /// What a visitor sees of their booking: no contact data, never anyone else's.
    struct VisitorView: Encodable {
        let code: String
        let procedure: String
        let procedureName: String
        let office: String
        let officeName: String
        let start: String
        let status: String
        let reservationId: String?

        init(_ r: Reservation, layout: OfficeLayout) {
            code = r.code
            procedure = r.procedureID
            procedureName = layout.reservations.procedure(r.procedureID)?.name ?? r.procedureID
            office = r.officeID
            officeName = layout.office(r.officeID)?.name ?? r.officeID
            start = r.start.isoText
            status = r.status.rawValue
            reservationId = r.reservationID
        }
    }

    @Sendable func book(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONIO.decode(BookingBody.self, from: request, context: context)
        var booking = body.request()
        booking.client = context.clientAddress
        let booked = try await service.book(booking)
        dependencies.webAccess.count(.reservation, officeID: booked.officeID)
        return try JSONIO.response(VisitorView(booked, layout: dependencies.layout.current), status: .created)
    }

    struct HoldBody: Decodable { let procedure: String; let office: String; let start: String }

    /// Holds a seat of the chosen time while the visitor fills in the form (R5); the booking names the hold.
    @Sendable func hold(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONIO.decode(HoldBody.self, from: request, context: context)
        try await holdLimiter.admit(context.clientAddress, at: dependencies.clock.now())
        let held = try await service.hold(procedureID: body.procedure, officeID: body.office, start: body.start)
        struct Answer: Encodable { let hold: String; let expiresAt: Date }
        return try JSONIO.response(Answer(hold: held.code, expiresAt: held.until), status: .created)
    }

    @Sendable func releaseHold(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await service.releaseHold(code: try context.parameters.require("hold").uppercased())
        return Response(status: .noContent)
    }

    struct LookupBody: Decodable { let key: String; let password: String }

    /// A visitor's own booking by booking code or reservation ID and password.
    @Sendable func lookup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONIO.decode(LookupBody.self, from: request, context: context)
        let found = try await service.authenticate(codeOrID: body.key, password: body.password, client: context.clientAddress)
        return try JSONIO.response(VisitorView(found, layout: dependencies.layout.current))
    }

    struct ChangeBody: Decodable { let password: String; let start: String }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code").uppercased()
        let body = try await JSONIO.decode(ChangeBody.self, from: request, context: context)
        let service = try service
        _ = try await service.authenticate(codeOrID: code, password: body.password, client: context.clientAddress)
        let changed = try await service.change(code: code, to: body.start)
        return try JSONIO.response(VisitorView(changed, layout: dependencies.layout.current))
    }

    struct CancelBody: Decodable { let password: String }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code").uppercased()
        let body = try await JSONIO.decode(CancelBody.self, from: request, context: context)
        let service = try service
        _ = try await service.authenticate(codeOrID: code, password: body.password, client: context.clientAddress)
        _ = try await service.cancel(code: code, reason: "")
        return Response(status: .noContent)
    }

    // MARK: Back office (R8)

    /// The booking with `code`, if the user may manage bookings at its office.
    func reservation(_ code: String, context: AppRequestContext, permission: Permission = .manageReservations) async throws -> Reservation {
        guard let found = try await service.store.reservation(code: code.uppercased()) else { throw ReservationRefusal.notFound }
        _ = try context.require(permission, at: found.officeID)
        return found
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageReservations)
        let query = try ReservationSearch.query(request.uri.queryParameters, user: user, layout: dependencies.layout.current)
        let found = try await service.store.search(query)
        let format = request.uri.queryParameters["format"].map(String.init) ?? "json"
        if format == "json" {
            await dependencies.record("reservations.viewed", actor: user.login, target: query.officeIDs?.joined(separator: ",") ?? "*",
                                      address: context.clientAddress, detail: "\(query.from ?? "")..\(query.through ?? "") \(found.count)件",
                                      logger: context.logger)
        }
        guard format == "json" else {
            let columns = try ReservationSearch.columns(request.uri.queryParameters)
            await dependencies.record("reservations.export", actor: user.login, target: query.officeIDs?.joined(separator: ",") ?? "",
                                      address: context.clientAddress, detail: "\(format) \(query.from ?? "")..\(query.through ?? "") \(found.count)件",
                                      logger: context.logger)
            return try ReservationSearch.export(found, columns: columns, format: format,
                                                shiftJIS: request.uri.queryParameters["encoding"] == "shift_jis", layout: dependencies.layout.current)
        }
        return try JSONIO.response(["reservations": found])
    }

    @Sendable func bookForCaller(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONIO.decode(BookingBody.self, from: request, context: context)
        let user = try context.require(.manageReservations, at: body.office)
        let booked = try await service.book(body.request(), staff: user.login)
        await dependencies.record("reservation.booked", actor: user.login, target: booked.code, address: context.clientAddress,
                                  detail: "\(booked.procedureID) \(booked.officeID) \(booked.start)", logger: context.logger)
        return try JSONIO.response(booked, status: .created)
    }

    @Sendable func checkIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let user = try context.require(.checkInReservations)
        let found = try await reservation(code, context: context, permission: .checkInReservations)
        let (checkedIn, ticket) = try await service.checkIn(code: found.code)
        await dependencies.record("reservation.checked_in", actor: user.login, target: found.code, address: context.clientAddress,
                                  detail: "番号 \(ticket.displayNumber)", logger: context.logger)
        struct Answer: Encodable { let reservation: Reservation; let ticket: TicketView? }
        return try JSONIO.response(Answer(reservation: checkedIn, ticket: dependencies.projection.ticketView(id: ticket.id)))
    }

    struct StaffCancelBody: Decodable { let reason: String? }

    @Sendable func cancelForCaller(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let body = try await JSONIO.decode(StaffCancelBody.self, from: request, context: context)
        let found = try await reservation(code, context: context)
        let user = try context.require(.manageReservations, at: found.officeID)
        let cancelled = try await service.cancel(code: found.code, reason: body.reason ?? "", staff: user.login)
        await dependencies.record("reservation.cancelled", actor: user.login, target: found.code, address: context.clientAddress,
                                  detail: cancelled.cancelReason ?? "", logger: context.logger)
        return try JSONIO.response(cancelled)
    }

    struct StaffChangeBody: Decodable { let start: String }

    @Sendable func changeForCaller(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let body = try await JSONIO.decode(StaffChangeBody.self, from: request, context: context)
        let found = try await reservation(code, context: context)
        let user = try context.require(.manageReservations, at: found.officeID)
        let changed = try await service.change(code: found.code, to: body.start, staff: user.login)
        await dependencies.record("reservation.changed", actor: user.login, target: found.code, address: context.clientAddress,
                                  detail: "\(found.start) → \(changed.start)", logger: context.logger)
        return try JSONIO.response(changed)
    }

    @Sendable func counts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageReservations)
        let query = try ReservationSearch.query(request.uri.queryParameters, user: user, layout: dependencies.layout.current)
        let byMonth = request.uri.queryParameters["period"] == "month"
        let today = CityCalendar.businessDate(of: dependencies.clock.now())
        let counts = try await service.store.counts(from: query.from ?? String(today.prefix(8)) + "01", through: query.through ?? "9999-12-31",
                                                     byMonth: byMonth, officeIDs: query.officeIDs)
        return try JSONIO.response(["counts": counts])
    }

    /// `POST /api/v1/staff/reservation-ids` with the CSV as the body (UTF-8 or Shift_JIS): all or nothing (R4).
    @Sendable func importIDs(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 32 * 1024 * 1024)
        let result = try await Self.importIDs(Data(buffer: body), context: context, dependencies: dependencies)
        return try JSONIO.response(["added": result.added, "updated": result.updated])
    }

    /// Imports a reservation-ID file for a user who manages reservations at every office it names.
    static func importIDs(_ data: Data, context: AppRequestContext, dependencies: WebDependencies) async throws -> (added: Int, updated: Int) {
        guard let service = dependencies.reservations else { throw APIError(.serviceUnavailable, code: "reservations_unavailable", message: "予約の機能は使えません。") }
        let settings = dependencies.layout.current.reservations
        let user = try context.require(.manageReservations)
        guard let text = TextFile.decode(data) else {
            throw APIError(.unprocessableContent, code: "invalid_encoding", message: "ファイルの文字コードは UTF-8 か Shift_JIS にしてください。")
        }
        switch ReservationIDImport.parse(text, knownOfficeCodes: settings.knownOfficeCodes) {
        case .failure(let rejected):
            throw ImportRejected(faults: rejected.faults)
        case .success(let ids):
            for officeID in Set(ids.compactMap { settings.officeID(ofCode: $0.officeCode) }) { _ = try context.require(.manageReservations, at: officeID) }
            // The IDs already registered must belong to the user's offices too, not only the ones the file names.
            let ownCodes = Set(settings.officeCodes.filter { user.may(.manageReservations, at: $0.officeID) }.map(\.code))
            let everyOffice = settings.officeCodes.allSatisfy { user.may(.manageReservations, at: $0.officeID) }
            let result = try await service.store.importIDs(ids, at: dependencies.clock.now(), replaceableOfficeCodes: everyOffice ? nil : ownCodes)
            await dependencies.record("reservation_ids.imported", actor: user.login, target: "\(ids.count)件", address: context.clientAddress,
                                      detail: "追加 \(result.added) 件・更新 \(result.updated) 件", logger: context.logger)
            return result
        }
    }

    /// `POST /api/v1/staff/reservation-ids/delete` with one reservation ID per line: their bookings and the IDs go.
    @Sendable func deleteIDs(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 8 * 1024 * 1024)
        let deleted = try await Self.deleteIDs(Data(buffer: body), context: context, dependencies: dependencies)
        return try JSONIO.response(["deleted": deleted])
    }

    static func deleteIDs(_ data: Data, context: AppRequestContext, dependencies: WebDependencies) async throws -> Int {
        guard let service = dependencies.reservations else { throw APIError(.serviceUnavailable, code: "reservations_unavailable", message: "予約の機能は使えません。") }
        // Deleting on the city's instruction spans offices: only a city-wide role may.
        let user = try context.require(.configureCity)
        guard let text = TextFile.decode(data) else {
            throw APIError(.unprocessableContent, code: "invalid_encoding", message: "ファイルの文字コードは UTF-8 か Shift_JIS にしてください。")
        }
        var ids: [String] = [], faults: [ReservationIDImport.Fault] = []
        for (index, line) in text.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let id = (line.split(separator: ",").first.map(String.init) ?? "").trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            if id.isEmpty || (index == 0 && id.contains("予約")) { continue }
            if id.count == 8, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { ids.append(id) } else {
                faults.append(ReservationIDImport.Fault(line: index + 1, column: 1, message: "予約番号「\(id)」は英数字8桁ではありません。"))
            }
        }
        if !faults.isEmpty { throw ImportRejected(faults: faults) }
        if ids.isEmpty { throw ImportRejected(faults: [ReservationIDImport.Fault(line: 1, column: 1, message: "予約番号が1件もありません。")]) }
        let deleted = try await service.store.deleteData(ofIDs: ids, at: dependencies.clock.now())
        await dependencies.record("reservation_ids.deleted", actor: user.login, target: "\(ids.count)件", address: context.clientAddress,
                                  detail: "削除 \(deleted) 件: " + ids.prefix(50).joined(separator: ","), logger: context.logger)
        return deleted
    }
}

/// A file a person uploads: UTF-8 (with or without BOM), else Shift_JIS as Excel writes it in Japan.
enum TextFile {
    static func decode(_ data: Data) -> String? {
        if let text = String(data: data, encoding: .utf8) { return text }
        return String(data: data, encoding: .shiftJIS)
    }
}

/// 422 `invalid_file` with each fault's line and column.
struct ImportRejected: HTTPResponseError {
    let faults: [ReservationIDImport.Fault]
    var status: HTTPResponse.Status { .unprocessableContent }

    struct Envelope: Encodable {
        struct Detail: Encodable { let code: String; let message: String; let faults: [ReservationIDImport.Fault] }
        let error: Detail
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let message = "ファイルに誤りがあるため、何も登録していません（\(faults.count)件）。" + faults.prefix(20).map(\.description).joined(separator: " / ")
        return try JSONIO.response(Envelope(error: .init(code: "invalid_file", message: message, faults: faults)), status: .unprocessableContent)
    }
}

/// The back office's filters and exports, shared by the API and `/staff/reservations`.
enum ReservationSearch {
    static func query(_ parameters: Parameters, user: StaffUser, layout: OfficeLayout, permission: Permission = .manageReservations) throws -> ReservationQuery {
        func value(_ name: String) -> String? { parameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let allowed = user.offices(for: permission, among: layout.offices.map(\.id))
        var offices = allowed
        if let office = value("office") {
            guard layout.office(office) != nil else { throw DomainError.officeNotFound(office) }
            guard allowed.contains(office) else { throw APIError.forbidden }
            offices = [office]
        }
        var from = value("from"), through = value("to")
        if let year = value("fiscal_year").flatMap(Int.init) {
            let range = FiscalYear.range(year)
            (from, through) = (range.from, range.to)
        }
        for date in [from, through].compactMap({ $0 }) where CityCalendar.date(ofBusinessDay: date) == nil {
            throw APIError(.unprocessableContent, code: "invalid_parameter", message: "日付「\(date)」は YYYY-MM-DD の実在する日付で指定してください。")
        }
        var statuses: [Reservation.Status] = []
        for name in (value("status") ?? "").split(separator: ",") + parameters.getAll("statuses").map { Substring($0) } {
            guard let status = Reservation.Status(rawValue: String(name)) else {
                throw APIError(.unprocessableContent, code: "invalid_parameter",
                               message: "status は \(Reservation.Status.allCases.map(\.rawValue).joined(separator: ", ")) です。")
            }
            statuses.append(status)
        }
        guard let sort = ReservationQuery.Sort(rawValue: value("sort") ?? "start") else {
            throw APIError(.unprocessableContent, code: "invalid_parameter", message: "sort は start, created, code, status のいずれかです。")
        }
        return ReservationQuery(officeIDs: offices, procedureID: value("procedure"), from: from, through: through, statuses: statuses,
                                text: value("q"), sort: sort, limit: min(value("limit").flatMap(Int.init) ?? 1000, 100_000))
    }

    /// Columns of CSV and xlsx exports (`columns=code,date,…`).
    enum Column: String, CaseIterable, Sendable {
        case code, procedure, office, date, time, status, reservationId, phone, email, bookedBy, createdAt, cancelledAt, cancelReason
        case checkedInAt, ticketNumber

        var japaneseName: String {
            switch self {
            case .code: "予約コード"
            case .procedure: "手続き"
            case .office: "窓口"
            case .date: "予約日"
            case .time: "時刻"
            case .status: "状態"
            case .reservationId: "予約番号"
            case .phone: "電話番号"
            case .email: "メールアドレス"
            case .bookedBy: "予約経路"
            case .createdAt: "予約日時"
            case .cancelledAt: "取消日時"
            case .cancelReason: "取消理由"
            case .checkedInAt: "受付日時"
            case .ticketNumber: "番号札"
            }
        }

        func value(_ r: Reservation, layout: OfficeLayout) -> String {
            func time(_ date: Date?) -> String { date.map { ClockText.dateTime($0) } ?? "" }
            switch self {
            case .code: return r.code
            case .procedure: return layout.reservations.procedure(r.procedureID)?.name ?? r.procedureID
            case .office: return layout.office(r.officeID)?.name ?? r.officeID
            case .date: return r.start.date
            case .time: return r.start.clockText
            case .status: return r.status.japanese
            case .reservationId: return r.reservationID ?? ""
            case .phone: return r.phone ?? (r.contactErased ? "（消去済）" : "")
            case .email: return r.email ?? (r.contactErased ? "（消去済）" : "")
            case .bookedBy: return r.bookedBy == "web" ? "ウェブ" : "職員（\(r.bookedBy)）"
            case .createdAt: return time(r.createdAt)
            case .cancelledAt: return time(r.cancelledAt)
            case .cancelReason: return r.cancelReason ?? ""
            case .checkedInAt: return time(r.checkedInAt)
            case .ticketNumber: return r.ticketNumber ?? ""
            }
        }

        static let standard: [Column] = [.code, .procedure, .office, .date, .time, .status, .reservationId, .phone, .email, .bookedBy, .cancelReason]
    }

    static func columns(_ parameters: Parameters) throws -> [Column] {
        let names = parameters["columns"].map { $0.split(separator: ",").map(String.init) } ?? parameters.getAll("column")
        guard !names.isEmpty else { return Column.standard }
        return try names.map { name in
            guard let column = Column(rawValue: name) else {
                throw APIError(.unprocessableContent, code: "invalid_parameter", message: "列「\(name)」はありません。")
            }
            return column
        }
    }

    static func export(_ found: [Reservation], columns: [Column], format: String, shiftJIS: Bool, layout: OfficeLayout) throws -> Response {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        let name = "madoguchi-reservations"
        switch format {
        case "csv":
            var text = CSVText.line(columns.map(\.japaneseName))
            for r in found { text += CSVText.line(columns.map { $0.value(r, layout: layout) }) }
            headers[.contentType] = shiftJIS ? "text/csv; charset=Shift_JIS" : "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(name).csv\""
            let bytes = shiftJIS ? ShiftJIS.encode(text) : [0xEF, 0xBB, 0xBF] + Array(text.utf8)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case "xlsx":
            let data = try SpreadsheetExport.workbook(title: "予約一覧", sheets: [
                SpreadsheetExport.Sheet(name: "予約", header: columns.map(\.japaneseName),
                                        rows: found.map { r in columns.map { .text($0.value(r, layout: layout)) } },
                                        widths: columns.map { [.procedure, .office, .email, .cancelReason].contains($0) ? 30 : 16 }),
            ])
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            headers[.contentDisposition] = "attachment; filename=\"\(name).xlsx\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
        default:
            throw APIError(.unprocessableContent, code: "invalid_parameter", message: "format は json, csv, xlsx のいずれかです。")
        }
    }
}
