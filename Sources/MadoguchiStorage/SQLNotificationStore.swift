import Foundation
import MadoguchiCore
import SQLKit

/// Subscriptions and the outbox. Contacts and recipients are stored only sealed by `ContactCipher`, and set to NULL
/// when their purpose ends (the ticket called, finished or cancelled; the message delivered; the day over).
public struct SQLNotificationStore: NotificationStore {
    let database: Database
    let cipher: ContactCipher
    public init(database: Database, cipher: ContactCipher) {
        self.database = database
        self.cipher = cipher
    }

    public func subscribe(_ subscription: NotificationSubscription, at now: Date) async throws {
        guard let contact = subscription.contact else { return }
        let sealed = try cipher.seal(contact.address)
        try await database.transaction { db in
            try await db.raw(
                """
                DELETE FROM notification_subscriptions WHERE ticket_id = \(bind: subscription.ticketID) AND channel = \(bind: subscription.channel.rawValue)
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO notification_subscriptions (id, ticket_id, office_id, service_id, business_date, channel, contact_enc,
                  contact_masked, language, created_at)
                VALUES (\(bind: subscription.id), \(bind: subscription.ticketID), \(bind: subscription.officeID), \(bind: subscription.serviceID),
                  \(bind: subscription.businessDate), \(bind: subscription.channel.rawValue), \(bind: sealed), \(bind: subscription.maskedContact),
                  \(bind: subscription.language.rawValue), \(bind: Timestamp.micros(now)))
                """
            ).run()
        }
    }

