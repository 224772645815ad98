import Foundation
@testable import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Notification rules (W4)")
struct NotificationRuleTests {
    @Test("e-mail addresses and Japanese mobile numbers are normalised; anything else is refused")
    func contacts() throws {
        #expect(try Contact(email: " hanako@example.jp ").address == "hanako@example.jp")
        #expect(try Contact(phone: "090-1234-5678").address == "+819012345678")
        #expect(try Contact(phone: "０８０ １２３４ ５６７８").address == "+818012345678")
        #expect(try Contact(phone: "+44 7700 900123").address == "+447700900123")
        for bad in ["", "hanako", "@example.jp", "hanako@", "hanako@example", "a b@example.jp", "x@.jp", "<x>@example.jp"] {
            #expect(throws: DomainError.invalidContact) { try Contact(email: bad) }
        }
        for bad in ["", "0312345678", "09012345", "0901234567890", "+12", "090-abcd-5678"] {
            #expect(throws: DomainError.invalidContact) { try Contact(phone: bad) }
        }
        #expect(try Contact(email: "hanako@example.jp").masked == "h***@example.jp")
        #expect(try Contact(phone: "09012345678").masked == "090-****-5678")
    }

    static func view(_ state: TicketState, ahead: Int?) -> TicketView {
        TicketView(
            id: "t", token: "k", office: "main", number: 12, displayNumber: "A012", service: "a", stage: "a-1", state: state,
            priority: false, issuedAt: Date(), peopleAhead: ahead, estimatedWaitMinutes: nil, counter: state == .called ? "c1" : nil)
    }

    @Test("the near message goes once at N ahead or fewer; the call message once; the contact goes with the call or the end")
    func decisions() throws {
        let settings = NotificationSettings(notifyAhead: 5)
        var subscription = NotificationSubscription(
            id: "s", ticketID: "t", officeID: "main", serviceID: "a", businessDate: "2026-11-24", contact: try Contact(email: "a@b.jp"), language: .ja)
        let decide = { (state: TicketState, ahead: Int?) in NotificationRule.decide(subscription, ticket: Self.view(state, ahead: ahead), settings: settings) }
        #expect(decide(.waiting, 6) == .init(send: nil, erase: false))
        #expect(decide(.waiting, 5) == .init(send: .ahead, erase: false))
        #expect(decide(.waiting, 0) == .init(send: .ahead, erase: false))
        #expect(decide(.called, 0) == .init(send: .called, erase: true))
        #expect(decide(.absent, nil) == .init(send: nil, erase: false))
        #expect(decide(.cancelled, nil) == .init(send: nil, erase: true))
        #expect(decide(.done, nil) == .init(send: nil, erase: true))
        subscription.sentAhead = true
        subscription.sentCalled = true
        #expect(decide(.waiting, 2) == .init(send: nil, erase: false))
        #expect(decide(.called, 0) == .init(send: nil, erase: true))
    }

    @Test("templates fill their placeholders per language and fall back to the defaults; bad settings are named")
    func templates() {
        var settings = NotificationSettings(
            notifyAhead: 3, templates: ["ahead": ["en": MessageTemplate(subject: "{number} soon", body: "{ahead} before {number} at {office}")]])
        let values = ["number": "A012", "ahead": "3", "office": "本庁舎", "service": "住民異動", "counter": "1番", "url": "http://x/t/k"]
        #expect(settings.template(.ahead, language: .en).render(values) == ("A012 soon", "3 before A012 at 本庁舎"))
        #expect(settings.template(.ahead, language: .ja).render(values).body.contains("番号 A012 の前に 3 人"))
        #expect(settings.template(.called, language: .ko).render(values).body.contains("1番(으)로 와 주세요"))
        #expect(settings.validate().isEmpty)
        settings.notifyAhead = 0
        settings.templates = ["later": ["xx": MessageTemplate(subject: "", body: " ")]]
        let faults = settings.validate()
        #expect(faults.count == 4)
    }

    @Test("retries back off from 5 seconds, doubling, to at most 10 minutes")
    func backoff() {
        #expect([1, 2, 3, 4, 10, 50].map(OutgoingMessage.backoff(afterAttempts:)) == [5, 10, 20, 40, 600, 600])
    }
}
