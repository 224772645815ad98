import MadoguchiCore
import MadoguchiTestSupport
import Testing
@testable import MadoguchiWeb

@Suite("The ticket's own page offers only what applies (issue 15, item 13)")
struct TicketPageTests {
    @Test("a waiting ticket offers sign-up; the stop button appears only once a contact is registered")
    func signUpThenStop() async throws {
        try await APITestHarness.run { h in
            let token = try #require(try await h.issue("a")["token"] as? String)
            // when the page of a fresh ticket opens
            let fresh = try await h.page("/t/\(token)?lang=en")
            // then it offers notifications but nothing to stop
            #expect(fresh.html.contains(#"id="notify-heading""#) && !fresh.html.contains(#"id="notify-stop""#))
            // when a contact is registered
            let signUp = try await h.request(.post, "/api/v1/tickets/\(token)/notifications", json: #"{"email":"visitor@example.jp"}"#)
            #expect(signUp.status == .created)
            // then the page says so and offers to stop
            let registered = try await h.page("/t/\(token)?lang=en")
            #expect(registered.html.contains(#"id="notify-stop""#) && registered.html.contains("A contact is registered for notifications."))
        }
    }

    @Test("called and absent tickets offer no notifications, and the API refuses them too")
    func calledAndAbsent() async throws {
        try await APITestHarness.run { h in
            let token = try #require(try await h.issue("a")["token"] as? String)
            let clerk = try await h.signIn()
            // when the ticket is called
            #expect(try await h.request(.post, "/api/v1/counters/c1/call-next", cookie: clerk).status == .ok)
            let called = try await h.page("/t/\(token)")
            #expect(called.status == .ok && !called.html.contains(#"id="notify-heading""#))
            // and then marked absent
            #expect(try await h.request(.post, "/api/v1/counters/c1/absent", cookie: clerk).status == .ok)
            let absent = try await h.page("/t/\(token)")
            #expect(absent.html.contains(#"data-state="absent""#) && !absent.html.contains(#"id="notify-heading""#))
            let refused = try await h.request(.post, "/api/v1/tickets/\(token)/notifications", json: #"{"email":"visitor@example.jp"}"#)
            #expect(refused.errorCode == "ticket_not_active")
        }
    }

    @Test(
        "an unknown ticket says why in the visitor's language",
        arguments: [
            ("en", "This ticket cannot be found", "valid only on the day it was issued"),
            ("zh-Hans", "找不到此号码牌", "仅在发放当天有效"),
            ("ko", "이 번호표를 찾을 수 없습니다", "발급한 날에만 유효합니다"),
            ("ja", "この番号札は見つかりません", "発行した日だけ有効です")
        ])
    func unknownTicket(lang: String, title: String, reason: String) async throws {
        try await APITestHarness.run { h in
            let page = try await h.page("/t/no-such-ticket?lang=\(lang)")
            #expect(page.status == .notFound)
            #expect(page.html.contains(#"<html lang="\#(lang)">"#))
            #expect(page.html.contains(title) && page.html.contains(reason))
            // the language links keep the visitor on this page
            #expect(page.html.contains("/t/no-such-ticket?lang=en"))
        }
    }
}

@Suite("The office page says when the office is open (issue 15, item 12)")
struct OfficeHoursPageTests {
    @Test("open now with its closing time, the weekly hours in the visitor's language, and closed on a holiday")
    func hours() async throws {
        try await APITestHarness.run { h in
            // on a Tuesday at 9:00
            let ja = try await h.page("/offices/main?lang=ja")
            #expect(ja.html.contains(#"id="opening-today">ただいま受付中です（17:15まで）</p>"#))
            #expect(ja.html.contains("<li>月〜金 8:30–17:15</li>"))
            let en = try await h.page("/offices/main?lang=en")
            #expect(en.html.contains("Open now (until 17:15)") && en.html.contains("<li>Mon〜Fri 8:30–17:15</li>"))
            // after closing time
            h.t.clock.advance(seconds: 9 * 3600)
            #expect(try await h.page("/offices/main?lang=ja").html.contains(#"id="opening-today">本日の受付は終了しました</p>"#))
            // on Labour Thanksgiving Day the day before
            h.t.clock.advance(seconds: -(86_400 + 9 * 3600))
            #expect(try await h.page("/offices/main?lang=ko").html.contains(#"id="opening-today">오늘은 휴무일입니다</p>"#))
        }
    }
}