    public func unsubscribe(ticketID: String) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("DELETE FROM notification_subscriptions WHERE ticket_id = \(bind: ticketID) RETURNING id").all().count
        }
    }

    public func activeSubscriptions(officeID: String, businessDate: String) async throws -> [NotificationSubscription] {
        let rows = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT * FROM notification_subscriptions
                WHERE office_id = \(bind: officeID) AND business_date = \(bind: businessDate) AND contact_enc IS NOT NULL ORDER BY created_at
                """
            ).all()
        }
        return try rows.map { row in
            let channel = ContactChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .email
            var subscription = NotificationSubscription(
                id: try row.decode(column: "id", as: String.self), ticketID: try row.decode(column: "ticket_id", as: String.self),
                officeID: officeID, serviceID: try row.decode(column: "service_id", as: String.self), businessDate: businessDate,
                contact: Contact(channel: channel, address: try cipher.open(try row.decode(column: "contact_enc", as: String.self))),
                language: Language(rawValue: try row.decode(column: "language", as: String.self)) ?? .ja,
                sentAhead: try row.decode(column: "sent_ahead", as: Int.self) != 0, sentCalled: try row.decode(column: "sent_called", as: Int.self) != 0)
            subscription.maskedContact = try row.decode(column: "contact_masked", as: String.self)
            return subscription
        }
    }

    public func queue(
        _ kind: NotificationSettings.Kind?, for subscription: NotificationSubscription, subject: String, body: String, erase: Bool, at now: Date
    ) async throws -> Bool {
        let recipient = try subscription.contact.map { try cipher.seal($0.address) }
        return try await database.transaction { db in
            var queued = false
            if let kind, let recipient {
                let flag = kind == .ahead ? "sent_ahead" : "sent_called"
                // Only the instance whose update flips the flag queues the message.
                let flipped = try await db.raw(
                    """
                    UPDATE notification_subscriptions SET \(ident: flag) = 1
                    WHERE id = \(bind: subscription.id) AND \(ident: flag) = 0 AND contact_enc IS NOT NULL RETURNING id
                    """
                ).all()
                if !flipped.isEmpty {
                    try await db.raw(
                        """
                        INSERT INTO outbox (subscription_id, ticket_id, business_date, channel, kind, recipient_enc, subject, body, state,
                          next_attempt_at, created_at)
                        VALUES (\(bind: subscription.id), \(bind: subscription.ticketID), \(bind: subscription.businessDate),
                          \(bind: subscription.channel.rawValue), \(bind: kind.rawValue), \(bind: recipient), \(bind: subject), \(bind: body),
                          'pending', \(bind: Timestamp.micros(now)), \(bind: Timestamp.micros(now)))
                        """
                    ).run()
                    queued = true
                }
            }
            if erase {
                try await db.raw(
                    """
                    UPDATE notification_subscriptions SET contact_enc = NULL, erased_at = \(bind: Timestamp.micros(now))
                    WHERE id = \(bind: subscription.id)
                    """
                ).run()
            }
            return queued
        }
    }

    public func claimDue(at now: Date, lease: TimeInterval, limit: Int) async throws -> [OutgoingMessage] {
        let micros = Timestamp.micros(now)
        let until = Timestamp.micros(now.addingTimeInterval(lease))
        let lock: SQLQueryString = database.kind == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await database.transaction { db in
            try await db.raw(
                """
                UPDATE outbox SET state = 'sending', lease_until = \(bind: until)
                WHERE id IN (SELECT id FROM outbox
                  WHERE ((state = 'pending' AND next_attempt_at <= \(bind: micros)) OR (state = 'sending' AND lease_until < \(bind: micros)))
                    AND recipient_enc IS NOT NULL
                  ORDER BY id LIMIT \(literal: limit)\(lock))
                RETURNING id, channel, recipient_enc, subject, body, attempts
                """
            ).all()
        }
        return try rows.map { row in
            OutgoingMessage(
                id: try row.decode(column: "id", as: Int64.self),
                channel: ContactChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .email,
                recipient: try cipher.open(try row.decode(column: "recipient_enc", as: String.self)),
                subject: try row.decode(column: "subject", as: String.self), body: try row.decode(column: "body", as: String.self),
                attempts: try row.decode(column: "attempts", as: Int.self))
        }.sorted { $0.id < $1.id }
    }

    public func delivered(_ id: Int64, at now: Date) async throws {
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE outbox SET state = 'sent', sent_at = \(bind: Timestamp.micros(now)), recipient_enc = NULL, lease_until = NULL,
                  attempts = attempts + 1
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    public func failed(_ id: Int64, error: String, retryAt: Date) async throws {
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE outbox SET state = 'pending', attempts = attempts + 1, last_error = \(bind: error),
                  next_attempt_at = \(bind: Timestamp.micros(retryAt)), lease_until = NULL
                WHERE id = \(bind: id) AND state = 'sending'
                """
            ).run()
        }
    }

    public func purge(before businessDate: String, at now: Date) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE notification_subscriptions SET contact_enc = NULL, erased_at = \(bind: Timestamp.micros(now))
                WHERE business_date < \(bind: businessDate) AND contact_enc IS NOT NULL
                """
            ).run()
            try await db.raw(
                """
                UPDATE outbox SET state = 'failed', recipient_enc = NULL, last_error = COALESCE(last_error, '') || ' (期限切れ)'
                WHERE business_date < \(bind: businessDate) AND state IN ('pending', 'sending')
                """
            ).run()
            try await db.raw("UPDATE outbox SET recipient_enc = NULL WHERE business_date < \(bind: businessDate)").run()
            try await db.raw("DELETE FROM web_ticket_contacts WHERE business_date < \(bind: businessDate)").run()
        }
    }

    public func deliveries(officeID: String, businessDate: String) async throws -> [NotificationDelivery] {
        try await database.withConnection { db in
            try await db.raw(
                """
                SELECT s.ticket_id, t.display_number, s.channel, s.contact_masked, o.kind, o.state, o.attempts, o.last_error, o.created_at, o.sent_at
                FROM outbox o JOIN notification_subscriptions s ON s.id = o.subscription_id JOIN tickets t ON t.id = o.ticket_id
                WHERE s.office_id = \(bind: officeID) AND o.business_date = \(bind: businessDate) ORDER BY o.id DESC LIMIT 500
                """
            ).all().map { row in
                NotificationDelivery(
                    ticket: try row.decode(column: "ticket_id", as: String.self), displayNumber: try row.decode(column: "display_number", as: String.self),
                    channel: ContactChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .email,
                    contact: try row.decode(column: "contact_masked", as: String.self), kind: try row.decode(column: "kind", as: String.self),
                    state: try row.decode(column: "state", as: String.self), attempts: try row.decode(column: "attempts", as: Int.self),
                    lastError: try row.decode(column: "last_error", as: String?.self),
                    createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)),
                    sentAt: try row.decode(column: "sent_at", as: Int64?.self).map(Timestamp.date))
            }
        }
    }
}
