import Foundation
import Synchronization

/// Registers visitors for notifications and turns queue events into queued messages (W4).
///
/// Every instance sees every event, so the decision "send now" is taken inside the store's transaction that
/// marks it sent: only one instance queues each message.
public final class VisitorNotifications: EventPublisher {
    private let store: any NotificationStore
    private let projection: QueueProjection
    private let layout: LayoutSource
    private let clock: any WallClock
    private let publicBaseURL: String
    /// Offices with subscriptions this instance knows of: events of other offices cost nothing.
    private let watched = Mutex<Set<String>>([])
    /// Told when messages were queued, so they go out at once.
    private let queued: @Sendable () -> Void
    /// Counts sign-ups per ticket, client and contact (shared by every instance), so nobody signs strangers up
    /// for messages under the city's name.
    private let attempts: any AttemptCounter

    /// Sign-ups a ticket may take in a day (a changed mind, a typo), one client address in 10 minutes, and one
    /// contact in a day.
    public static let signUpsPerTicket = 3
    public static let signUpsPerClient = 10
    public static let signUpsPerContact = 5

    public init(
        store: any NotificationStore, projection: QueueProjection, layout: LayoutSource, clock: any WallClock,
        publicBaseURL: String, attempts: any AttemptCounter = InMemoryAttemptCounter(), queued: @escaping @Sendable () -> Void = {}
    ) {
        self.attempts = attempts
        self.store = store
        self.projection = projection
        self.layout = layout
        self.clock = clock
        self.publicBaseURL = publicBaseURL
        self.queued = queued
    }

    /// Registers `contact` for the ticket with `token` (replacing an earlier one on the same channel) and sends
    /// at once what is already due.
    ///
    /// `client` is the address the sign-up came from; nil when the caller counted it already (`admitSignUp`),
    /// as a web ticket does before it takes a number.
    /// Today's messages of an office (contacts masked), for its staff.
    public func deliveries(officeID: String, by actor: Operator) async throws -> [NotificationDelivery] {
        guard actor.may(.viewNotifications, at: officeID) else { throw AccessError.forbidden }
        return try await store.deliveries(officeID: officeID, businessDate: CityCalendar.businessDate(of: clock.now()))
    }

    public func subscribe(token: String, contact: Contact, language: Language, client: String?) async throws -> NotificationSubscription {
        guard let view = projection.ticketView(token: token) else { throw DomainError.ticketNotFound }
        // A called or absent visitor has nothing left to be told in advance.
        guard view.state == .waiting || view.state == .held else {
            throw DomainError.ticketNotActive(displayNumber: view.displayNumber, state: view.state)
        }
        if let client {
            let now = clock.now()
            guard try await AttemptThrottle("sign-up-ticket", limit: Self.signUpsPerTicket, window: 86_400, counter: attempts).admit(view.id, at: now)
            else { throw DomainError.tooManySignUps }
            try await admitSignUp(contact: contact, client: client)
        }
        let subscription = NotificationSubscription(
            id: TokenGenerator.ticketID(), ticketID: view.id, officeID: view.office, serviceID: view.service,
            businessDate: CityCalendar.businessDate(of: view.issuedAt), contact: contact, language: language)
        try await store.subscribe(subscription, at: clock.now())
        watched.withLock { _ = $0.insert(view.office) }
        try await evaluate(officeID: view.office)
        return subscription
    }

    /// Counts a sign-up for the client (nil: the caller limits clients itself, as web tickets do) and the contact;
    /// throws `tooManySignUps` when either is over its limit.
    public func admitSignUp(contact: Contact, client: String?) async throws {
        let now = clock.now()
        var clientAdmitted = true
        if let client {
            clientAdmitted = try await AttemptThrottle("sign-up-client", limit: Self.signUpsPerClient, window: 600, counter: attempts).admit(client, at: now)
        }
        let contactAdmitted = try await AttemptThrottle("sign-up-contact", limit: Self.signUpsPerContact, window: 86_400, counter: attempts)
            .admit(contact.identity, at: now)
        guard clientAdmitted, contactAdmitted else { throw DomainError.tooManySignUps }
    }

