import Foundation
import Synchronization

/// A visitor's request to be told about one ticket.
public struct NotificationSubscription: Sendable, Equatable {
    public var id: String
    public var ticketID: String
    public var officeID: String
    public var serviceID: String
    public var businessDate: String
    public var channel: ContactChannel
    /// nil once erased.
    public var contact: Contact?
    public var maskedContact: String
    public var language: Language
    public var sentAhead: Bool
    public var sentCalled: Bool

    public init(
        id: String, ticketID: String, officeID: String, serviceID: String, businessDate: String, contact: Contact, language: Language,
        sentAhead: Bool = false, sentCalled: Bool = false
    ) {
        self.id = id
        self.ticketID = ticketID
        self.officeID = officeID
        self.serviceID = serviceID
        self.businessDate = businessDate
        channel = contact.channel
        self.contact = contact
        maskedContact = contact.masked
        self.language = language
        self.sentAhead = sentAhead
        self.sentCalled = sentCalled
    }
}

/// One message to deliver, as the outbox keeps it.
public struct OutgoingMessage: Sendable, Equatable {
    public var id: Int64
    public var channel: ContactChannel
    public var recipient: String
    public var subject: String
    public var body: String
    public var attempts: Int
    public init(id: Int64, channel: ContactChannel, recipient: String, subject: String, body: String, attempts: Int) {
        self.id = id
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.attempts = attempts
    }

    /// Wait before the next attempt after `attempts` failures: 5 s doubling, at most 10 minutes.
    public static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        min(600, 5 * pow(2, Double(max(0, attempts - 1))))
    }
}

/// Delivery state staff see (contact masked).
public struct NotificationDelivery: Codable, Sendable, Equatable {
    public var ticket: String
    public var displayNumber: String
    public var channel: ContactChannel
    public var contact: String
    public var kind: String
    public var state: String
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?

    public init(
        ticket: String, displayNumber: String, channel: ContactChannel, contact: String, kind: String, state: String,
        attempts: Int, lastError: String?, createdAt: Date, sentAt: Date?
    ) {
        self.ticket = ticket
        self.displayNumber = displayNumber
        self.channel = channel
        self.contact = contact
        self.kind = kind
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}

/// Persistence of subscriptions and the outbox.
public protocol NotificationStore: Sendable {
    /// Replaces the ticket's subscription on that channel.
    func subscribe(_ subscription: NotificationSubscription, at: Date) async throws
    func unsubscribe(ticketID: String) async throws -> Int
    /// Subscriptions with a contact still stored, of today's tickets of an office.
    func activeSubscriptions(officeID: String, businessDate: String) async throws -> [NotificationSubscription]
    /// In one transaction: marks `kind` sent unless another instance did so first (then returns false and queues
    /// nothing), queues the message, and erases the contact when asked.
    func queue(
        _ kind: NotificationSettings.Kind?, for subscription: NotificationSubscription, subject: String, body: String,
        erase: Bool, at: Date
    ) async throws -> Bool
    /// Claims due messages for `lease` seconds; a message claimed by a dead instance is due again after its lease.
    func claimDue(at: Date, lease: TimeInterval, limit: Int) async throws -> [OutgoingMessage]
    /// Delivered: the recipient is erased.
    func delivered(_ id: Int64, at: Date) async throws
    func failed(_ id: Int64, error: String, retryAt: Date) async throws
    /// Erases contacts and gives up on undelivered messages of days before `businessDate`.
    func purge(before businessDate: String, at: Date) async throws
    func deliveries(officeID: String, businessDate: String) async throws -> [NotificationDelivery]
}

/// Sends one message over one channel (SMTP, an SMS gateway); throws when it was not accepted.
public protocol MessageSender: Sendable {
    func send(_ message: OutgoingMessage) async throws
}
