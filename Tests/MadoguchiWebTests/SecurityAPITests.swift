import Foundation
import HTTPTypes
import Hummingbird
import MadoguchiCore
import MadoguchiTestSupport
@testable import MadoguchiWeb
import NIOCore
import Testing

/// Each fault of the probe (issue 14) as an attacker met it, through the router.
@Suite("Security through HTTP (issue 14)", .serialized)
struct SecurityAPITests {
    /// `cityWithDevices` with a kiosk of the other office.
    static var twoOfficesWithKiosks: OfficeLayout {
        let base = TestLayouts.cityWithDevices
        return OfficeLayout(
            offices: base.offices, services: base.services, counters: base.counters,
            kiosks: base.kiosks + [
                Kiosk(
                    id: "xk", officeID: "other", name: "支所の発券機",
                    menuSets: [MenuSet(id: "all", name: "全業務", serviceIDs: ["x"])], defaultMenuSetID: "all")
            ],
            monitors: base.monitors)
    }

    static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    @Test("an office manager cannot move another office's kiosk into their own by posting its id, nor edit its counters or services")
    func kioskTakeover() async throws {
        try await APITestHarness.run(layout: Self.twoOfficesWithKiosks) { h in
            let manager = try await h.signIn(role: .officeManager, offices: ["main"])
            // the other office's kiosk, as its own YAML (JSON is YAML), claimed for this office
            var kiosk = try #require(h.t.runtime.layout.current.kiosk("xk"))
            kiosk.officeID = "main"
            kiosk.menuSets = [MenuSet(id: "all", name: "全業務", serviceIDs: ["a"])]
            let yaml = String(decoding: try JSONEncoder().encode(kiosk), as: UTF8.self)
            let answer = try await h.post(
                form: Self.form([("office", "main"), ("kind", "kiosk"), ("yaml", yaml)]), to: "/admin/settings/devices", cookie: manager)
            #expect(answer.status == .forbidden, "\(String(decoding: answer.body, as: UTF8.self).prefix(3000))")
            #expect(h.t.runtime.layout.current.kiosk("xk")?.officeID == "other")
            let counter = try await h.post(
                form: Self.form([("office", "main"), ("id", "x1"), ("name", "乗っ取り"), ("stage", "a-1")]),
                to: "/admin/settings/counters", cookie: manager)
            #expect(counter.status == .forbidden)
            #expect(h.t.runtime.layout.current.counter("x1")?.officeID == "other")
        }
    }

