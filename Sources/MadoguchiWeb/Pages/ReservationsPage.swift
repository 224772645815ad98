import Foundation
import Hummingbird
import MadoguchiCore

/// `/staff/reservations` (R8, R10): today's bookings to check in (消し込み: a priority ticket into the live queue),
/// search, sort and filter, cancellations with their reason, bookings for callers (also without an ID), counts per
/// day or month, CSV and Excel exports with chosen columns, fiscal-year extraction, and the ID files (import, and
/// deletion on the city's instruction). Counter staff see the check-in list only, without contact data.
struct ReservationsPageController {
    let dependencies: WebDependencies
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.staffReservations, use: page)
        router.post(SiteURL.staffReservationCheckIn(.key), use: checkIn)
        router.post(SiteURL.staffReservationCancel(.key), use: cancel)
        router.get(SiteURL.staffReservationsNew, use: newForm)
        router.post(SiteURL.staffReservationsNew, use: create)
    }

    var service: ReservationService { dependencies.visitors.reservations }

    struct Choice: Sendable { let value: String; let label: String; let selected: Bool }
    struct Row: Sendable {
        let code: String
        let date: String
        let time: String
        let procedure: String
        let office: String
        let reservationID: String
        let phone: String
        let email: String
        let status: String
        let statusClass: String
        let note: String
        let canCheckIn: Bool
        let canCancel: Bool
    }
    struct CountRow: Sendable {
        let period: String; let procedure: String; let office: String; let booked: Int; let checkedIn: Int; let cancelled: Int; let lapsed: Int
    }
    struct Model: Sendable {
        let nav: StaffNav
        let manage: Bool
        let offices: [Choice]
        let procedures: [Choice]
        let statuses: [Choice]
        let sorts: [Choice]
        let columns: [Choice]
        let from: String
        let to: String
        let fiscalYear: String
        let q: String
        let rows: [Row]
        let hasRows: Bool
        let counts: [CountRow]
        let hasCounts: Bool
        let countsByMonth: Bool
        let back: String
        let exportQuery: String
        let banner: Banner
        let canDeleteIDs: Bool
    }

    /// How far ahead the list looks when no period is asked for.
    static let upcomingDays = 92

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .checkInReservations)
        let manage = user.role.permissions.contains(.manageReservations)
        let layout = dependencies.layout.current
        let parameters = request.uri.queryParameters
        let today = CityCalendar.businessDate(of: dependencies.clock.now())
        var error = ""
        var query = ReservationQuery(officeIDs: [], from: today, through: JapaneseHolidays.adding(Self.upcomingDays, to: today))
        do {
            query = try ReservationSearch.query(parameters, user: user, layout: layout, permission: manage ? .manageReservations : .checkInReservations)
            if parameters["from"] == nil, parameters["fiscal_year"] == nil { query.from = today }
            // Upcoming bookings by default (today and the next three months), not today only: an empty list for
            // today read as 「ありません」 while bookings existed.
            if parameters["to"] == nil, parameters["fiscal_year"] == nil { query.through = JapaneseHolidays.adding(Self.upcomingDays, to: today) }
            if !manage { query.text = nil }
        } catch let failure as APIError where failure.status == .unprocessableContent {
            error = failure.message
        }
        let backOffice = dependencies.staff.reservations
        let found = try await backOffice.search(query, by: context.by(user), needs: manage ? .manageReservations : .checkInReservations)
        let byMonth = parameters["period"] == "month"
        let counts =
            manage
            ? try await backOffice.counts(
                from: query.from ?? today, through: query.through ?? today, byMonth: byMonth, officeIDs: query.officeIDs, by: context.by(user)) : []
        let procedureName = { (id: String) in layout.reservations.procedure(id)?.name ?? id }
        let rows = found.map { r in
            var note = r.cancelReason.map { "取消理由: \($0)（\(r.cancelledBy ?? "")）" } ?? ""
            if let number = r.ticketNumber { note = "番号札 \(number)" }
            if r.bookedBy != "web" { note += (note.isEmpty ? "" : "　") + "職員予約（\(r.bookedBy)）" }
            return Row(
                code: r.code, date: JapaneseDate.text(r.start.date), time: r.start.clockText, procedure: procedureName(r.procedureID),
                office: layout.office(r.officeID)?.name ?? r.officeID, reservationID: r.reservationID ?? "",
                phone: manage ? (r.phone ?? (r.contactErased ? "消去済" : "")) : "", email: manage ? (r.email ?? "") : "",
                status: r.status.japanese, statusClass: r.status.rawValue, note: note,
                canCheckIn: r.status == .booked && r.start.date == today && user.may(.checkInReservations, at: r.officeID),
                canCancel: manage && r.status == .booked && user.may(.manageReservations, at: r.officeID))
        }
        var items = URLComponents()
        items.queryItems = parameters.map { URLQueryItem(name: String($0.key), value: String($0.value)) }
            .filter { !["notice", "error", "format", "encoding", "column"].contains($0.name) }
        let back = SiteURL.staffReservations.path + (items.percentEncodedQuery.map { "?" + $0 } ?? "")
        let chosenStatuses = Set(query.statuses)
        let notice = parameters["notice"].map(String.init) ?? ""
        let pageError = error.isEmpty ? (parameters["error"].map(String.init) ?? "") : error
        let allowed = user.offices(for: manage ? .manageReservations : .checkInReservations, among: layout.offices.map(\.id))
        return try renderer.page(
            "staff-reservations",
            Model(
                nav: StaffNav(user: user, current: .staffReservations), manage: manage,
                offices: allowed.map { Choice(value: $0, label: layout.office($0)?.name ?? $0, selected: parameters["office"].map(String.init) == $0) },
                procedures: layout.reservations.procedures.map { Choice(value: $0.id, label: $0.name, selected: query.procedureID == $0.id) },
                statuses: Reservation.Status.allCases.map { Choice(value: $0.rawValue, label: $0.japanese, selected: chosenStatuses.contains($0)) },
                sorts: [("start", "予約日時順"), ("created", "受付の新しい順"), ("code", "予約コード順"), ("status", "状態順")].map {
                    Choice(value: $0.0, label: $0.1, selected: query.sort.rawValue == $0.0)
                },
                columns: ReservationSearch.Column.allCases.map {
                    Choice(value: $0.rawValue, label: $0.japaneseName, selected: ReservationSearch.Column.standard.contains($0))
                },
                from: query.from ?? "", to: query.through ?? "", fiscalYear: parameters["fiscal_year"].map(String.init) ?? "", q: query.text ?? "",
                rows: rows, hasRows: !rows.isEmpty,
                counts: counts.map {
                    CountRow(
                        period: $0.period, procedure: procedureName($0.procedureID), office: layout.office($0.officeID)?.name ?? $0.officeID,
                        booked: $0.booked, checkedIn: $0.checkedIn, cancelled: $0.cancelled, lapsed: $0.lapsed)
                },
                hasCounts: !counts.isEmpty, countsByMonth: byMonth, back: back,
                exportQuery: items.percentEncodedQuery ?? "", banner: Banner("reservations", notice: notice, error: pageError),
                canDeleteIDs: user.role.permissions.contains(.configureCity)))
    }

    /// Where to go back after a form: the list as it was filtered (only ever this page).
    static func back(_ fields: FormFields) -> String {
        let back = fields["back"]
        return back.hasPrefix(SiteURL.staffReservations.path) && !back.contains("//") ? back : SiteURL.staffReservations.path
    }

    static func redirect(_ back: String, _ key: String, _ message: String) -> Response {
        let separator = back.contains("?") ? "&" : "?"
        let text = message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return Response(status: .seeOther, headers: [.location: "\(back)\(separator)\(key)=\(text)"])
    }

    @Sendable func checkIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .checkInReservations)
        let fields = try FormFields(decoding: String(buffer: try await request.body.collect(upTo: 4096)))
        let code = try context.parameters.require("code")
        let backOffice = dependencies.staff.reservations
        _ = try await backOffice.reservation(code: code, by: context.by(user), needs: .checkInReservations)
        do {
            let (_, ticket) = try await backOffice.checkIn(code: code, by: context.by(user))
            return Self.redirect(Self.back(fields), "notice", "\(code) を受け付けました。番号札 \(ticket.displayNumber)（優先）を発券しました。")
        } catch let refusal as ReservationRefusal {
            return Self.redirect(Self.back(fields), "error", refusal.message)
        } catch let error as DomainError {
            return Self.redirect(Self.back(fields), "error", APIError(error).message)
        }
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .manageReservations)
        let fields = try FormFields(decoding: String(buffer: try await request.body.collect(upTo: 4096)))
        let code = try context.parameters.require("code")
        let backOffice = dependencies.staff.reservations
        _ = try await backOffice.reservation(code: code, by: context.by(user))
        do {
            _ = try await backOffice.cancel(code: code, reason: fields["reason"], by: context.by(user))
            return Self.redirect(Self.back(fields), "notice", "\(code) を取り消しました。")
        } catch let refusal as ReservationRefusal {
            return Self.redirect(Self.back(fields), "error", refusal.message)
        }
    }

    // MARK: Booking for a caller

    struct Slot: Sendable { let value: String; let label: String; let disabled: Bool; let checked: Bool }
    struct NewModel: Sendable {
        let nav: StaffNav
        let procedures: [Choice]
        let offices: [Choice]
        let date: String
        let slots: [Slot]
        let hasSlots: Bool
        let chosen: Bool
        let procedure: String
        let office: String
        let requiresID: Bool
        let reservationID: String
        let phone: String
        let email: String
        let banner: Banner
    }

    func newModel(_ user: StaffUser, context: AppRequestContext, parameters: [String: String], error: String = "") async throws -> NewModel {
        let layout = dependencies.layout.current
        let allowed = user.offices(for: .manageReservations, among: layout.offices.map(\.id))
        let procedureID = parameters["procedure"] ?? layout.reservations.procedures.first?.id ?? ""
        let procedure = layout.reservations.procedure(procedureID)
        let officeID =
            parameters["office"].flatMap { allowed.contains($0) && procedure?.offices.contains($0) == true ? $0 : nil }
            ?? procedure?.offices.first { allowed.contains($0) } ?? ""
        let today = CityCalendar.businessDate(of: dependencies.clock.now())
        let date = parameters["date"].flatMap { CityCalendar.date(ofBusinessDay: $0) == nil ? nil : $0 } ?? today
        var slots: [Slot] = []
        if let procedure, !officeID.isEmpty {
            let booked = try await dependencies.staff.reservations.bookedCounts(
                procedureID: procedure.id, officeID: officeID, date: date, by: context.by(user))
            let now = dependencies.clock.now()
            // Staff see the seats left; a slot already over is not offered.
            slots = ReservationRules(layout: layout).slots(procedure, officeID: officeID, date: date).map { slot in
                let left = slot.capacity - (booked[slot.start.description] ?? 0)
                let over = slot.start.instant.addingTimeInterval(Double(slot.minutes) * 60) <= now
                return Slot(
                    value: slot.start.description, label: "\(slot.start.clockText)（残り \(left) / \(slot.capacity)）", disabled: left <= 0 || over,
                    checked: parameters["start"] == slot.start.description)
            }
        }
        return NewModel(
            nav: StaffNav(user: user, current: .staffReservations),
            procedures: layout.reservations.procedures.map { Choice(value: $0.id, label: $0.name, selected: $0.id == procedureID) },
            offices: (procedure?.offices ?? []).filter(allowed.contains).map {
                Choice(value: $0, label: layout.office($0)?.name ?? $0, selected: $0 == officeID)
            },
            date: date, slots: slots, hasSlots: !slots.isEmpty, chosen: parameters["date"] != nil, procedure: procedureID, office: officeID,
            requiresID: procedure?.requiresReservationID ?? false, reservationID: parameters["reservationId"] ?? "", phone: parameters["phone"] ?? "",
            email: parameters["email"] ?? "", banner: Banner("new", error: error))
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .manageReservations)
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { parameters[String(key)] = String(value) }
        return try renderer.page("staff-reservation-new", try await newModel(user, context: context, parameters: parameters))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .manageReservations)
        let body = String(buffer: try await request.body.collect(upTo: 8192))
        let fields = try FormFields(decoding: body)
        let parameters = Dictionary(
            ["procedure", "office", "date", "start", "reservationId", "phone", "email"].map { ($0, fields[$0]) }, uniquingKeysWith: { a, _ in a })
        guard user.may(.manageReservations, at: fields["office"]) else { throw APIError.forbidden }
        do {
            let submission = try URLEncodedFormDecoder().decode(BookingSubmission.self, from: body)
            let booked = try await dependencies.staff.reservations.book(submission.request(), by: context.by(user))
            return Self.redirect(
                SiteURL.staffReservations.href(["q": booked.code, "from": booked.start.date, "to": booked.start.date]), "notice",
                "予約 \(booked.code)（\(JapaneseDate.text(booked.start.date)) \(booked.start.clockText)）を登録しました。")
        } catch let refusal as ReservationRefusal {
            return try renderer.page("staff-reservation-new", try await newModel(user, context: context, parameters: parameters, error: refusal.message))
        }
    }
}
