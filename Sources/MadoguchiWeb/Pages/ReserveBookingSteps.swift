import Foundation
import Hummingbird
import MadoguchiCore

/// The steps of a booking: the calendar of a procedure, the reservation ID, the visitor's details, the confirmation
/// and the booking itself.
extension ReservePagesController {
    // MARK: /reserve/{procedure}: ID, office, month, times

    func procedure(_ context: AppRequestContext) throws -> ReservationProcedure {
        let id = try context.parameters.require("procedure")
        guard let procedure = dependencies.layout.current.reservations.procedure(id) else { throw ReservationRefusal.procedureNotFound }
        return procedure
    }

    /// The reservation ID the visitor entered, from its cookie.
    func enteredID(_ request: Request) async throws -> ImportedReservationID? {
        guard let text = request.cookies[Self.idCookie]?.value, ReservationIDImport.isReservationID(text) else { return nil }
        return try await service.rememberedID(text)
    }

    /// The booking a visitor proved their password for, from the signed cookie.
    func managed(_ request: Request) async throws -> Reservation? {
        guard let value = request.cookies[Self.manageCookie]?.value,
            let code = ManageToken.code(
                in: value, digest: dependencies.keyedDigest,
                now: dependencies.clock.now())
        else { return nil }
        return try await service.booking(code: code)
    }

    @Sendable func calendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let procedure = try procedure(context)
        let service = service
        let language = Self.language(request), lang = language.rawValue
        let layout = dependencies.layout.current
        let t = ReserveText.of(language)
        let query = request.uri.queryParameters
        let changing = query["change"] == "1"
        let base = SiteURL.reserveProcedure(.value(procedure.id))
        let errorCode = query["error"].map(String.init)
        let refusal = errorCode.flatMap(Self.refusal(code:))
        var model = model(
            request, heading: procedureName(procedure, request), path: base.path, extraQuery: Self.keep(query, ["office", "month", "date", "change"]),
            error: refusal)
        model.backHref = SiteURL.reserve.href(["lang": lang])

