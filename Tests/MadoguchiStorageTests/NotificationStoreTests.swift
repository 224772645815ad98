import Foundation
import MadoguchiApp
import MadoguchiCore
import MadoguchiStorage
import MadoguchiTestSupport
import SQLKit
import Testing

@Suite("Notification storage", .serialized)
struct NotificationStoreTests {
    static let cipher = try! ContactCipher(parsing: ContactCipher.newKeyText(id: "k1"))

    @Test("contacts are sealed with AES-GCM; a rotated ring still opens old ones; a foreign or altered one does not open")
    func cipherRing() throws {
        let old = Self.cipher
        let sealed = try old.seal("hanako@example.jp")
        #expect(!sealed.contains("hanako") && sealed.hasPrefix("k1:"))
        #expect(try old.open(sealed) == "hanako@example.jp")
        let rotated = try ContactCipher(keys: [try ContactCipher(parsing: ContactCipher.newKeyText(id: "k2")).keys[0]] + old.keys)
        #expect(try rotated.seal("x").hasPrefix("k2:"))
        #expect(try rotated.open(sealed) == "hanako@example.jp")
        let stranger = try ContactCipher(parsing: ContactCipher.newKeyText(id: "k1"))
        #expect(throws: (any Error).self) { try stranger.open(sealed) }
        var altered = Array(sealed)
        altered[altered.count - 3] = altered[altered.count - 3] == "A" ? "B" : "A"
        #expect(throws: (any Error).self) { try old.open(String(altered)) }
        #expect(throws: ContactCipher.ConfigurationError.self) { try ContactCipher(parsing: "k1:c2hvcnQ=") }
    }

    func subscription(_ ticket: Ticket, _ email: String) throws -> NotificationSubscription {
        NotificationSubscription(
            id: UUID().uuidString, ticketID: ticket.id, officeID: ticket.officeID, serviceID: ticket.serviceID,
            businessDate: ticket.businessDate, contact: try Contact(email: email), language: .ja)
    }

    @Test(
        "a message is queued once even when two instances decide at once; sent messages and erased contacts keep no address",
        arguments: TestDatabaseKind.available)
    func queueOnce(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let store = SQLNotificationStore(database: t.runtime.database, cipher: Self.cipher)
            let ticket = try await t.queue.issueTicket(officeID: "main", serviceID: "a")
            let sub = try subscription(ticket, "hanako@example.jp")
            try await store.subscribe(sub, at: t.clock.now())
            let active = try await store.activeSubscriptions(officeID: "main", businessDate: ticket.businessDate)
            #expect(active.map(\.contact?.address) == ["hanako@example.jp"] && active.first?.maskedContact == "h***@example.jp")

            try await t.withSecondInstance { second in
                let other = SQLNotificationStore(database: second.database, cipher: Self.cipher)
                async let a = store.queue(.ahead, for: sub, subject: "s", body: "b", erase: false, at: t.clock.now())
                async let b = other.queue(.ahead, for: sub, subject: "s", body: "b", erase: false, at: t.clock.now())
                let results = try await [a, b]
                #expect(results.filter { $0 }.count == 1)
            }
            let stored = try await t.runtime.database.withConnection { db in
                try await db.raw("SELECT contact_enc FROM notification_subscriptions").all().map { try $0.decode(column: "contact_enc", as: String?.self) }
            }
            #expect(stored.count == 1 && stored[0]?.contains("hanako") == false)

            let claimed = try await store.claimDue(at: t.clock.now(), lease: 60, limit: 10)
            #expect(claimed.map(\.recipient) == ["hanako@example.jp"])
            #expect(try await store.claimDue(at: t.clock.now(), lease: 60, limit: 10).isEmpty)  // leased
            try await store.failed(claimed[0].id, error: "down", retryAt: t.clock.now().addingTimeInterval(5))
            #expect(try await store.claimDue(at: t.clock.now(), lease: 60, limit: 10).isEmpty)  // not yet due
            let retried = try await store.claimDue(at: t.clock.now().addingTimeInterval(5), lease: 60, limit: 10)
            #expect(retried.map(\.attempts) == [1])
            // a claim whose instance died is due again after its lease
            #expect(try await store.claimDue(at: t.clock.now().addingTimeInterval(66), lease: 60, limit: 10).map(\.id) == [claimed[0].id])
            try await store.delivered(claimed[0].id, at: t.clock.now())

            _ = try await store.queue(.called, for: sub, subject: "s", body: "b", erase: true, at: t.clock.now())
            #expect(try await store.activeSubscriptions(officeID: "main", businessDate: ticket.businessDate).isEmpty)
            let deliveries = try await store.deliveries(officeID: "main", businessDate: ticket.businessDate)
            #expect(deliveries.map(\.state).sorted() == ["pending", "sent"] && deliveries.allSatisfy { $0.contact == "h***@example.jp" })

            // the next day nothing of yesterday's addresses is left
            try await store.purge(before: "9999-12-31", at: t.clock.now())
            let left = try await t.runtime.database.withConnection { db in
                try await db.raw(
                    """
                    SELECT (SELECT COUNT(*) FROM outbox WHERE recipient_enc IS NOT NULL) AS o,
                      (SELECT COUNT(*) FROM notification_subscriptions WHERE contact_enc IS NOT NULL) AS s,
                      (SELECT COUNT(*) FROM outbox WHERE state = 'failed') AS f
                    """
                ).first().map { [try $0.decode(column: "o", as: Int.self), try $0.decode(column: "s", as: Int.self), try $0.decode(column: "f", as: Int.self)] }
            }
            #expect(left == [0, 0, 1])
        }
    }
}
