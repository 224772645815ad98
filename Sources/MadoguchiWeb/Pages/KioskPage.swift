import Foundation
import Hummingbird
import MadoguchiCore
import MadoguchiDevices

/// `/kiosk/{kiosk}` (Q2, Q3, Q12): the touch screen that issues tickets, and the 80 mm ticket page its browser
/// prints. The page works without JavaScript (each button is a form); with it, counts update live and the ticket
/// prints without leaving the menu.
struct KioskController {
    let dependencies: WebDependencies
    let renderer: PageRenderer
    let publicBaseURL: String
    let issuing: TicketIssuing

    struct LanguageLink: Sendable { let code: String; let name: String; let href: String; let current: Bool }
    struct ServiceButton: Sendable {
        let id: String
        let name: String
        /// The name in the parts it may wrap between (PhraseBreaks).
        let nameParts: [String]
        let icon: String
        let hasIcon: Bool
        /// `#RRGGBB` or empty: the configured button colour, applied by kiosk.js (the CSP forbids inline styles).
        let colour: String
        let waiting: String
        let estimate: String
        let closed: Bool
        let closedMessage: String
    }
    struct Model: Sendable {
        let text: VisitorText
        let kioskID: String
        let officeID: String
        let officeName: String
        let announcement: String
        let hasAnnouncement: Bool
        let languages: [LanguageLink]
        let services: [ServiceButton]
        let eventsURL: String
        let printMode: String
        let nextChangeAt: Int64
        let checkInCode: String
        let hasCheckInCode: Bool
        let checkInLabel: String
        /// This browser is the kiosk staff registered: it may print and check visitors in.
        let registered: Bool
    }

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.kiosk(.key), use: menu)
        router.post(SiteURL.kioskTickets(.key), use: issueWithoutScript)
        router.get(SiteURL.kioskTicketPrint(kiosk: .key, token: .key), use: printPage)
    }

    private func kiosk(_ context: AppRequestContext) throws -> (Kiosk, Office) {
        let id = try context.parameters.require("kiosk")
        let layout = dependencies.layout.current
        guard let kiosk = layout.kiosk(id), let office = layout.office(kiosk.officeID) else { throw DomainError.kioskNotFound(id) }
        return (kiosk, office)
    }

    static func language(of request: Request) -> Language {
        request.uri.queryParameters["lang"].flatMap { Language(tag: String($0)) } ?? .ja
    }

    @Sendable func menu(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (kiosk, office) = try kiosk(context)
        let language = Self.language(of: request)
        let text = VisitorText.of(language)
        let now = dependencies.clock.now()
        let menu = kiosk.activeMenuSet(at: now, staffChoice: dependencies.projection.menuChoice(kioskID: kiosk.id))
        let registered = DeviceAccess.device(of: request, dependencies: dependencies) == DeviceIdentity(kind: .kiosk, id: kiosk.id)
        let inOffice = await DeviceAccess.isInOffice(request, officeID: office.id, dependencies: dependencies)
        let status = dependencies.projection.status(officeID: office.id)?.status
        let layout = dependencies.layout.current
        let buttons = menu.serviceIDs.compactMap { id -> ServiceButton? in
            guard let service = layout.service(id) else { return nil }
            let live = status?.services.first { $0.id == id }
            return ServiceButton(
                id: id, name: service.name(in: language), nameParts: PhraseBreaks.segments(service.name(in: language)),
                icon: service.icon ?? "", hasIcon: service.icon != nil, colour: service.colour ?? "", waiting: text.people(live?.waiting ?? 0),
                estimate: text.minutes(live?.estimatedWaitMinutes),
                closed: live?.closedMessage != nil, closedMessage: live?.closedMessage.flatMap { $0.isEmpty ? nil : $0 } ?? text.closedLabel)
        }
        return try renderer.page(
            "kiosk",
            Model(
                text: text, kioskID: kiosk.id, officeID: office.id, officeName: office.name(in: language), announcement: kiosk.announcement.text(language),
                hasAnnouncement: !kiosk.announcement.text(language).isEmpty,
                languages: Language.allCases.map {
                    LanguageLink(
                        code: $0.rawValue, name: VisitorText.of($0).languageName, href: SiteURL.kiosk(.value(kiosk.id)).href(["lang": $0.rawValue]),
                        current: $0 == language)
                },
                services: buttons, eventsURL: "/events/offices/\(office.id)?device=kiosk:\(kiosk.id)", printMode: kiosk.printMode.rawValue,
                nextChangeAt: Int64(kiosk.nextScheduleChange(after: now).timeIntervalSince1970 * 1000),
                checkInCode: inOffice ? dependencies.checkInCode(officeID: office.id) : "", hasCheckInCode: inOffice,
                checkInLabel: PublicText.of(language).codeLabel, registered: registered))
    }

    /// The form post of a page without JavaScript: issue, then show the ticket page (which prints itself).
    @Sendable func issueWithoutScript(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (kiosk, office) = try kiosk(context)
        struct Form: Decodable { let service: String; let lang: String? }
        let form = try await URLEncodedFormDecoder().decode(Form.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let printing = try await issuing.admit(request, context: context, officeID: office.id, serviceID: form.service, claimedKiosk: kiosk.id)
        let ticket = try await dependencies.queue.issueTicket(officeID: office.id, serviceID: form.service, kioskID: printing)
        let language = form.lang.flatMap(Language.init(tag:)) ?? .ja
        return Response(
            status: .seeOther,
            headers: [.location: SiteURL.kioskTicketPrint(kiosk: .value(kiosk.id), token: .value(ticket.token)).href(["lang": language.rawValue, "back": "1"])])
    }

    struct TicketModel: Sendable {
        let text: VisitorText
        let kioskID: String
        let officeName: String
        let serviceName: String
        let serviceNameJapanese: String
        let displayNumber: String
        let ahead: String
        let hasAhead: Bool
        let estimate: String
        let hasEstimate: Bool
        let calledAt: String
        let hasCalledAt: Bool
        let issuedAt: String
        let qrSVG: String
        let notes: [String]
        let twoPart: Bool
        let showBack: Bool
    }

    /// The ticket sized for 80 mm thermal paper; the kiosk browser prints it (Chromium `--kiosk-printing` prints
    /// without a dialog).
    @Sendable func printPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (kiosk, _) = try kiosk(context)
        let token = try context.parameters.require("token")
        guard let view = dependencies.projection.ticketView(token: token), view.office == kiosk.officeID else { throw DomainError.ticketNotFound }
        let language = Self.language(of: request)
        let text = VisitorText.of(language)
        let layout = dependencies.layout.current
        let printed = TicketPrinting.printedTicket(view, kiosk: kiosk, layout: layout, publicBaseURL: publicBaseURL)
        let service = layout.service(view.service)
        // Where the visitor will be called: the counters of the ticket's stage (three at most, then 「…」).
        let counters = layout.counters(servingStage: view.stage).map { $0.name(in: language) }
        let calledAt =
            counters.isEmpty
            ? ""
            : text.calledAtFormat.replacingOccurrences(
                of: "{counters}", with: counters.prefix(3).joined(separator: language == .en ? ", " : "・") + (counters.count > 3 ? "…" : ""))
        let waiting = view.state == .waiting
        return try renderer.page(
            "ticket-print",
            TicketModel(
                text: text, kioskID: kiosk.id, officeName: layout.office(view.office)?.name(in: language) ?? printed.officeName,
                serviceName: service?.name(in: language) ?? printed.serviceName,
                serviceNameJapanese: printed.serviceName, displayNumber: printed.displayNumber,
                ahead: printed.peopleAhead.map(text.ahead) ?? "", hasAhead: printed.peopleAhead != nil,
                estimate: "\(text.estimateLabel) \(text.minutes(view.estimatedWaitMinutes))", hasEstimate: waiting && view.estimatedWaitMinutes != nil,
                calledAt: calledAt, hasCalledAt: !calledAt.isEmpty,
                issuedAt: text.dateTime(printed.issuedAt), qrSVG: try QRCode(printed.pageURL).svg(title: text.yourNumber),
                notes: language == .ja ? printed.notes : text.ticketNotes, twoPart: printed.twoPart,
                showBack: request.uri.queryParameters["back"] != nil))
    }
}

/// What goes on paper for a ticket, shared by the ESC/POS bytes and the printable page.
enum TicketPrinting {
    static func printedTicket(_ view: TicketView, kiosk: Kiosk?, layout: OfficeLayout, publicBaseURL: String) -> PrintedTicket {
        let service = layout.service(view.service)
        let footer = kiosk?.ticketFooter.text(.ja) ?? ""
        return PrintedTicket(
            officeName: layout.office(view.office)?.name ?? view.office, serviceName: service?.name ?? view.service,
            displayNumber: view.displayNumber, issuedAt: view.issuedAt, peopleAhead: view.state == .waiting ? view.peopleAhead : nil,
            pageURL: "\(publicBaseURL)/t/\(view.token)",
            notes: footer.isEmpty ? PrintedTicket.defaultNotes : footer.split(separator: "\n").map(String.init),
            twoPart: service?.ticketStyle == .twoPart)
    }
}
