import MadoguchiCore
import MadoguchiTestSupport
import Testing
@testable import MadoguchiWeb

@Suite("Public forms: a fault stays beside its field, names it and keeps what was typed (issue 15, item 16)")
struct PublicFormErrorTests {
    static var webTicketLayout: OfficeLayout {
        let layout = TestLayouts.city
        var services = layout.services
        services[1].webTicketing = WebTicketingRules(dailyQuota: 50, hourlyQuota: 20, checkInRequired: true, holdMinutes: 10)
        return OfficeLayout(
            offices: layout.offices.map {
                var o = $0; o.hours = [OpeningHours(weekdays: Array(1...7), from: 0, until: 1440)]; return o
            },
            services: services, counters: layout.counters)
    }

    @Test("a wrong mobile number is told beside the phone field in the visitor's language, with the number kept")
    func wrongPhone() async throws {
        try await APITestHarness.run { h in
            let token = try #require(try await h.issue("a")["token"] as? String)
            let refused = try await h.post(form: "lang=en&email=&phone=0312", to: "/t/\(token)/notifications")
            let html = String(decoding: refused.body, as: UTF8.self)
            #expect(refused.status == .unprocessableContent)
            // the message sits between the phone label and its field, and the field points to it
            let label = try #require(html.range(of: #"<label for="notify-phone">"#))
            let message = try #require(html.range(of: #"<span class="field-error" role="alert" id="notify-error">Enter the mobile number as 11 digits"#))
            let field = try #require(html.range(of: #"<input id="notify-phone" name="phone" type="tel" value="0312""#))
            #expect(label.upperBound < message.lowerBound && message.upperBound < field.lowerBound)
            #expect(html.contains(#"aria-describedby="notify-intro notify-error" aria-invalid="true""#))
            // the e-mail field is not blamed
            #expect(!html.contains(#"value="" inputmode="email" autocomplete="email" aria-describedby="notify-intro notify-error""#))
            #expect(
                try await h.t.runtime.webDependencies.visitors.notifications.isSubscribed(try await h.t.runtime.webDependencies.ticketView(token: token))
                    == false)
        }
    }

    @Test("a bad e-mail address, or both fields filled, is named as such; the typed address stays")
    func wrongEmailOrBoth() async throws {
        try await APITestHarness.run { h in
            let token = try #require(try await h.issue("a")["token"] as? String)
            let email = try await h.post(form: "lang=ja&email=hanako%40example&phone=", to: "/t/\(token)/notifications")
            let emailHTML = String(decoding: email.body, as: UTF8.self)
            #expect(email.status == .unprocessableContent && emailHTML.contains("メールアドレスの形が正しくありません。"))
            #expect(
                emailHTML.contains(
                    #"value="hanako@example" inputmode="email" autocomplete="email" aria-describedby="notify-intro notify-error" aria-invalid="true""#))
            let both = try await h.post(form: "lang=ja&email=hanako%40example.jp&phone=09012345678", to: "/t/\(token)/notifications")
            let bothHTML = String(decoding: both.body, as: UTF8.self)
            #expect(bothHTML.contains("どちらか一方だけを入力してください") && bothHTML.contains(#"value="09012345678""#))
        }
    }

    @Test("the web-ticket form comes back with the chosen procedure ticked and the contact kept, the fault beside it")
    func webTicketContact() async throws {
        try await APITestHarness.run(layout: Self.webTicketLayout) { h in
            let refused = try await h.post(form: "lang=en&service=b&contact=nonsense", to: "/offices/main/web-tickets")
            let html = String(decoding: refused.body, as: UTF8.self)
            #expect(refused.status == .unprocessableContent)
            #expect(html.contains(#"id="web-b" value="b" required aria-describedby="rules-b" checked>"#))
            #expect(html.contains(#"<span class="field-error" role="alert" id="web-error">Please enter a valid e-mail address or a Japanese mobile number"#))
            #expect(
                html.contains(
                    #"<input id="web-contact" name="contact" value="nonsense" required autocomplete="email" aria-invalid="true" aria-describedby="web-error">"#)
            )
            let status = try await h.request(.get, "/api/v1/offices/main/status").object
            let services = try #require(status["services"] as? [[String: Any]])
            #expect(services.allSatisfy { ($0["waiting"] as? Int) == 0 })
        }
    }

    @Test("a wrong check-in code is told beside the code field and kept for correcting")
    func wrongCheckInCode() async throws {
        try await APITestHarness.run(layout: Self.webTicketLayout) { h in
            let issued = try await h.request(.post, "/api/v1/offices/main/web-tickets", json: #"{"service":"b","contact":"taro@example.jp"}"#)
            let token = try #require(issued.object["token"] as? String)
            let right = h.t.runtime.webDependencies.checkInCode(officeID: "main")
            let wrong = right == "0000" ? "1111" : "0000"
            let refused = try await h.post(form: "lang=ja&code=\(wrong)", to: "/t/\(token)/check-in")
            let html = String(decoding: refused.body, as: UTF8.self)
            #expect(refused.status == .unprocessableContent && html.contains(#"id="check-in-error">到着確認の番号が違います。"#))
            #expect(
                html.contains(#"<input id="check-in-code" name="code" value="\#(wrong)""#)
                    && html.contains(#"aria-describedby="check-in-intro check-in-error" aria-invalid="true""#))
        }
    }
}