    /// Why the contact gets this message and how to stop it, in the visitor's language.
    static func stopText(_ language: Language, url: String) -> String {
        switch language {
        case .ja: "このお知らせは番号札の持ち主が登録しました。止めるには \(url) を開き「お知らせを止める」を押してください。心当たりがなければ、このメッセージは無視してください（以後は届きません）。"
        case .en:
            "This message was requested by the holder of a queue ticket. To stop it, open \(url) and press \"Stop notifications\". If you did not ask for it, please ignore this message."
        case .zhHans: "此通知由号码牌持有人登记。如需停止，请打开 \(url) 并点击“停止通知”。如非本人登记，请忽略此消息。"
        case .ko: "이 알림은 번호표를 가진 분이 등록했습니다. 중지하려면 \(url) 을 열고 「알림 중지」를 누르세요. 등록한 적이 없으면 이 메시지를 무시해 주세요."
        }
    }

    /// Whether a contact is registered for the ticket, so its page offers to stop only what exists.
    public func isSubscribed(_ view: TicketView) async throws -> Bool {
        try await store.activeSubscriptions(officeID: view.office, businessDate: CityCalendar.businessDate(of: view.issuedAt))
            .contains { $0.ticketID == view.id }
    }

    public func unsubscribe(token: String) async throws {
        guard let view = projection.ticketView(token: token) else { throw DomainError.ticketNotFound }
        _ = try await store.unsubscribe(ticketID: view.id)
    }

    /// Reloads which offices have subscriptions (at start-up, and now and then for those taken by other instances).
    public func refreshWatchedOffices() async throws {
        let today = CityCalendar.businessDate(of: clock.now())
        var offices = Set<String>()
        for office in layout.current.offices where try await !store.activeSubscriptions(officeID: office.id, businessDate: today).isEmpty {
            offices.insert(office.id)
        }
        watched.withLock { $0 = offices }
    }

    public func publish(_ events: [DomainEvent]) async {
        let offices = Set(events.map(\.officeID)).intersection(watched.withLock { $0 })
        for office in offices {
            // A failure here must not lose the event for the screens; the next event of the office retries.
            try? await evaluate(officeID: office)
        }
    }

    /// Queues what is due for every subscription of the office and erases contacts no longer needed.
    public func evaluate(officeID: String) async throws {
        let now = clock.now()
        let layout = layout.current
        var anyQueued = false
        for subscription in try await store.activeSubscriptions(officeID: officeID, businessDate: CityCalendar.businessDate(of: now)) {
            guard let ticket = projection.ticketView(id: subscription.ticketID), let service = layout.service(subscription.serviceID) else { continue }
            let settings = service.notifications
            let decision = NotificationRule.decide(subscription, ticket: ticket, settings: settings)
            guard decision.send != nil || decision.erase else { continue }
            var subject = "", body = ""
            if let kind = decision.send {
                let values = [
                    "number": ticket.displayNumber, "service": service.name(in: subscription.language),
                    "office": layout.office(officeID)?.name ?? officeID, "ahead": String(ticket.peopleAhead ?? 0),
                    "counter": ticket.counter.flatMap(layout.counter)?.name ?? "", "url": "\(publicBaseURL)/t/\(ticket.token)"
                ]
                (subject, body) = settings.template(kind, language: subscription.language).render(values)
                // The first message to a contact says who signed it up and how to stop: someone may have typed a
                // stranger's address.
                if !subscription.sentAhead && !subscription.sentCalled {
                    body += "\n\n" + Self.stopText(subscription.language, url: values["url"] ?? "")
                }
            }
            if try await store.queue(decision.send, for: subscription, subject: subject, body: body, erase: decision.erase, at: now),
                decision.send != nil
            {
                anyQueued = true
            }
        }
        if anyQueued { queued() }
    }
}
