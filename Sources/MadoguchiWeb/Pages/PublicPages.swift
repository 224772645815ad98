import Foundation
import Hummingbird
import MadoguchiCore

/// The pages residents open on their phones (W1–W3): every office's waits with steering to quieter offices, one
/// office's details, and the ticket's own page. Server-rendered and complete without JavaScript; with it they
/// follow the live streams.
struct PublicPagesController {
    let dependencies: WebDependencies
    let renderer: PageRenderer
    let limiter: RateLimiter

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.home, use: home)
        router.get(SiteURL.office(.key), use: office)
        router.get(SiteURL.ticket(.key), use: ticket)
        router.post(SiteURL.ticketNotifications(.key), use: notificationForm)
        router.post(SiteURL.officeWebTickets(.key), use: webTicketForm)
        router.post(SiteURL.ticketCheckIn(.key), use: checkInForm)
    }

    /// `?lang=`, else the browser's first language we speak, else Japanese.
    static func language(of request: Request) -> Language {
        if let chosen = request.uri.queryParameters["lang"].flatMap({ Language(tag: String($0)) }) { return chosen }
        let accepted = request.headers[.acceptLanguage] ?? ""
        for part in accepted.split(separator: ",") {
            let tag = part.split(separator: ";")[0].trimmingCharacters(in: .whitespaces)
            if let language = Language(tag: tag) { return language }
        }
        return .ja
    }

    struct Chrome: Sendable {
        let visitor: VisitorText
        let text: PublicText
        let languages: [KioskController.LanguageLink]
        let lastUpdated: String
        var cityName = ""
        var emblem = ""
        // Stored, not computed: templates read models by reflection, which sees stored properties only.
        var hasCity = false
        var hasEmblem = false
    }

    func chrome(_ language: Language, path: String, extraQuery: String = "", asOf: Date) -> Chrome {
        Self.chrome(language, path: path, extraQuery: extraQuery, asOf: asOf, city: dependencies.layout.current.city)
    }

    static func chrome(_ language: Language, path: String, extraQuery: String = "", asOf: Date, city: CityProfile) -> Chrome {
        Chrome(
            visitor: VisitorText.of(language), text: PublicText.of(language),
            languages: Language.allCases.map {
                KioskController.LanguageLink(
                    code: $0.rawValue, name: VisitorText.of($0).languageName,
                    href: "\(path)?lang=\($0.rawValue)\(extraQuery)", current: $0 == language)
            },
            lastUpdated: ClockText.hoursMinutesSeconds(asOf), cityName: city.name(in: language), emblem: city.emblem ?? "",
            hasCity: !city.name.isEmpty, hasEmblem: !(city.emblem ?? "").isEmpty)
    }

    // MARK: /

    struct ServiceCell: Sendable {
        let id: String
        let name: String
        let waiting: String
        let estimate: String
        let laterStages: String
        let hasLaterStages: Bool
        let calling: String
        let closed: Bool
    }
    struct OfficeCard: Sendable { let id: String; let name: String; let href: String; let services: [ServiceCell] }
    struct ProcedureOption: Sendable { let key: String; let name: String; let selected: Bool }
    struct RankRow: Sendable {
        let office: String; let officeName: String; let service: String; let href: String; let waiting: String; let estimate: String; let closed: Bool
    }
    struct HomeModel: Sendable {
        let chrome: Chrome
        let procedures: [ProcedureOption]
        let procedure: String
        let hasProcedure: Bool
        let recommendation: String
        let ranking: [RankRow]
        let offices: [OfficeCard]
        let officeNames: String
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = Self.language(of: request)
        dependencies.webAccess.count(.home)
        let layout = dependencies.layout.current
        let statuses = layout.offices.compactMap { dependencies.projection.status(officeID: $0.id)?.status }
        let visitor = VisitorText.of(language), text = PublicText.of(language)
        let procedure = request.uri.queryParameters["procedure"].map(String.init).flatMap { key in
            OfficeComparison.procedures(in: layout).contains { $0.key == key } ? key : nil
        }
        let ranking = procedure.map { OfficeComparison.rank(procedure: $0, layout: layout, statuses: statuses) } ?? []
        let officeName = { (id: String) in layout.officeName(id, in: language) }
        let recommendation =
            ranking.first.flatMap { best -> String? in
                best.closed ? nil : text.recommendation(office: officeName(best.officeID), minutes: best.estimatedWaitMinutes, waiting: best.waiting)
            } ?? ""
        let model = HomeModel(
            chrome: chrome(
                language, path: "/", extraQuery: procedure.map { "&procedure=\($0)" } ?? "",
                asOf: statuses.map(\.asOf).max() ?? dependencies.clock.now()),
            procedures: OfficeComparison.procedures(in: layout).map {
                ProcedureOption(key: $0.key, name: $0.service.name(in: language), selected: $0.key == procedure)
            },
            procedure: procedure ?? "", hasProcedure: procedure != nil, recommendation: recommendation,
            ranking: ranking.map { choice in
                RankRow(
                    office: choice.officeID, officeName: officeName(choice.officeID), service: choice.serviceID,
                    href: SiteURL.office(.value(choice.officeID)).href(["lang": language.rawValue]), waiting: visitor.people(choice.waiting),
                    estimate: choice.closed ? text.closedToday : visitor.minutes(choice.estimatedWaitMinutes), closed: choice.closed)
            },
            offices: statuses.map { status in
                OfficeCard(
                    id: status.office, name: officeName(status.office), href: SiteURL.office(.value(status.office)).href(["lang": language.rawValue]),
                    services: cells(status, layout: layout, language: language))
            },
            officeNames: String(
                decoding: try JSONIO.encoder.encode(Dictionary(uniqueKeysWithValues: layout.offices.map { ($0.id, $0.name(in: language)) })), as: UTF8.self))
        return try renderer.page("home", model)
    }

    func cells(_ status: OfficeStatus, layout: OfficeLayout, language: Language) -> [ServiceCell] {
        let visitor = VisitorText.of(language), text = PublicText.of(language)
        return status.services.map { service in
            let later = service.stages.dropFirst().map { "\(layout.stage($0.id)?.name(in: language) ?? $0.name) \(visitor.people($0.waiting))" }.joined(
                separator: "　")
            return ServiceCell(
                id: service.id, name: layout.service(service.id)?.name(in: language) ?? service.name, waiting: visitor.people(service.waiting),
                estimate: service.closedMessage != nil ? text.closedToday : visitor.minutes(service.estimatedWaitMinutes),
                laterStages: later, hasLaterStages: !later.isEmpty, calling: service.calling.joined(separator: "　"),
                closed: service.closedMessage != nil)
        }
    }

    // MARK: /offices/{office}

    struct WebService: Sendable { let id: String; let name: String; let rules: String; let checked: Bool }
    /// The web-ticket form as it came back: the chosen service, the typed contact and the fault beside it.
    struct WebTicketForm: Sendable {
        var service = "", contact = ""
        var error = "", hasError = false, contactInvalid = false
        mutating func refuse(_ message: String, contact invalid: Bool) { error = message; hasError = !message.isEmpty; contactInvalid = invalid }
    }
    struct OfficeModel: Sendable {
        let chrome: Chrome
        let officeID: String
        let officeName: String
        /// Stage names in the visitor's language for the live updates (the stream carries the Japanese ones).
        let stageNames: String
        /// Today at a glance (open until, opens at, closed) and the weekly hours.
        let opening: String
        let isOpen: Bool
        let hours: [String]
        let services: [ServiceCell]
        let eventsURL: String
        let webServices: [WebService]
        let hasWebServices: Bool
        let webOpen: Bool
        let web: WebTicketForm
    }

    @Sendable func office(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("office")
        let language = Self.language(of: request)
        var web = WebTicketForm()
        web.refuse(PublicText.of(language).message(forError: request.uri.queryParameters["error"].map(String.init)), contact: false)
        return try renderOffice(id, language: language, web: web)
    }

    private func renderOffice(_ id: String, language: Language, web form: WebTicketForm, status answer: HTTPResponse.Status = .ok) throws -> Response {
        let layout = dependencies.layout.current
        guard let office = layout.office(id), let status = dependencies.projection.status(officeID: id)?.status else {
            throw DomainError.officeNotFound(id)
        }
        dependencies.webAccess.count(.office, officeID: office.id)
        let text = PublicText.of(language)
        let web = layout.services(in: id).compactMap { service in
            service.webTicketing.map { rules in
                WebService(
                    id: service.id, name: service.name(in: language),
                    rules: text.webRules
                        .replacingOccurrences(of: "{daily}", with: String(rules.dailyQuota))
                        .replacingOccurrences(of: "{hourly}", with: String(rules.hourlyQuota))
                        .replacingOccurrences(of: "{hold}", with: String(rules.holdMinutes)), checked: service.id == form.service)
            }
        }
        let opening = OfficeOpening.of(office, at: dependencies.clock.now())
        var response = try renderer.page(
            "office",
            OfficeModel(
                chrome: chrome(language, path: SiteURL.office(.value(id)).path, asOf: status.asOf), officeID: id, officeName: office.name(in: language),
                stageNames: String(
                    decoding: try JSONIO.encoder.encode(
                        Dictionary(
                            uniqueKeysWithValues: layout.services(in: id).flatMap(\.route)
                                .map { ($0.id, $0.name(in: language)) })), as: UTF8.self),
                opening: text.opening(opening), isOpen: { if case .openUntil = opening { true } else { false } }(),
                hours: text.weeklyHours(office.hours),
                services: cells(status, layout: layout, language: language), eventsURL: "/events/offices/\(id)",
                webServices: web, hasWebServices: !web.isEmpty, webOpen: office.isOpen(at: dependencies.clock.now()),
                web: form))
        response.status = answer
        return response
    }

    // MARK: /t/{token}

    struct TicketModel: Sendable {
        let chrome: Chrome
        let token: String
        let officeID: String
        let officeName: String
        let officeHref: String
        let displayNumber: String
        let serviceName: String
        let stageName: String
        let state: String
        let stateMessage: String
        let passed: Bool
        let ahead: String
        let hasAhead: Bool
        let estimate: String
        let eventsURL: String
        let stateTexts: String
        let counterNames: String
        let canSubscribe: Bool
        let isSubscribed: Bool
        let needsCheckIn: Bool
        let isCheckedIn: Bool
        let notifyIntro: String
        let notice: String
        let hasNotice: Bool
        let form: TicketForms
    }

    /// What the ticket page's two forms carry back when refused: the typed values and each fault beside its field.
    struct TicketForms: Sendable {
        var email = "", phone = "", code = ""
        var notifyError = "", checkInError = ""
        var emailInvalid = false, phoneInvalid = false, codeInvalid = false
        // Stored flags: the templates read models by reflection, which does not see computed properties.
        var showsNotifyError = false, showsCheckInError = false

        mutating func notify(_ message: String) { notifyError = message; showsNotifyError = !message.isEmpty }
        mutating func checkIn(_ message: String) { checkInError = message; showsCheckInError = !message.isEmpty }
    }

    @Sendable func ticket(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let language = Self.language(of: request)
        let text = PublicText.of(language)
        var forms = TicketForms()
        // Faults that are not about a field (the rate limit) still arrive by redirect from older pages.
        forms.notify(text.message(forError: request.uri.queryParameters["error"].map(String.init)))
        return try await renderTicket(token: token, language: language, forms: forms, noticeCode: request.uri.queryParameters["notice"].map(String.init))
    }

    private func renderTicket(
        token: String, language: Language, forms: TicketForms, noticeCode: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view: TicketView
        do {
            view = try await dependencies.ticketView(token: token)
        } catch DomainError.ticketNotFound {
            return try unknownTicket(language, token: token)
        }
        dependencies.webAccess.count(.ticket, officeID: view.office)
        let canSubscribe = view.state == .waiting || view.state == .held
        let layout = dependencies.layout.current
        let visitor = VisitorText.of(language), text = PublicText.of(language)
        let counterName = view.counter.map { layout.counterName($0, in: language) } ?? ""
        let notice =
            switch forms.showsNotifyError || forms.showsCheckInError ? nil : noticeCode {
            case "subscribed": text.notifyDone
            case "stopped": text.notifyStopped
            default: ""
            }
        let stateTexts = Dictionary(uniqueKeysWithValues: TicketState.allCases.map { ($0.rawValue, text.state($0, counterName: "{counter}")) })
        var response = try renderer.page(
            "ticket",
            TicketModel(
                chrome: chrome(language, path: SiteURL.ticket(.value(token)).path, asOf: dependencies.clock.now()), token: token, officeID: view.office,
                officeName: layout.officeName(view.office, in: language), officeHref: SiteURL.office(.value(view.office)).href(["lang": language.rawValue]),
                displayNumber: view.displayNumber, serviceName: layout.service(view.service)?.name(in: language) ?? view.service,
                stageName: layout.stageName(view.stage, in: language), state: view.state.rawValue,
                stateMessage: text.state(view.state, counterName: counterName), passed: view.state == .absent,
                ahead: view.peopleAhead.map(visitor.people) ?? "", hasAhead: view.peopleAhead != nil && view.state == .waiting,
                estimate: visitor.minutes(view.estimatedWaitMinutes), eventsURL: "/events/offices/\(view.office)",
                stateTexts: String(decoding: try JSONIO.encoder.encode(stateTexts), as: UTF8.self),
                counterNames: String(
                    decoding: try JSONIO.encoder.encode(
                        Dictionary(uniqueKeysWithValues: layout.counters(in: view.office).map { ($0.id, $0.name(in: language)) })), as: UTF8.self),
                canSubscribe: canSubscribe, isSubscribed: canSubscribe ? try await dependencies.visitors.notifications.isSubscribed(view) : false,
                needsCheckIn: view.checkedIn == false && (view.state == .waiting || view.state == .held), isCheckedIn: view.checkedIn == true,
                notifyIntro: text.notifyIntro.replacingOccurrences(
                    of: "{n}", with: String(layout.service(view.service)?.notifications.notifyAhead ?? NotificationSettings.standard.notifyAhead)),
                notice: notice, hasNotice: !notice.isEmpty, form: forms))
        response.status = status
        return response
    }

    struct UnknownTicketModel: Sendable { let chrome: Chrome }

    /// A ticket address that leads nowhere says why, in the visitor's language, with a way on.
    private func unknownTicket(_ language: Language, token: String) throws -> Response {
        let safePath = "/t/" + (token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } ? token : "")
        var response = try renderer.page("ticket-unknown", UnknownTicketModel(chrome: chrome(language, path: safePath, asOf: dependencies.clock.now())))
        response.status = .notFound
        return response
    }

    /// The sign-up form without JavaScript: register, then back to the ticket page with a message.
    @Sendable func notificationForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        struct Form: Decodable { let email: String?; let phone: String?; let lang: String?; let action: String? }
        let form = try await URLEncodedFormDecoder().decode(Form.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let language = form.lang.flatMap(Language.init(tag:)) ?? .ja
        let back = SiteURL.ticket(.value(token)).href(["lang": language.rawValue])
        if form.action == "stop" {
            try await dependencies.visitors.notifications.unsubscribe(token: token)
            return Response(status: .seeOther, headers: [.location: back + "&notice=stopped"])
        }
        // A refused form comes back at once with what was typed and the fault beside its field (no redirect that
        // would lose the input).
        var forms = TicketForms(email: form.email ?? "", phone: form.phone ?? "")
        let text = PublicText.of(language)
        let email = forms.email.trimmingCharacters(in: .whitespaces), phone = forms.phone.trimmingCharacters(in: .whitespaces)
        do {
            let contact = try NotificationAPIController.contact(email: email, phone: phone)
            _ = try await dependencies.visitors.notifications.subscribe(token: token, contact: contact, language: language, client: context.clientAddress)
            return Response(status: .seeOther, headers: [.location: back + "&notice=subscribed"])
        } catch DomainError.invalidContact {
            switch (email.isEmpty, phone.isEmpty) {
            case (true, true): forms.notify(text.notifyInvalid); (forms.emailInvalid, forms.phoneInvalid) = (true, true)
            case (false, false): forms.notify(text.contactOneOnly); (forms.emailInvalid, forms.phoneInvalid) = (true, true)
            case (false, true): forms.notify(text.emailInvalid); forms.emailInvalid = true
            case (true, false): forms.notify(text.phoneInvalid); forms.phoneInvalid = true
            }
            return try await renderTicket(token: token, language: language, forms: forms, status: .unprocessableContent)
        } catch DomainError.tooManySignUps {
            forms.notify(text.message(forError: "rate_limited"))
            return try await renderTicket(token: token, language: language, forms: forms, status: .tooManyRequests)
        }
    }

    /// The web-ticket form of `/offices/{office}`: issue, then go to the ticket's own page.
    @Sendable func webTicketForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let officeID = try context.parameters.require("office")
        dependencies.webAccess.count(.webTicket, officeID: officeID)
        struct Form: Decodable { let service: String; let contact: String?; let lang: String? }
        let form = try await URLEncodedFormDecoder().decode(Form.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let language = form.lang.flatMap(Language.init(tag:)) ?? .ja
        var web = WebTicketForm(service: form.service, contact: form.contact ?? "")
        do {
            try await limiter.admit(context.clientAddress, at: dependencies.clock.now())
            let view = try await WebTicketAPIController.issue(
                dependencies, officeID: officeID, serviceID: form.service,
                contactText: form.contact ?? "", language: language)
            return Response(status: .seeOther, headers: [.location: SiteURL.ticket(.value(view.token)).href(["lang": language.rawValue])])
        } catch let error as DomainError where error != .officeNotFound(officeID) {
            // Shown again at once with the choice and the typed contact kept, the fault beside the field it is about.
            let answer = APIError(error)
            web.refuse(PublicText.of(language).message(forError: answer.code), contact: [.invalidContact, .alreadyHasTicket].contains(error))
            return try renderOffice(officeID, language: language, web: web, status: answer.status)
        } catch let error as APIError {
            web.refuse(PublicText.of(language).message(forError: error.code), contact: false)
            return try renderOffice(officeID, language: language, web: web, status: error.status)
        }
    }

    @Sendable func checkInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        struct Form: Decodable { let code: String?; let lang: String? }
        let form = try await URLEncodedFormDecoder().decode(Form.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let language = form.lang.flatMap(Language.init(tag:)) ?? .ja
        let back = SiteURL.ticket(.value(token)).href(["lang": language.rawValue])
        var forms = TicketForms(code: form.code ?? "")
        do {
            try await limiter.admit(context.clientAddress, at: dependencies.clock.now())
            _ = try await WebTicketAPIController.checkIn(dependencies, token: token, code: form.code ?? "")
            return Response(status: .seeOther, headers: [.location: back])
        } catch DomainError.invalidCheckInCode {
            forms.checkIn(PublicText.of(language).message(forError: "invalid_check_in_code"))
            forms.codeInvalid = true
            return try await renderTicket(token: token, language: language, forms: forms, status: .unprocessableContent)
        } catch let error as APIError {
            forms.checkIn(PublicText.of(language).message(forError: error.code))
            return try await renderTicket(token: token, language: language, forms: forms, status: error.status)
        }
    }
}