        var officeID = query["office"].map(String.init)
        if changing {
            guard let booking = try await managed(request), booking.procedureID == procedure.id else {
                return Self.redirect(SiteURL.reserveManage.href(["lang": lang]))
            }
            officeID = booking.officeID
            model.backHref = SiteURL.reserveManageBooking.href(["lang": lang])
        } else if procedure.requiresReservationID {
            guard let id = try await enteredID(request) else {
                model.showIDForm = true
                model.idAction = SiteURL.reserveID(.value(procedure.id)).path
                return try renderer.page("reserve", model)
            }
            let own = layout.reservations.officeID(ofCode: id.officeCode)
            if officeID == nil || (officeID != own && officeID != procedure.saturdayOfficeID) { officeID = own }
            if let saturday = procedure.saturdayOfficeID, saturday != officeID, let name = layout.office(saturday)?.name(in: Self.language(request)) {
                model.saturday = [
                    Link(
                        href: base.href(["office": saturday, "lang": lang]), label: t.saturdayNote.replacingOccurrences(of: "{office}", with: name), detail: "")
                ]
            } else if let own, own != officeID, let name = layout.office(own)?.name(in: Self.language(request)) {
                model.saturday = [Link(href: base.href(["office": own, "lang": lang]), label: name, detail: "")]
            }
        } else if officeID == nil, procedure.offices.count == 1 {
            officeID = procedure.offices[0]
        }
        guard let officeID, procedure.offices.contains(officeID) else {
            model.offices = procedure.offices.map {
                Link(href: base.href(["office": $0, "lang": lang]), label: layout.officeName($0, in: Self.language(request)), detail: "")
            }
            return try renderer.page("reserve", model)
        }
        let officeName = layout.officeName(officeID, in: Self.language(request))
        let today = CityCalendar.businessDate(of: dependencies.clock.now())
        let date = query["date"].map(String.init).flatMap { CityCalendar.date(ofBusinessDay: $0) == nil ? nil : $0 }
        let month =
            query["month"].map(String.init).flatMap { JapaneseDate.days(ofMonth: $0).isEmpty ? nil : $0 }
            ?? date.map(JapaneseDate.month) ?? JapaneseDate.month(today)
        let marks = try await service.dayMarks(procedureID: procedure.id, officeID: officeID, month: month)
        // The calendar's links keep the office, the change flow and the language.
        func flow(_ extra: KeyValuePairs<String, String?>.Element, fragment: String? = nil) -> String {
            base.href(["office": officeID, "change": changing ? "1" : nil, "lang": lang, extra.key: extra.value], fragment: fragment)
        }
        let firstWeekday = JapaneseDate.weekday(month + "-01")
        var cells = Array(repeating: Cell(day: "", mark: "", label: "", href: "", bookable: false, blank: true, selected: false), count: firstWeekday - 1)
        for (day, mark) in marks {
            let markIndex = mark == .free ? 0 : mark == .few ? 1 : 2
            cells.append(
                Cell(
                    day: String(Int(day.suffix(2)) ?? 0), mark: mark.rawValue,
                    label: "\(t.date(day)) \(t.markNames[markIndex])", href: flow(("date", day), fragment: "times"),
                    bookable: mark != .full, blank: false, selected: day == date))
        }
        while cells.count % 7 != 0 { cells.append(Cell(day: "", mark: "", label: "", href: "", bookable: false, blank: true, selected: false)) }
        model.summary = [Summary(procedure: procedureName(procedure, request), office: officeName, date: "")]
        model.calendar = [
            Calendar(
                caption: t.month(month), weekdays: t.weekdays,
                weeks: stride(from: 0, to: cells.count, by: 7).map { Week(cells: Array(cells[$0..<$0 + 7])) },
                previousHref: flow(("month", JapaneseDate.month(month, adding: -1))), nextHref: flow(("month", JapaneseDate.month(month, adding: 1))),
                hasPrevious: month > JapaneseDate.month(today))
        ]
        if let date {
            let slots = try await service.slotMarks(procedureID: procedure.id, officeID: officeID, date: date)
            model.showTimes = true
            model.timesHeading = "\(t.date(date)) \(t.chooseTime)"
            model.times = slots.filter { $0.mark != .full }.map { slot, mark in
                let markIndex = mark == .free ? 0 : 1
                let label = "\(slot.start.clockText) \(mark.rawValue)"
                guard !changing else {
                    return TimeChoice(
                        href: SiteURL.reserveManageChange.href(["start": slot.start.description, "lang": lang]), label: label,
                        detail: t.markNames[markIndex], isForm: false, action: "", fields: [])
                }
                return TimeChoice(
                    href: "", label: label, detail: t.markNames[markIndex], isForm: true, action: SiteURL.reserveDetails(.value(procedure.id)).path,
                    fields: [
                        Field(name: "office", value: officeID), Field(name: "start", value: slot.start.description),
                        Field(name: "lang", value: lang)
                    ])
            }
            model.noTimes = model.times.isEmpty
        }
        return try renderer.page("reserve", model)
    }

    /// Query parameters carried into the language links.
    static func keep(_ query: Parameters, _ names: [String]) -> String {
        names.compactMap { name in query[Substring(name)].map { "&\(name)=\($0)" } }.joined()
    }

    static func refusal(code: String) -> ReservationRefusal? {
        switch code {
        case "slot_full": .slotFull
        case "id_already_booked": .idAlreadyBooked
        case "wrong_office": .wrongOffice
        case "unknown_id": .unknownID
        case "too_many_attempts": .tooManyAttempts
        case "no_such_slot": .noSuchSlot
        case "outside_window": .outsideWindow("この日時は現在予約できません。")
        case "change_closed": .changeClosed
        default: nil
        }
    }

    static func redirect(_ location: String, cookie: Cookie? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if let cookie { response.setCookie(cookie) }
        return response
    }

    struct IDForm: Decodable { let reservationId: String?; let lang: String? }

    @Sendable func enterID(_ request: Request, context: AppRequestContext) async throws -> Response {
        let procedure = try procedure(context)
        let form = try await URLEncodedFormDecoder().decode(IDForm.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let lang = form.lang.flatMap(Language.init(tag:))?.rawValue ?? "ja"
        let id = (form.reservationId ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let imported: ImportedReservationID?
        do {
            imported = try await service.enteredID(id, client: context.clientAddress)
        } catch let refusal as ReservationRefusal {
            return Self.redirect(SiteURL.reserveProcedure(.value(procedure.id)).href(["lang": lang, "error": refusal.code]))
        }
        guard let imported else { return Self.redirect(SiteURL.reserveProcedure(.value(procedure.id)).href(["lang": lang, "error": "unknown_id"])) }
        let office = dependencies.layout.current.reservations.officeID(ofCode: imported.officeCode) ?? ""
        return Self.redirect(
            SiteURL.reserveProcedure(.value(procedure.id)).href(["office": office, "lang": lang]),
            cookie: Cookie(
                name: Self.idCookie, value: id, maxAge: 3600, path: "/reserve", secure: secureCookies, httpOnly: true,
                sameSite: .lax))
    }

    // MARK: Details, confirmation, booking

    func detailsModel(
        _ request: Request, procedure: ReservationProcedure, office: String, start: SlotTime, form: BookingSubmission?,
        error: ReservationRefusal? = nil, errorText: String = "", hold: String? = nil,
        faults: [FieldFault] = []
    ) async throws -> Model {
        let language = Self.language(request)
        let layout = dependencies.layout.current
        var model = model(
            request, heading: procedureName(procedure, request), path: "/reserve/\(procedure.id)/details",
            extraQuery: "&office=\(office)&start=\(start.description)", error: error, errorText: errorText)
        let id = procedure.requiresReservationID ? try await enteredID(request) : nil
        model.summary = [
            Summary(
                procedure: procedureName(procedure, request), office: layout.officeName(office, in: Self.language(request)),
                date: "\(ReserveText.of(Self.language(request)).date(start.date)) \(start.clockText)")
        ]
        model.backHref = SiteURL.reserveProcedure(.value(procedure.id)).href(
            ["office": office, "date": start.date, "lang": language.rawValue], fragment: "times")
        let fault = { (field: String) in faults.first { $0.field == field }?.message ?? "" }
        model.faults = faults
        model.details = [
            Details(
                action: SiteURL.reserveConfirm(.value(procedure.id)).path, needsBirthDate: id?.birthDate != nil, birthDate: form?.birthDate ?? "",
                phone: form?.phone ?? "", email: form?.email ?? "",
                birthDateError: fault("birthDate"), phoneError: fault("phone"), emailError: fault("email"), passwordError: fault("password"),
                passwordAgainError: fault("passwordAgain"),
                hidden: [
                    Field(name: "office", value: office), Field(name: "start", value: start.description), Field(name: "lang", value: language.rawValue),
                    Field(name: "hold", value: hold ?? form?.hold ?? "")
                ],
                reservationID: id?.id ?? "", hasReservationID: id != nil)
        ]
        return model
    }

    /// The details form for a time reached by its address (a bookmark, the back button): shown, nothing held. Only
    /// choosing the time (`chooseTime`, a POST) holds a seat, so link prefetchers and crawlers hold none.
    @Sendable func details(_ request: Request, context: AppRequestContext) async throws -> Response {
        let procedure = try procedure(context)
        let lang = Self.language(request).rawValue
        guard let office = request.uri.queryParameters["office"].map(String.init),
            let start = request.uri.queryParameters["start"].flatMap({ SlotTime(parsing: String($0)) })
        else { return Self.redirect(SiteURL.reserveProcedure(.value(procedure.id)).href(["lang": lang])) }
        if procedure.requiresReservationID, try await enteredID(request) == nil {
            return Self.redirect(SiteURL.reserveProcedure(.value(procedure.id)).href(["lang": lang]))
        }
        return try renderer.page("reserve", try await detailsModel(request, procedure: procedure, office: office, start: start, form: nil))
    }

    struct TimeForm: Decodable { let office: String; let start: String; let lang: String? }

    /// The visitor chose a time: its seat is held while they fill in the form (R5).
    @Sendable func chooseTime(_ request: Request, context: AppRequestContext) async throws -> Response {
        let procedure = try procedure(context)
        let form = try await URLEncodedFormDecoder().decode(TimeForm.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let request = Self.withLanguage(request, form.lang)
        let lang = Self.language(request).rawValue
        let office = form.office
        guard let start = SlotTime(parsing: form.start) else { return Self.redirect(SiteURL.reserveProcedure(.value(procedure.id)).href(["lang": lang])) }
        if procedure.requiresReservationID, try await enteredID(request) == nil {
            return Self.redirect(SiteURL.reserveProcedure(.value(procedure.id)).href(["lang": lang]))
        }
        // The chosen time is held at once (R5); a time chosen earlier in this browser is given back.
        let previous = request.cookies[Self.holdCookie]?.value
        do {
            try await holdLimiter.admit(context.clientAddress, at: dependencies.clock.now())
        } catch {
            // Too many holds from this address: the form still works; the seat is taken when the booking is made.
            return try renderer.page("reserve", try await detailsModel(request, procedure: procedure, office: office, start: start, form: nil))
        }
        let held: (code: String, until: Date)
        do {
            held = try await service.hold(procedureID: procedure.id, officeID: office, start: start.description)
        } catch let refusal as ReservationRefusal {
            return Self.redirect(
                SiteURL.reserveProcedure(.value(procedure.id)).href(
                    ["office": office, "date": start.date, "lang": lang, "error": refusal.code], fragment: "times"))
        }
        if let previous { try await service.releaseHold(code: previous) }
        var model = try await detailsModel(request, procedure: procedure, office: office, start: start, form: nil, hold: held.code)
        let t = ReserveText.of(Self.language(request))
        model = Self.with(notice: t.heldNotice.replacingOccurrences(of: "{time}", with: ClockText.hoursMinutes(held.until)), model)
        var response = try renderer.page("reserve", model)
        response.setCookie(
            Cookie(
                name: Self.holdCookie, value: held.code, maxAge: 3600, path: "/reserve", secure: secureCookies, httpOnly: true,
                sameSite: .lax))
        return response
    }

    static func with(notice: String, _ model: Model) -> Model {
        var copy = model
        copy.notice = notice
        copy.hasNotice = !notice.isEmpty
        return copy
    }

    /// Checks what was typed without booking; the confirmation page carries it on in hidden fields.
    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let procedure = try procedure(context)
        let form = try await URLEncodedFormDecoder().decode(BookingSubmission.self, from: String(buffer: try await request.body.collect(upTo: 8192)))
        guard let start = SlotTime(parsing: form.start) else { throw ReservationRefusal.noSuchSlot }
        let request = Self.withLanguage(request, form.language)
        let t = ReserveText.of(Self.language(request))
        // Every field is checked and every fault shown at once, each beside its field; what was typed stays.
        var faults: [FieldFault] = []
        func check(_ rule: () throws -> Void) {
            do { try rule() } catch let refusal as ReservationRefusal {
                if case .invalidField(let field, _) = refusal { faults.append(FieldFault(field: field, message: t.message(refusal))) }
            } catch {}
        }
        var birthDate = form.birthDate
        if procedure.requiresReservationID, try await enteredID(request)?.birthDate != nil {
            check { birthDate = try ContactRules.birthDate(form.birthDate ?? "", today: CityCalendar.businessDate(of: dependencies.clock.now())) }
        }
        check { _ = try ContactRules.phone(form.phone ?? "") }
        check { _ = try ContactRules.email(form.email ?? "", required: true) }
        check { _ = try ContactRules.password(form.password ?? "", required: true) }
        if !faults.contains(where: { $0.field == "password" }), form.password != form.passwordAgain {
            faults.append(FieldFault(field: "passwordAgain", message: t.passwordsDiffer))
        }
        guard faults.isEmpty else {
            return try renderer.page(
                "reserve",
                try await detailsModel(
                    request, procedure: procedure, office: form.office, start: start, form: form,
                    faults: faults))
        }
        var model = try await detailsModel(request, procedure: procedure, office: form.office, start: start, form: form)
        let first = model.details[0]
        model.details = []
        model.backHref = SiteURL.reserveDetails(.value(procedure.id)).href([
            "office": form.office, "start": start.description, "lang": Self.language(request).rawValue
        ])
        model.confirm = [
            Details(
                action: SiteURL.reserveBook(.value(procedure.id)).path, needsBirthDate: first.needsBirthDate, birthDate: birthDate ?? "",
                phone: form.phone ?? "", email: form.email ?? "",
                birthDateError: "", phoneError: "", emailError: "", passwordError: "", passwordAgainError: "",
                hidden: first.hidden + [
                    Field(name: "phone", value: form.phone ?? ""), Field(name: "email", value: form.email ?? ""),
                    Field(name: "password", value: form.password ?? ""), Field(name: "birthDate", value: birthDate ?? "")
                ],
                reservationID: first.reservationID, hasReservationID: first.hasReservationID)
        ]
        return try renderer.page("reserve", model)
    }

    @Sendable func book(_ request: Request, context: AppRequestContext) async throws -> Response {
        let procedure = try procedure(context)
        let form = try await URLEncodedFormDecoder().decode(BookingSubmission.self, from: String(buffer: try await request.body.collect(upTo: 8192)))
        guard let start = SlotTime(parsing: form.start) else { throw ReservationRefusal.noSuchSlot }
        let request = Self.withLanguage(request, form.language)
        let language = Self.language(request)
        let id = procedure.requiresReservationID ? try await enteredID(request) : nil
        do {
            var submission = form
            submission.start = start.description
            let booked = try await service.book(
                submission.request(procedureID: procedure.id, reservationID: .some(id?.id), language: language, client: context.clientAddress))
            dependencies.webAccess.count(.reservation, officeID: booked.officeID)
            var model = model(request, heading: ReserveText.of(language).doneHeading, path: "/reserve")
            model.summary = [
                Summary(
                    procedure: procedureName(procedure, request), office: dependencies.layout.current.officeName(booked.officeID, in: language),
                    date: "\(ReserveText.of(Self.language(request)).date(booked.start.date)) \(booked.start.clockText)")
            ]
            model.done = [bookingView(booked, language: language, canChange: true)]
            var response = try renderer.page("reserve", model)
            response.setCookie(Cookie(name: Self.idCookie, value: "", maxAge: 0, path: "/reserve", secure: secureCookies, httpOnly: true, sameSite: .lax))
            response.setCookie(Cookie(name: Self.holdCookie, value: "", maxAge: 0, path: "/reserve", secure: secureCookies, httpOnly: true, sameSite: .lax))
            return response
        } catch let refusal as ReservationRefusal {
            switch refusal {
            case .slotFull, .noSuchSlot, .outsideWindow:
                // Back to the day's times, which now show the slot as taken.
                return Self.redirect(
                    SiteURL.reserveProcedure(.value(procedure.id)).href(
                        ["office": form.office, "date": start.date, "lang": language.rawValue, "error": refusal.code], fragment: "times"))
            default:
                return try renderer.page(
                    "reserve",
                    try await detailsModel(
                        request, procedure: procedure, office: form.office, start: start, form: form,
                        error: refusal))
            }
        }
    }

    /// The request as if `?lang=` named the form's language (forms post it in a hidden field).
    static func withLanguage(_ request: Request, _ tag: String?) -> Request {
        guard let tag, let language = Language(tag: tag) else { return request }
        var head = request.head
        head.path = request.uri.path + "?lang=\(language.rawValue)"
        return Request(head: head, body: request.body)
    }
}
