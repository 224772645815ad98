import Foundation
import Hummingbird
import MadoguchiCore
import Synchronization

/// Taking a number from home (W5) and checking in on arrival; opening hours for staff.
struct WebTicketAPIController {
    let dependencies: WebDependencies
    let limiter: RateLimiter

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("offices/:office/web-tickets", use: issue)
        api.post("tickets/:token/check-in", use: checkIn)
        let staff = api.group().add(middleware: RequireStaffMiddleware(dependencies: dependencies))
        staff.put("offices/:office/hours", use: hours)
    }

    struct IssueRequest: Decodable { let service: String; let contact: String; let language: String? }

    /// An e-mail address when it has an @, else a phone number.
    static func contact(_ text: String) throws -> Contact {
        text.contains("@") ? try Contact(email: text) : try Contact(phone: text)
    }

    @Sendable func issue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let officeID = try context.parameters.require("office")
        try await limiter.admit(context.clientAddress, at: dependencies.clock.now())
        dependencies.webAccess.count(.webTicket, officeID: officeID)
        let body = try await JSONIO.decode(IssueRequest.self, from: request, context: context)
        let view = try await Self.issue(
            dependencies, officeID: officeID, serviceID: body.service, contactText: body.contact,
            language: body.language.flatMap(Language.init(tag:)) ?? .ja)
        return try JSONIO.response(view, status: .created)
    }

    /// Issues the ticket and registers the contact for its notifications (the visitor is told when to come).
    static func issue(_ dependencies: WebDependencies, officeID: String, serviceID: String, contactText: String, language: Language) async throws -> TicketView
    {
        let contact = try contact(contactText)
        // Counted before the number is taken, so a refused sign-up leaves no ticket behind; clients are limited by
        // the web-ticket limiter already.
        try await dependencies.visitors.notifications.admitSignUp(contact: contact, client: nil)
        let ticket = try await dependencies.queue.issueWebTicket(
            officeID: officeID, serviceID: serviceID, contactDigest: dependencies.keyedDigest.digest(contact.identity))
        _ = try await dependencies.visitors.notifications.subscribe(token: ticket.token, contact: contact, language: language, client: nil)
        return dependencies.projection.ticketView(id: ticket.id) ?? QueueProjection.archivedView(of: ticket)
    }

    struct CheckInRequest: Decodable { let code: String }

    @Sendable func checkIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        try await limiter.admit(context.clientAddress, at: dependencies.clock.now())
        let body = try await JSONIO.decode(CheckInRequest.self, from: request, context: context)
        return try JSONIO.response(try await Self.checkIn(dependencies, token: token, code: body.code))
    }

    static func checkIn(_ dependencies: WebDependencies, token: String, code: String) async throws -> TicketView {
        guard let view = dependencies.projection.ticketView(token: token) else { throw DomainError.ticketNotFound }
        let digits = code.filter(\.isNumber)
        guard digits == dependencies.checkInCode(officeID: view.office) else { throw DomainError.invalidCheckInCode }
        let ticket = try await dependencies.queue.checkIn(token: token)
        return dependencies.projection.ticketView(id: ticket.id) ?? QueueProjection.archivedView(of: ticket)
    }

    @Sendable func hours(_ request: Request, context: AppRequestContext) async throws -> Response {
        let officeID = try context.parameters.require("office")
        // Who may is checked before the body is read, so a stranger learns nothing from its faults.
        guard dependencies.layout.current.office(officeID) != nil else { throw DomainError.officeNotFound(officeID) }
        let user = try context.require(.configureOffices, at: officeID)
        let hours = try await JSONIO.decode([OpeningHours].self, from: request, context: context)
        try await dependencies.staff.offices.setHours(hours, officeID: officeID, by: context.by(user))
        return Response(status: .noContent)
    }
}
