import Foundation
import Hummingbird
import MadoguchiCore

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

    var service: ReservationService { dependencies.visitors.reservations }

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
        return try JSONIO.response(
            layout.reservations.procedures.map { procedure in
                ProcedureView(
                    id: procedure.id, name: procedure.name(in: language), requiresReservationId: procedure.requiresReservationID,
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
        let service = service
        if let date = parameters["date"].map(String.init) {
            struct SlotView: Encodable { let start: String; let end: String; let mark: String }
            let marks = try await service.slotMarks(procedureID: procedure, officeID: office, date: date)
            return try JSONIO.response([
                "slots": marks.map {
                    SlotView(
                        start: $0.slot.start.isoText, end: SlotTime(date: date, minute: $0.slot.start.minute + $0.slot.minutes)?.isoText ?? "",
                        mark: $0.mark.rawValue)
                }
            ])
        }
        guard let month = parameters["month"].map(String.init) else {
            throw APIError(.badRequest, code: "missing_parameter", message: "month（YYYY-MM）または date（YYYY-MM-DD）を指定してください。")
        }
        struct DayView: Encodable { let date: String; let mark: String }
        let marks = try await service.dayMarks(procedureID: procedure, officeID: office, month: month)
        return try JSONIO.response(["days": marks.map { DayView(date: $0.date, mark: $0.mark.rawValue) }])
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
        let body = try await JSONIO.decode(BookingSubmission.self, from: request, context: context)
        _ = try body.requiredProcedure()
        let booked = try await service.book(body.request(client: context.clientAddress))
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
        let service = service
        _ = try await service.authenticate(codeOrID: code, password: body.password, client: context.clientAddress)
        let changed = try await service.change(code: code, to: body.start)
        return try JSONIO.response(VisitorView(changed, layout: dependencies.layout.current))
    }

    struct CancelBody: Decodable { let password: String }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code").uppercased()
        let body = try await JSONIO.decode(CancelBody.self, from: request, context: context)
        let service = service
        _ = try await service.authenticate(codeOrID: code, password: body.password, client: context.clientAddress)
        _ = try await service.cancel(code: code, reason: "")
        return Response(status: .noContent)
    }

    // MARK: Back office (R8)

    var backOffice: ReservationBackOffice { dependencies.staff.reservations }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageReservations)
        let query = try ReservationSearch.query(request.uri.queryParameters, user: user, layout: dependencies.layout.current)
        let format = request.query("format", default: "json")
        guard format == "json" else {
            let columns = try ReservationSearch.columns(request.uri.queryParameters)
            let found = try await backOffice.export(query, format: format, by: context.by(user))
            return try ReservationSearch.export(
                found, columns: columns, format: format,
                shiftJIS: request.uri.queryParameters["encoding"] == "shift_jis", layout: dependencies.layout.current)
        }
        return try JSONIO.response(["reservations": try await backOffice.search(query, by: context.by(user))])
    }

    @Sendable func bookForCaller(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONIO.decode(BookingSubmission.self, from: request, context: context)
        _ = try body.requiredProcedure()
        let user = try context.require(.manageReservations, at: body.office)
        let booked = try await backOffice.book(body.request(), by: context.by(user))
        return try JSONIO.response(booked, status: .created)
    }

    @Sendable func checkIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let user = try context.require(.checkInReservations)
        let (checkedIn, ticket) = try await backOffice.checkIn(code: code, by: context.by(user))
        struct Answer: Encodable { let reservation: Reservation; let ticket: TicketView? }
        return try JSONIO.response(Answer(reservation: checkedIn, ticket: dependencies.projection.ticketView(id: ticket.id)))
    }

    struct StaffCancelBody: Decodable { let reason: String? }

    @Sendable func cancelForCaller(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let body = try await JSONIO.decode(StaffCancelBody.self, from: request, context: context)
        let user = try context.require(.manageReservations)
        let cancelled = try await backOffice.cancel(code: code, reason: body.reason ?? "", by: context.by(user))
        return try JSONIO.response(cancelled)
    }

    struct StaffChangeBody: Decodable { let start: String }

    @Sendable func changeForCaller(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let body = try await JSONIO.decode(StaffChangeBody.self, from: request, context: context)
        let user = try context.require(.manageReservations)
        let changed = try await backOffice.change(code: code, to: body.start, by: context.by(user))
        return try JSONIO.response(changed)
    }

    @Sendable func counts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageReservations)
        let query = try ReservationSearch.query(request.uri.queryParameters, user: user, layout: dependencies.layout.current)
        let byMonth = request.uri.queryParameters["period"] == "month"
        let today = CityCalendar.businessDate(of: dependencies.clock.now())
        let counts = try await backOffice.counts(
            from: query.from ?? String(today.prefix(8)) + "01", through: query.through ?? "9999-12-31",
            byMonth: byMonth, officeIDs: query.officeIDs, by: context.by(user))
        return try JSONIO.response(["counts": counts])
    }

    /// `POST /api/v1/staff/reservation-ids` with the CSV as the body (UTF-8 or Shift_JIS): all or nothing (R4).
    @Sendable func importIDs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageReservations)
        var request = request
        let body = try await request.collectBody(upTo: 32 * 1024 * 1024)
        let result = try await dependencies.administration.reservationIDs.importFile(Data(buffer: body), by: .staff(user, address: context.clientAddress))
        return try JSONIO.response(["added": result.added, "updated": result.updated])
    }

    /// `POST /api/v1/staff/reservation-ids/delete` with one reservation ID per line: their bookings and the IDs go.
    @Sendable func deleteIDs(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Deleting on the city's instruction spans offices: only a city-wide role may.
        let user = try context.require(.configureCity)
        var request = request
        let body = try await request.collectBody(upTo: 8 * 1024 * 1024)
        let deleted = try await dependencies.administration.reservationIDs.deleteFile(Data(buffer: body), by: .staff(user, address: context.clientAddress))
        return try JSONIO.response(["deleted": deleted])
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