    @Test("YAML anchors and aliases are refused in every document the server reads, quickly and with their place")
    func aliasBomb() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices) { h in
            let admin = try await h.signIn(role: .admin, offices: [])
            var bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            for level in 1...9 {
                bomb += "l\(level): &l\(level) [" + Array(repeating: level == 1 ? "*a" : "*l\(level - 1)", count: 9).joined(separator: ",") + "]\n"
            }
            let started = ContinuousClock.now
            let put = try await h.client.execute(
                uri: "/api/v1/configuration", method: .put, headers: [.cookie: admin, .contentType: "application/yaml"],
                body: ByteBuffer(string: bomb)
            ) { ($0.status, String(buffer: $0.body)) }
            #expect(put.0 == .unprocessableContent && put.1.contains("アンカー"), "\(put.1)")
            let page = try await h.post(
                form: Self.form([("office", "main"), ("kind", "kiosk"), ("yaml", "id: &x k1\n" + bomb)]),
                to: "/admin/settings/devices", cookie: admin)
            #expect(String(decoding: page.body, as: UTF8.self).contains("アンカー（&amp;）と別名（*）は使えません"))
            // a guard against regressions to expanding, not a benchmark: expanding this takes minutes
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    @Test("bodies over the limit answer 413 with the error envelope; a range with lower > upper is a placed fault, not a 500")
    func limitsAndRanges() async throws {
        try await APITestHarness.run { h in
            let big = #"{"service":"a","pad":""# + String(repeating: "x", count: 200_000) + #""}"#
            let answer = try await h.request(.post, "/api/v1/offices/main/tickets", json: big)
            #expect(answer.status == .contentTooLarge && answer.errorCode == "body_too_large")
            let admin = try await h.signIn(role: .admin, offices: [])
            var document = try await h.request(.get, "/api/v1/configuration?format=json", cookie: admin).object
            var services = document["services"] as! [[String: Any]]
            services[0]["numberRange"] = ["lowerBound": 10, "upperBound": 5]
            services[1]["numberRange"] = ["lowerBound": 0, "upperBound": 9_223_372_036_854_775_807]
            document["services"] = services
            let body = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
            let put = try await h.client.execute(
                uri: "/api/v1/configuration", method: .put, headers: [.cookie: admin, .contentType: "application/json"],
                body: ByteBuffer(string: body)
            ) { ($0.status, Data(buffer: $0.body)) }
            #expect(put.0 == .unprocessableContent)
            let faults = ((try JSONSerialization.jsonObject(with: put.1) as? [String: Any])?["error"] as? [String: Any])?["faults"] as? [[String: Any]] ?? []
            #expect(faults.contains { ($0["path"] as? String) == "services[0]" && ($0["message"] as? String)?.contains("大きくなっています") == true })
            #expect(faults.contains { ($0["path"] as? String) == "services[1]" && ($0["message"] as? String)?.contains("9999以下") == true })
            #expect(faults.allSatisfy { $0["line"] is Int })
        }
    }

    @Test("state changes from another site are refused: Sec-Fetch-Site, Origin, and the content types a form can send to the API")
    func crossSite() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices) { h in
            let clerk = try await h.signIn(role: .staff, offices: ["main"])
            _ = try await h.issue("a")
            let crossSite = try await h.request(
                .post, "/api/v1/counters/c1/call-next", cookie: clerk, headers: [HTTPField.Name("Sec-Fetch-Site")!: "same-site"])
            #expect(crossSite.status == .forbidden && crossSite.errorCode == "cross_site_request")
            let foreign = try await h.request(
                .post, "/api/v1/counters/c1/call-next", cookie: clerk, headers: [HTTPField.Name("Origin")!: "http://evil.example"])
            #expect(foreign.status == .forbidden)
            let plain = try await h.request(.post, "/api/v1/counters/c1/call-next", cookie: clerk, headers: [.contentType: "text/plain"])
            #expect(plain.status == .unsupportedMediaType)
            let manager = try await h.signIn(role: .officeManager, offices: ["main"])
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: manager, HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            let closure = try await h.client.execute(
                uri: "/staff/devices/closure", method: .post, headers: headers,
                body: ByteBuffer(string: "service=a&action=close&message=x")
            ) { $0.status }
            #expect(closure == .forbidden)
            #expect(h.t.runtime.projection.closure(serviceID: "a") == nil)
            // the site's own pages still work
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            let own = try await h.client.execute(
                uri: "/staff/devices/closure", method: .post, headers: headers,
                body: ByteBuffer(string: "service=a&action=close&message=x")
            ) { $0.status }
            #expect(own == .seeOther)
            let sameOrigin = try await h.request(
                .post, "/api/v1/counters/c1/call-next", cookie: clerk,
                headers: [HTTPField.Name("Origin")!: "http://127.0.0.1:8080"])  // the public base URL
            #expect(sameOrigin.status == .ok)
        }
    }

    @Test(
        "after sign-in only a plain path of this site is followed",
        arguments: [
            ("/%09/evil.example/x", "/staff"), ("//evil.example", "/staff"), ("/\\evil.example", "/staff"), ("https://evil.example/", "/staff"),
            ("/%0a/evil.example", "/staff"), ("/staff/devices?x=1", "/staff/devices?x=1")
        ])
    func redirectAfterSignIn(next: String, expected: String) async throws {
        try await APITestHarness.run { h in
            _ = try await h.t.runtime.staffAccess.addUser(login: "clerk1", role: .staff, officeIDs: ["main"], password: "test passphrase 1")
            let encodedNext = next.removingPercentEncoding!.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let answer = try await h.post(form: "login=clerk1&password=test%20passphrase%201&next=\(encodedNext)", to: "/staff/sign-in")
            #expect(answer.status == .seeOther && answer.headers[.location] == expected)
        }
    }

    @Test("pages forbid other form targets and bases; exports are not cached; over HTTPS HSTS and __Host- cookies")
    func headers() async throws {
        try await APITestHarness.run { h in
            let page = try await h.page("/")
            #expect(page.headers[.contentSecurityPolicy]?.contains("form-action 'self'") == true)
            #expect(page.headers[.contentSecurityPolicy]?.contains("base-uri 'none'") == true)
            let admin = try await h.signIn(role: .admin, offices: [])
            let csv = try await h.request(.get, "/api/v1/audit?format=csv", cookie: admin)
            #expect(csv.headers[.cacheControl] == "no-store")
            #expect(try await h.request(.get, "/static/public.css").headers[.cacheControl] != "no-store")
        }
        var secure = APITestHarness.unlimited
        secure.secureCookies = true
        try await APITestHarness.run(settings: secure) { h in
            _ = try await h.t.runtime.staffAccess.addUser(login: "clerk2", role: .staff, officeIDs: ["main"], password: "test passphrase 1")
            let answer = try await h.request(.post, "/api/v1/session", json: #"{"login":"clerk2","password":"test passphrase 1"}"#)
            #expect(answer.headers[.setCookie]?.hasPrefix("__Host-madoguchi_session=") == true)
            #expect(answer.headers[HTTPField.Name("Strict-Transport-Security")!] != nil)
        }
    }

    @Test("the check-in code is only on screens in the office: a registered device or signed-in staff, not a page anyone fetches")
    func checkInCode() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices) { h in
            let code = h.t.runtime.webDependencies.checkInCode(officeID: "main")
            for path in ["/kiosk/k1", "/display/lobby/lobby"] {
                let html = try await h.page(path).html
                #expect(!html.contains(">\(code)</strong>") && !html.contains("data-check-in-code=\"\(code)\""), "\(path)")
            }
            let kiosk = try await h.page("/kiosk/k1", cookie: h.deviceCookie(.kiosk, "k1"))
            #expect(kiosk.html.contains(">\(code)</strong>") && !kiosk.html.contains("device-notice"))
            let lobby = try await h.page("/display/lobby/lobby", cookie: h.deviceCookie(.lobby, "lobby"))
            #expect(lobby.html.contains(">\(code)</strong>"))
            // a forged credential is no device
            #expect(!(try await h.page("/display/lobby/lobby", cookie: "madoguchi_device=lobby.lobby.1.00").html.contains(code + "</strong>")))
            let clerk = try await h.signIn(role: .staff, offices: ["main"])
            #expect(try await h.page("/kiosk/k1", cookie: clerk).html.contains(">\(code)</strong>"))
        }
    }

    @Test("anonymous ticket requests are limited per client and per service; registered kiosks and staff are not, and only they print")
    func publicIssuing() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices, settings: WebSettings()) { h in
            for _ in 0..<10 { #expect(try await h.request(.post, "/api/v1/offices/main/tickets", json: #"{"service":"a"}"#).status == .created) }
            let refused = try await h.request(.post, "/api/v1/offices/main/tickets", json: #"{"service":"a"}"#)
            #expect(refused.status == .tooManyRequests && refused.errorCode == "rate_limited")
            let kiosk = h.deviceCookie(.kiosk, "k2")
            for _ in 0..<15 {
                #expect(try await h.request(.post, "/api/v1/offices/main/tickets", json: #"{"service":"a","kiosk":"k2"}"#, cookie: kiosk).status == .created)
            }
            let clerk = try await h.signIn(role: .staff, offices: ["main"])
            #expect(try await h.request(.post, "/api/v1/offices/main/tickets", json: #"{"service":"b"}"#, cookie: clerk).status == .created)
            // a claimed kiosk without its credential gets no print job
            let jobs = try await h.t.runtime.devices.pendingPrintJobs(kioskID: "k2", businessDate: CityCalendar.businessDate(of: h.t.clock.now()))
            #expect(jobs.count == 15)
            // the form of a kiosk page without JavaScript follows the same rule
            let form = try await h.post(form: "service=a", to: "/kiosk/k1/tickets")
            #expect(form.status == .tooManyRequests)
        }
    }

    @Test("notification sign-ups are limited per ticket, client and contact; the first message says who asked and how to stop")
    func signUps() async throws {
        try await APITestHarness.run { h in
            let ticket = try await h.issue("a")
            let token = ticket["token"] as! String
            for i in 0..<3 {
                let answer = try await h.request(.post, "/api/v1/tickets/\(token)/notifications", json: #"{"email":"visitor\#(i)@example.jp"}"#)
                #expect(answer.status == .created)
            }
            let fourth = try await h.request(.post, "/api/v1/tickets/\(token)/notifications", json: #"{"email":"visitor9@example.jp"}"#)
            #expect(fourth.status == .tooManyRequests)
            // the last sign-up stands; being first in line, its message is due at once and carries the stop text
            let messages = try await h.t.runtime.notificationStore.claimDue(at: h.t.clock.now().addingTimeInterval(1), lease: 60, limit: 10)
            #expect(!messages.isEmpty)
            #expect(messages.allSatisfy { $0.body.contains("止めるには") && $0.body.contains("/t/\(token)") }, "\(messages.map(\.body))")
        }
    }

    @Test("a wrong date of birth and an unknown ID answer alike; five guesses per ID, then a pause that also holds the right one")
    func birthDateOracle() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            _ = try await h.t.runtime.reservations.store.importIDs(
                [ImportedReservationID(id: "EFGH5678", officeCode: "0001", birthDate: "1980-04-01")],
                at: h.t.clock.now())
            func book(_ id: String, _ birth: String, n: Int) async throws -> APITestHarness.Answer {
                try await h.request(
                    .post, "/api/v1/reservations",
                    json: """
                        {"procedure":"card","office":"main","start":"2026-12-03T10:00","reservationId":"\(id)","birthDate":"\(birth)",
                         "phone":"0312345678","email":"v\(n)@example.jp","password":"1234"}
                        """)
            }
            let unknown = try await book("ZZZZ9999", "1980-04-01", n: 0)
            let wrong = try await book("EFGH5678", "1980-04-02", n: 1)
            #expect(unknown.status == wrong.status && unknown.errorCode == wrong.errorCode && unknown.errorMessage == wrong.errorMessage)
            for n in 2...5 { #expect(try await book("EFGH5678", "1981-01-0\(n)", n: n).errorCode == "unknown_id") }
            #expect(try await book("EFGH5678", "1980-04-01", n: 6).errorCode == "too_many_attempts")
            h.t.clock.advance(seconds: 15 * 60 + 1)
            #expect(try await book("EFGH5678", "1980-04-01", n: 7).status == .created)
        }
    }

    @Test("looking up a booking: an unknown key and a wrong password answer alike")
    func lookupOracle() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            let booked = try await h.request(
                .post, "/api/v1/reservations",
                json: """
                    {"procedure":"consult","office":"main","start":"2026-12-03T10:00","phone":"0312345678","email":"v@example.jp","password":"1234"}
                    """
            ).object
            let code = booked["code"] as! String
            let wrong = try await h.request(.post, "/api/v1/reservations/lookup", json: #"{"key":"\#(code)","password":"9999"}"#)
            let unknown = try await h.request(.post, "/api/v1/reservations/lookup", json: #"{"key":"RZZZZZZZ","password":"9999"}"#)
            #expect(wrong.status == unknown.status && wrong.errorCode == unknown.errorCode && wrong.errorMessage == unknown.errorMessage)
        }
    }

    @Test("opening a details link holds no seat; choosing the time with its button does")
    func holdsOnlyOnPost() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            func held() async throws -> Int {
                try await h.t.runtime.database.withConnection { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM reservations WHERE status = 'held'").first()!.decode(column: "n", as: Int.self)
                }
            }
            let page = try await h.page("/reserve/consult/details?office=main&start=2026-12-03T10:00&lang=ja")
            #expect(page.status == .ok && page.html.contains("details-form"))
            #expect(try await held() == 0)
            let chosen = try await h.post(form: "office=main&start=2026-12-03T10:00&lang=ja", to: "/reserve/consult/details")
            #expect(chosen.status == .ok && chosen.headers[.setCookie]?.contains("reserve_hold") == true)
            #expect(try await held() == 1)
        }
    }

    @Test("a login typed as a formula reaches the audit CSV as text, and a formula e-mail is refused")
    func formulaInjection() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            _ = try await h.request(.post, "/api/v1/session", json: #"{"login":"=HYPERLINK(\"http://evil.example\",\"x\")","password":"whatever it is"}"#)
            let admin = try await h.signIn(role: .admin, offices: [])
            let csv = String(decoding: try await h.request(.get, "/api/v1/audit?format=csv", cookie: admin).body, as: UTF8.self)
            #expect(csv.contains(#""'=HYPERLINK(""http://evil.example"",""x"")""#))
            #expect(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"))
            let booking = try await h.request(
                .post, "/api/v1/reservations",
                json: """
                    {"procedure":"consult","office":"main","start":"2026-12-03T10:00","phone":"0312345678","email":"=cmd|'/c calc'!A0@example.jp","password":"1234"}
                    """)
            #expect(booking.errorCode == "invalid_field")
        }
    }

    @Test("one web ticket per contact whatever the case of the e-mail address")
    func emailCase() async throws {
        var layout = TestLayouts.city
        var services = layout.services
        services[1].webTicketing = WebTicketingRules(dailyQuota: 50, hourlyQuota: 20, checkInRequired: false, holdMinutes: 10)
        layout = OfficeLayout(
            offices: layout.offices.map {
                var o = $0; o.hours = [OpeningHours(weekdays: Array(1...7), from: 0, until: 1440)]; return o
            },
            services: services, counters: layout.counters)
        try await APITestHarness.run(layout: layout) { h in
            let first = try await h.request(.post, "/api/v1/offices/main/web-tickets", json: #"{"service":"b","contact":"Taro@Example.JP"}"#)
            #expect(first.status == .created)
            let second = try await h.request(.post, "/api/v1/offices/main/web-tickets", json: #"{"service":"b","contact":"taro@example.jp"}"#)
            #expect(second.errorCode == APIError(DomainError.alreadyHasTicket).code)
        }
    }

    @Test("a statistics viewer of one office cannot delete another's saved report; an office manager edits only their office's phrases")
    func sharedObjects() async throws {
        try await APITestHarness.run { h in
            let author = try await h.signIn(role: .statisticsViewer, offices: ["other"])
            let saved = try await h.post(
                form: "name=%E6%94%AF%E6%89%80&grouping=service&period=day&columns=issued", to: "/staff/statistics/definitions", cookie: author)
            #expect(saved.status == .seeOther)
            let id = try #require(try await h.t.runtime.webDependencies.staff.statistics.definitions().first?.id)
            let outsider = try await h.signIn(role: .statisticsViewer, offices: ["main"])
            #expect(try await h.post(form: "", to: "/staff/statistics/definitions/\(id)/delete", cookie: outsider).status == .forbidden)
            #expect(try await h.post(form: "", to: "/staff/statistics/definitions/\(id)/delete", cookie: author).status == .seeOther)

            let manager = try await h.signIn(role: .officeManager, offices: ["main"])
            #expect(try await h.post(form: "office=other&phrases=x", to: "/staff/forms/phrases", cookie: manager).status == .forbidden)
            #expect(try await h.post(form: "office=main&phrases=%E7%A2%BA%E8%AA%8D", to: "/staff/forms/phrases", cookie: manager).status == .seeOther)
            #expect(try await h.t.runtime.cases.store.phrases(officeID: "main") == ["確認"])
            #expect(try await h.t.runtime.cases.store.phrases(officeID: "other").isEmpty)
        }
    }

    @Test("a partial post of the case form keeps what it does not send; broken percent-encoding is refused")
    func partialCasePost() async throws {
        try await APITestHarness.run { h in
            let clerk = try await h.signIn(role: .staff, offices: ["main"])
            let created = try await h.post(form: "office=main&procedure=move_in", to: "/staff/forms", cookie: clerk)
            let location = try #require(created.headers[.location])
            let id = String(location.split(separator: "/").last!.split(separator: "#").first!)
            let full =
                "f-procedure=move_in&f-movingDate=2026-11-20&f-newAddress=%E7%B7%B4%E9%A6%AC%E5%8C%BA1-1&person-count=1&p0-familyName=%E5%B1%B1%E7%94%B0"
                + "&p0-givenName=%E5%A4%AA%E9%83%8E&p0-birthDate=1985-04-12"
            let saved = try await h.post(form: full, to: "/staff/forms/\(id)", cookie: clerk)
            #expect(saved.status == .seeOther, "\(saved.status) \(String(decoding: saved.body, as: UTF8.self).prefix(500))")
            #expect(try await h.post(form: "f-memo=%E3%83%A1%E3%83%A2", to: "/staff/forms/\(id)", cookie: clerk).status == .seeOther)
            let record = try await h.t.runtime.cases.store.record(id: id)
            let c = try #require(record?.residentCase)
            #expect(c.memo == "メモ" && c.newAddress == "練馬区1-1" && c.movingDate == "2026-11-20" && c.persons.first?.identity.familyName == "山田")
            let broken = try await h.post(form: "f-memo=%E3%8", to: "/staff/forms/\(id)", cookie: clerk)
            #expect(broken.status == .badRequest)
            #expect(try await h.t.runtime.cases.store.record(id: id)?.residentCase.memo == "メモ")
        }
    }
}

@Suite("Device presence only from registered devices (issue 14, item 21)")
struct DevicePresenceSecurityTests {
    func stream(_ device: String, cookie: String?) -> Request {
        var fields = HTTPFields()
        if let cookie { fields[.cookie] = cookie }
        return Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/events/offices/main?device=\(device)", headerFields: fields),
            body: RequestBody(buffer: ByteBuffer()))
    }

    @Test("?device= on a public stream counts only when the browser is that registered device of that office")
    func presence() async throws {
        try await APITestHarness.run(layout: SecurityAPITests.twoOfficesWithKiosks) { h in
            let dependencies = h.t.runtime.webDependencies
            #expect(LiveEventsController.device(of: stream("kiosk:k1", cookie: nil), officeID: "main", dependencies: dependencies) == nil)
            #expect(
                LiveEventsController.device(of: stream("kiosk:k1", cookie: h.deviceCookie(.kiosk, "k2")), officeID: "main", dependencies: dependencies) == nil)
            #expect(
                LiveEventsController.device(of: stream("kiosk:xk", cookie: h.deviceCookie(.kiosk, "xk")), officeID: "main", dependencies: dependencies) == nil)
            let registered = LiveEventsController.device(
                of: stream("kiosk:k1", cookie: h.deviceCookie(.kiosk, "k1")), officeID: "main", dependencies: dependencies)
            #expect(registered?.kind == .kiosk && registered?.id == "k1")
        }
    }
}
