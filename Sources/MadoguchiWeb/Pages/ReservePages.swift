import Foundation
import Hummingbird
import MadoguchiCore

/// The booking site (R2, R3, R4, R6): procedure → (reservation ID) → office → month of ○/△/× → times → details →
/// confirmation → booking code; and the visitor's own booking to change or cancel. Every step is a plain page and
/// form, complete without JavaScript. The state of the flow is in the address (procedure, office, month, date),
/// the reservation ID in a short-lived cookie, and a visitor who proved their password holds a signed cookie for
/// their booking only.
struct ReservePagesController {
    let dependencies: WebDependencies
    let renderer: PageRenderer
    let secureCookies: Bool
    let holdLimiter: RateLimiter

    static let idCookie = "reserve_id"
    static let manageCookie = "reserve_manage"
    /// The hold of the time the visitor last chose, released when they choose another.
    static let holdCookie = "reserve_hold"

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.reserve, use: home)
        router.get(SiteURL.reserveManage, use: manageForm)
        router.post(SiteURL.reserveManage, use: manageSignIn)
        router.get(SiteURL.reserveManageBooking, use: booking)
        router.get(SiteURL.reserveManageCancel, use: cancelConfirm)
        router.post(SiteURL.reserveManageCancel, use: cancel)
        router.get(SiteURL.reserveCalendar(.key), use: calendarFile)
        router.get(SiteURL.reserveManageChange, use: changeConfirm)
        router.post(SiteURL.reserveManageChange, use: change)
        router.get(SiteURL.reserveProcedure(.key), use: calendar)
        router.post(SiteURL.reserveID(.key), use: enterID)
        router.get(SiteURL.reserveDetails(.key), use: details)
        router.post(SiteURL.reserveDetails(.key), use: chooseTime)
        router.post(SiteURL.reserveConfirm(.key), use: confirm)
        router.post(SiteURL.reserveBook(.key), use: book)
    }

    var service: ReservationService { dependencies.visitors.reservations }

    // MARK: Model

    struct Link: Sendable { let href: String; let label: String; let detail: String }
    /// A time to choose: a button posting to the details step (choosing holds a seat, so it is never a plain link a
    /// prefetcher could follow), or a link when changing a booking.
    struct TimeChoice: Sendable {
        let href: String; let label: String; let detail: String
        let isForm: Bool; let action: String; let fields: [Field]
    }
    struct Cell: Sendable { let day: String; let mark: String; let label: String; let href: String; let bookable: Bool; let blank: Bool; let selected: Bool }
    struct Week: Sendable { let cells: [Cell] }
    struct Calendar: Sendable {
        let caption: String
        let weekdays: [String]
        let weeks: [Week]
        let previousHref: String
        let nextHref: String
        let hasPrevious: Bool
    }
    struct Field: Sendable { let name: String; let value: String }
    struct Summary: Sendable {
        let procedure: String
        let office: String
        let date: String
        let hasOffice: Bool
        let hasDate: Bool
        /// On a change: the booking's time before it, shown beside the new one.
        let previousDate: String
        let hasPreviousDate: Bool
        init(procedure: String, office: String, date: String, previousDate: String = "") {
            self.procedure = procedure
            self.office = office
            self.date = date
            hasOffice = !office.isEmpty
            hasDate = !date.isEmpty
            self.previousDate = previousDate
            hasPreviousDate = !previousDate.isEmpty
        }
    }
    /// A fault of one field: shown beside it and, linked, in the summary above the form (the GOV.UK pattern).
    struct FieldFault: Sendable {
        let field: String
        let message: String
        var href: String { "#\(ReservePagesController.inputID(field))" }
    }
    struct Details: Sendable {
        let action: String
        let needsBirthDate: Bool
        let birthDate: String
        let phone: String
        let email: String
        let birthDateError: String
        let phoneError: String
        let emailError: String
        let passwordError: String
        let passwordAgainError: String
        let hidden: [Field]
        let reservationID: String
        let hasReservationID: Bool
    }
    struct Booking: Sendable {
        let code: String
        let reservationID: String
        let hasReservationID: Bool
        let canChange: Bool
        let changeHref: String
        let bring: [String]
        let hasBring: Bool
        let calendarHref: String
    }
    struct Model: Sendable {
        let chrome: PublicPagesController.Chrome
        let t: ReserveText
        let b: BookingText
        let lang: String
        let heading: String
        let error: String
        let hasError: Bool
        let errorField: String
        var notice: String
        var hasNotice: Bool
        var intro = false
        var procedures: [Link] = []
        var showIDForm = false
        var idAction = ""
        var offices: [Link] = [] { didSet { hasOffices = !offices.isEmpty } }
        var hasOffices = false
        var saturday: [Link] = []
        var calendar: [Calendar] = []
        var timesHeading = ""
        var times: [TimeChoice] = []
        var showTimes = false
        var noTimes = false
        var summary: [Summary] = []
        var details: [Details] = []
        var confirm: [Details] = []
        var done: [Booking] = []
        var manageForm = false
        var booking: [Booking] = []
        var cancelConfirm = false
        var changeConfirm: [Field] = [] { didSet { hasChangeConfirm = !changeConfirm.isEmpty } }
        var hasChangeConfirm = false
        var backHref = "" { didSet { hasBack = !backHref.isEmpty } }
        var hasBack = false
        var faults: [FieldFault] = [] { didSet { hasFaults = !faults.isEmpty } }
        var hasFaults = false
    }

    /// The input's id on the page for a form field's name.
    static func inputID(_ field: String) -> String {
        ["birthDate": "birth-date", "passwordAgain": "password-again"][field] ?? field
    }

    func model(
        _ request: Request, heading: String, path: String, extraQuery: String = "", error: ReservationRefusal? = nil, errorText: String = "",
        notice: String = ""
    ) -> Model {
        let language = PublicPagesController.language(of: request)
        let t = ReserveText.of(language)
        let message = error.map(t.message) ?? errorText
        let field: String = if case .invalidField(let name, _) = error { name } else { "" }
        return Model(
            chrome: PublicPagesController.chrome(
                language, path: path, extraQuery: extraQuery, asOf: dependencies.clock.now(),
                city: dependencies.layout.current.city),
            t: t, b: BookingText.of(language), lang: language.rawValue, heading: heading, error: message, hasError: !message.isEmpty, errorField: field,
            notice: notice,
            hasNotice: !notice.isEmpty)
    }

    static func language(_ request: Request) -> Language { PublicPagesController.language(of: request) }

    /// A booking as the visitor sees it after booking and when managing it: what to bring and a calendar file.
    func bookingView(_ reservation: Reservation, language: Language, canChange: Bool) -> Booking {
        let procedure = dependencies.layout.current.reservations.procedure(reservation.procedureID)
        let bring = procedure?.bringList(in: language) ?? []
        return Booking(
            code: reservation.code, reservationID: reservation.reservationID ?? "", hasReservationID: reservation.reservationID != nil,
            canChange: canChange, changeHref: SiteURL.reserveProcedure(.value(reservation.procedureID)).href(["change": "1", "lang": language.rawValue]),
            bring: bring, hasBring: !bring.isEmpty,
            calendarHref: SiteURL.reserveCalendar(.value(reservation.code)).href([
                "k": Self.calendarKey(reservation.code, dependencies.keyedDigest), "lang": language.rawValue
            ]))
    }

    /// The calendar link carries a keyed digest of the code: the code alone must not be enough to read a booking's
    /// time and place (codes are short, and the manage pages ask for the password too).
    static func calendarKey(_ code: String, _ digest: any KeyedDigest) -> String { digest.digest("reserve-calendar:\(code)") }

    func procedureName(_ procedure: ReservationProcedure, _ request: Request) -> String { procedure.name(in: Self.language(request)) }

    // MARK: /reserve

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let settings = dependencies.layout.current.reservations
        let language = Self.language(request)
        dependencies.webAccess.count(.reserve)
        var model = model(request, heading: ReserveText.of(language).title, path: "/reserve")
        model.intro = true
        model.procedures = settings.procedures.map {
            Link(href: SiteURL.reserveProcedure(.value($0.id)).href(["lang": language.rawValue]), label: $0.name(in: language), detail: "")
        }
        return try renderer.page("reserve", model)
    }

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

    // MARK: Managing one's own booking

    @Sendable func manageForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let t = ReserveText.of(Self.language(request))
        let notice = request.uri.queryParameters["notice"] == "cancelled" ? t.cancelledNotice : ""
        var model = model(
            request, heading: t.manageHeading, path: "/reserve/manage",
            error: request.uri.queryParameters["error"].flatMap { code in
                code == "reservation_locked" ? ReservationRefusal.locked : code == "wrong_password" ? .wrongPassword : nil
            }, notice: notice)
        model.manageForm = true
        model.backHref = SiteURL.reserve.href(["lang": model.lang])
        return try renderer.page("reserve", model)
    }

    struct ManageForm: Decodable { let key: String?; let password: String?; let lang: String? }

    @Sendable func manageSignIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await URLEncodedFormDecoder().decode(ManageForm.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let lang = form.lang.flatMap(Language.init(tag:))?.rawValue ?? "ja"
        do {
            let found = try await service.authenticate(codeOrID: form.key ?? "", password: form.password ?? "", client: context.clientAddress)
            let token = ManageToken.make(code: found.code, digest: dependencies.keyedDigest, now: dependencies.clock.now())
            return Self.redirect(
                SiteURL.reserveManageBooking.href(["lang": lang]),
                cookie: Cookie(
                    name: Self.manageCookie, value: token, maxAge: 1800, path: "/reserve", secure: secureCookies, httpOnly: true,
                    sameSite: .strict))
        } catch let refusal as ReservationRefusal {
            return Self.redirect(SiteURL.reserveManage.href(["lang": lang, "error": refusal == .locked ? "reservation_locked" : "wrong_password"]))
        }
    }

    @Sendable func booking(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = Self.language(request), lang = language.rawValue
        let t = ReserveText.of(language)
        guard let found = try await managed(request) else { return Self.redirect(SiteURL.reserveManage.href(["lang": lang])) }
        let layout = dependencies.layout.current
        let notice = request.uri.queryParameters["notice"] == "changed" ? t.changedNotice : ""
        var model = model(
            request, heading: t.bookingHeading, path: "/reserve/manage/booking",
            error: request.uri.queryParameters["error"].flatMap { Self.refusal(code: String($0)) }, notice: notice)
        let procedure = layout.reservations.procedure(found.procedureID)
        model.summary = [
            Summary(
                procedure: procedure?.name(in: language) ?? found.procedureID, office: layout.officeName(found.officeID, in: language),
                date: "\(ReserveText.of(Self.language(request)).date(found.start.date)) \(found.start.clockText)")
        ]
        let open =
            found.status == .booked
            && procedure.map {
                ReservationRules(layout: layout).changeOpen($0, officeID: found.officeID, start: found.start, now: dependencies.clock.now())
            } ?? false
        model.booking = [bookingView(found, language: language, canChange: open)]
        if found.status != .booked {
            model = self.model(request, heading: t.bookingHeading, path: "/reserve/manage/booking", error: .notActive)
            model.backHref = SiteURL.reserve.href(["lang": lang])
        } else if !open {
            model = self.model(request, heading: t.bookingHeading, path: "/reserve/manage/booking", errorText: t.changeClosed)
            model.summary = [
                Summary(
                    procedure: procedure?.name(in: language) ?? found.procedureID, office: layout.officeName(found.officeID, in: language),
                    date: "\(ReserveText.of(Self.language(request)).date(found.start.date)) \(found.start.clockText)")
            ]
        }
        return try renderer.page("reserve", model)
    }

    struct CancelForm: Decodable { let lang: String?; let confirmed: String? }

    /// Cancelling asks once more, on a page of its own: a booking cancelled by a slip cannot be restored.
    @Sendable func cancelConfirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = Self.language(request), lang = language.rawValue
        let b = BookingText.of(language)
        guard let found = try await managed(request), found.status == .booked else { return Self.redirect(SiteURL.reserveManageBooking.href(["lang": lang])) }
        let layout = dependencies.layout.current
        var model = model(request, heading: b.cancelConfirmHeading, path: "/reserve/manage/cancel")
        model.summary = [
            Summary(
                procedure: layout.reservations.procedure(found.procedureID)?.name(in: language) ?? found.procedureID,
                office: layout.officeName(found.officeID, in: language),
                date: "\(ReserveText.of(language).date(found.start.date)) \(found.start.clockText)")
        ]
        model.cancelConfirm = true
        return try renderer.page("reserve", model)
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await URLEncodedFormDecoder().decode(CancelForm.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let lang = form.lang.flatMap(Language.init(tag:))?.rawValue ?? "ja"
        guard form.confirmed == "1" else { return Self.redirect(SiteURL.reserveManageCancel.href(["lang": lang])) }
        guard let found = try await managed(request) else { return Self.redirect(SiteURL.reserveManage.href(["lang": lang])) }
        do {
            _ = try await service.cancel(code: found.code, reason: "")
        } catch let refusal as ReservationRefusal {
            return Self.redirect(SiteURL.reserveManageBooking.href(["lang": lang, "error": refusal.code]))
        }
        return Self.redirect(
            SiteURL.reserveManage.href(["lang": lang, "notice": "cancelled"]),
            cookie: Cookie(name: Self.manageCookie, value: "", maxAge: 0, path: "/reserve", secure: secureCookies, httpOnly: true, sameSite: .strict))
    }

    @Sendable func changeConfirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = Self.language(request), lang = language.rawValue
        let t = ReserveText.of(language)
        guard let found = try await managed(request) else { return Self.redirect(SiteURL.reserveManage.href(["lang": lang])) }
        guard let start = request.uri.queryParameters["start"].flatMap({ SlotTime(parsing: String($0)) }) else {
            return Self.redirect(SiteURL.reserveManageBooking.href(["lang": lang]))
        }
        let layout = dependencies.layout.current
        var model = model(request, heading: t.confirmHeading, path: "/reserve/manage/change", extraQuery: "&start=\(start.description)")
        let text = ReserveText.of(language)
        model.summary = [
            Summary(
                procedure: layout.reservations.procedure(found.procedureID)?.name(in: language) ?? found.procedureID,
                office: layout.officeName(found.officeID, in: language), date: "\(text.date(start.date)) \(start.clockText)",
                previousDate: "\(text.date(found.start.date)) \(found.start.clockText)")
        ]
        model.changeConfirm = [Field(name: "start", value: start.description), Field(name: "lang", value: lang)]
        model.backHref = SiteURL.reserveProcedure(.value(found.procedureID)).href(["change": "1", "date": start.date, "lang": lang], fragment: "times")
        return try renderer.page("reserve", model)
    }

    /// The booking as an `.ics` file for the visitor's calendar.
    @Sendable func calendarFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let language = Self.language(request)
        let notFound = APIError(.notFound, code: "reservation_not_found", message: "この予約は見つかりません。")
        guard code.count <= 32, let key = request.uri.queryParameters["k"], Self.calendarKey(code, dependencies.keyedDigest) == String(key),
            let found = try await service.booking(code: code), found.status == .booked
        else { throw notFound }
        let layout = dependencies.layout.current
        let procedure = layout.reservations.procedure(found.procedureID)
        let minutes =
            procedure.flatMap { procedure in
                ReservationRules(layout: layout).slots(procedure, officeID: found.officeID, date: found.start.date).first { $0.start == found.start }?.minutes
            } ?? 30
        let b = BookingText.of(language)
        var details = b.calendarDetails.replacingOccurrences(of: "{code}", with: found.code)
            .replacingOccurrences(of: "{url}", with: try service.manageURL)
        let bring = procedure?.bringList(in: language) ?? []
        if !bring.isEmpty { details += "\n\n\(b.bringHeading):\n" + bring.map { "・\($0)" }.joined(separator: "\n") }
        let office = layout.office(found.officeID)
        let invite = CalendarInvite(
            uid: "\(found.code)@madoguchi", start: found.start.instant, minutes: minutes,
            summary: procedure?.name(in: language) ?? found.procedureID,
            location: [layout.city.name(in: language), office?.name(in: language) ?? found.officeID].filter { !$0.isEmpty }.joined(separator: " "),
            details: details, stamp: dependencies.clock.now())
        var headers = HTTPFields()
        headers[.contentType] = "text/calendar; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"reservation-\(found.code).ics\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: invite.ics)))
    }

    struct ChangeForm: Decodable { let start: String; let lang: String? }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await URLEncodedFormDecoder().decode(ChangeForm.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let lang = form.lang.flatMap(Language.init(tag:))?.rawValue ?? "ja"
        guard let found = try await managed(request) else { return Self.redirect(SiteURL.reserveManage.href(["lang": lang])) }
        do {
            _ = try await service.change(code: found.code, to: form.start)
        } catch let refusal as ReservationRefusal {
            let date = SlotTime(parsing: form.start)?.date ?? ""
            return Self.redirect(
                SiteURL.reserveProcedure(.value(found.procedureID)).href(["change": "1", "date": date, "lang": lang, "error": refusal.code], fragment: "times"))
        }
        return Self.redirect(SiteURL.reserveManageBooking.href(["lang": lang, "notice": "changed"]))
    }
}

/// `CODE.EXPIRY.SIGNATURE`: proof for 30 minutes that the holder gave the booking's password.
enum ManageToken {
    static func make(code: String, digest: any KeyedDigest, now: Date) -> String {
        let expiry = Int(now.timeIntervalSince1970) + 1800
        return "\(code).\(expiry).\(digest.digest("reserve-manage:\(code):\(expiry)"))"
    }

    static func code(in token: String, digest: any KeyedDigest, now: Date) -> String? {
        let parts = token.split(separator: ".").map(String.init)
        guard parts.count == 3, let expiry = Int(parts[1]), expiry > Int(now.timeIntervalSince1970),
            digest.digest("reserve-manage:\(parts[0]):\(expiry)") == parts[2]
        else { return nil }
        return parts[0]
    }
}
