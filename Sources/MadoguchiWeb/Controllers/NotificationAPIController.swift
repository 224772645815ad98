import Foundation
import Hummingbird
import MadoguchiCore

/// Notification sign-up for a ticket's holder (W4), delivery states and texts for staff.
struct NotificationAPIController {
    let dependencies: WebDependencies

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("tickets/:token/notifications", use: subscribe)
        api.delete("tickets/:token/notifications", use: unsubscribe)
        let staff = api.group().add(middleware: RequireStaffMiddleware(dependencies: dependencies))
        staff.get("offices/:office/notifications", use: deliveries)
        staff.put("services/:service/notifications", use: settings)
    }

    struct SubscribeRequest: Decodable { let email: String?; let phone: String?; let language: String? }
    struct SubscribeAnswer: Encodable { let channel: ContactChannel; let contact: String; let notifyAhead: Int }

    /// The contact from `{"email": …}` or `{"phone": …}` (exactly one).
    static func contact(email: String?, phone: String?) throws -> Contact {
        switch (email.flatMap { $0.isEmpty ? nil : $0 }, phone.flatMap { $0.isEmpty ? nil : $0 }) {
        case (let email?, nil): try Contact(email: email)
        case (nil, let phone?): try Contact(phone: phone)
        default: throw DomainError.invalidContact
        }
    }

    @Sendable func subscribe(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let body = try await JSONIO.decode(SubscribeRequest.self, from: request, context: context)
        let contact = try Self.contact(email: body.email, phone: body.phone)
        let language = body.language.flatMap(Language.init(tag:)) ?? .ja
        let subscription = try await dependencies.visitors.notifications.subscribe(
            token: token, contact: contact, language: language,
            client: context.clientAddress)
        let notifyAhead = dependencies.layout.current.service(subscription.serviceID)?.notifications.notifyAhead ?? NotificationSettings.standard.notifyAhead
        return try JSONIO.response(SubscribeAnswer(channel: contact.channel, contact: contact.masked, notifyAhead: notifyAhead), status: .created)
    }

    @Sendable func unsubscribe(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await dependencies.visitors.notifications.unsubscribe(token: try context.parameters.require("token"))
        return Response(status: .noContent)
    }

    struct DeliveryList: Encodable { let deliveries: [NotificationDelivery] }

    @Sendable func deliveries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let office = try context.parameters.require("office")
        guard dependencies.layout.current.office(office) != nil else { throw DomainError.officeNotFound(office) }
        let user = try context.require(.viewNotifications, at: office)
        return try JSONIO.response(DeliveryList(deliveries: try await dependencies.visitors.notifications.deliveries(officeID: office, by: context.by(user))))
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("service")
        // Who may is checked before the body is read, so a stranger learns nothing from its faults.
        guard let service = dependencies.layout.current.service(id) else { throw DomainError.serviceNotFound(id) }
        let user = try context.require(.editNotificationTemplates, at: service.officeID)
        let settings = try await JSONIO.decode(NotificationSettings.self, from: request, context: context)
        try await dependencies.staff.offices.setNotifications(settings, serviceID: id, by: context.by(user))
        return Response(status: .noContent)
    }
}
