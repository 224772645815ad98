import Foundation
import Hummingbird
import MadoguchiCore
import MadoguchiDevices
import MadoguchiTestSupport
import Testing

@Suite("Kiosk, print agent, console and device APIs and pages")
struct DeviceAPITests {
    @Test("a print agent with its kiosk's key lists pending jobs, fetches ESC/POS, acknowledges once and reports its printer")
    func printAgentAPI() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices) { api in
            try await api.t.runtime.devices.setAgentKey(kioskID: "k2", key: "secret-agent-key")
            let issued = try await api.request(
                .post, "/api/v1/offices/main/tickets", json: #"{"service":"a","kiosk":"k2"}"#,
                cookie: api.deviceCookie(.kiosk, "k2"))
            #expect(issued.status == .created)
            let ticketID = try #require(issued.object["id"] as? String)

            #expect(try await api.request(.get, "/api/v1/kiosks/k2/print-jobs").errorCode == "invalid_agent_key")
            #expect(try await api.request(.get, "/api/v1/kiosks/k2/print-jobs", bearer: "wrong").status == .unauthorized)
            #expect(try await api.request(.get, "/api/v1/kiosks/k1/print-jobs", bearer: "secret-agent-key").status == .unauthorized)
            let jobs = try await api.request(.get, "/api/v1/kiosks/k2/print-jobs", bearer: "secret-agent-key")
            let list = try #require(jobs.object["jobs"] as? [[String: Any]])
            try #require(list.count == 1)
            #expect(list[0]["ticket"] as? String == ticketID && list[0]["displayNumber"] as? String == "A001")
            let escposPath = try #require(list[0]["escpos"] as? String)
            let bytes = try await api.request(.get, escposPath)
            #expect(bytes.status == .ok && bytes.body.count > 100)

            let done = "/api/v1/kiosks/k2/print-jobs/\(ticketID)/printed"
            #expect(try await api.request(.post, done, bearer: "secret-agent-key").status == .noContent)
            #expect(try await api.request(.post, done, bearer: "secret-agent-key").errorCode == "print_job_not_found")
            let after = try await api.request(.get, "/api/v1/kiosks/k2/print-jobs", bearer: "secret-agent-key")
            #expect((after.object["jobs"] as? [Any])?.isEmpty == true)

            let bad = try await api.request(.put, "/api/v1/kiosks/k2/printer", json: #"{"state":"on fire"}"#, bearer: "secret-agent-key")
            #expect(bad.status == .unprocessableContent && bad.errorCode == "invalid_printer_state")
            #expect(
                try await api.request(
                    .put, "/api/v1/kiosks/k2/printer", json: #"{"state":"paper_out","detail":"用紙切れ"}"#,
                    bearer: "secret-agent-key"
                ).status == .noContent)
            let cookie = try await api.signIn()
            let devices = try await api.request(.get, "/api/v1/devices", cookie: cookie)
            let printer = try #require((devices.object["devices"] as? [[String: Any]])?.first { $0["kind"] as? String == "printer" })
            #expect(printer["id"] as? String == "k2" && printer["state"] as? String == "paper_out")
            #expect(try await api.request(.get, "/api/v1/devices").status == .unauthorized)
        }
    }

    @Test("two-part services print a staff stub after a second cut")
    func twoPartTicket() async throws {
        var layout = TestLayouts.cityWithDevices
        var services = layout.services
        services[0].ticketStyle = .twoPart
        layout = OfficeLayout(offices: layout.offices, services: services, counters: layout.counters, kiosks: layout.kiosks, monitors: layout.monitors)
        try await APITestHarness.run(layout: layout) { api in
            let a = try await api.issue("a"), b = try await api.issue("b")
            let cut: [UInt8] = [0x1D, 0x56, 0x42, 0x00]
            func cuts(_ data: Data) -> Int { [UInt8](data).windows(of: 4).count { Array($0) == cut } }
            let twoPart = try await api.request(.get, "/api/v1/tickets/\(a["token"] as! String)/escpos")
            let single = try await api.request(.get, "/api/v1/tickets/\(b["token"] as! String)/escpos")
            #expect(cuts(twoPart.body) == 2 && cuts(single.body) == 1)
            let stubLabel = ShiftJIS.encode("【控え】職員用")
            #expect([UInt8](twoPart.body).windows(of: stubLabel.count).contains { Array($0) == stubLabel })

            let page = try await api.page("/kiosk/k1/tickets/\(a["token"] as! String)/print")
            #expect(page.status == .ok && page.html.contains("A001") && page.html.contains("【控え】職員用") && page.html.contains("<svg"))
            #expect(try await api.page("/kiosk/k1/tickets/unknown/print").status == .notFound)
        }
    }

    @Test("the kiosk page shows the active menu with live figures, in the chosen language, and issues without JavaScript")
    func kioskPage() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices) { api in
            _ = try await api.issue("a")
            let page = try await api.page("/kiosk/k1")
            #expect(page.status == .ok && page.html.contains(#"data-service="a""#) && page.html.contains(#"data-service="b""#))
            #expect(page.html.contains("ご用件のボタンを押してください") && page.html.contains("1人"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            let english = try await api.page("/kiosk/k1?lang=en")
            #expect(english.html.contains(#"<html lang="en">"#) && english.html.contains("Please touch the service you need"))
            #expect(try await api.page("/kiosk/nope").status == .notFound)

            let cookie = try await api.signIn()
            #expect(try await api.request(.put, "/api/v1/kiosks/k1/menu", json: #"{"menuSet":"saturday"}"#, cookie: cookie).status == .noContent)
            let saturday = try await api.page("/kiosk/k1")
            #expect(!saturday.html.contains(#"data-service="a""#) && saturday.html.contains(#"data-service="b""#))
            let unknown = try await api.request(.put, "/api/v1/kiosks/k1/menu", json: #"{"menuSet":"holiday"}"#, cookie: cookie)
            #expect(unknown.status == .unprocessableContent && unknown.errorCode == "menu_set_not_found")

            let issued = try await api.post(form: "service=b&lang=en", to: "/kiosk/k1/tickets")
            #expect(issued.status == .seeOther)
            let location = try #require(issued.headers[.location])
            #expect(location.hasPrefix("/kiosk/k1/tickets/") && location.hasSuffix("/print?lang=en&back=1"))
            let ticketPage = try await api.page(location)
            #expect(ticketPage.html.contains("B200") && ticketPage.html.contains("Your number"))
        }
    }

    @Test("closing a service for the day: staff of the office only; the kiosk shows the message and the API refuses tickets")
    func closures() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices) { api in
            let outsider = try await api.signIn(offices: ["other"])
            #expect(try await api.request(.put, "/api/v1/services/b/closure", json: #"{"message":"x"}"#, cookie: outsider).status == .forbidden)
            #expect(try await api.request(.put, "/api/v1/services/b/closure", json: #"{"message":"x"}"#).status == .unauthorized)
            let cookie = try await api.signIn()
            #expect(try await api.request(.put, "/api/v1/services/b/closure", json: #"{"message":"証明書は終了しました"}"#, cookie: cookie).status == .noContent)
            let refused = try await api.request(.post, "/api/v1/offices/main/tickets", json: #"{"service":"b"}"#)
            #expect(refused.status == .unprocessableContent && refused.errorCode == "service_closed" && refused.errorMessage == "証明書は終了しました")
            let page = try await api.page("/kiosk/k1")
            #expect(page.html.contains("証明書は終了しました"))
            #expect(try await api.request(.delete, "/api/v1/services/b/closure", cookie: cookie).status == .noContent)
            #expect(try await api.request(.post, "/api/v1/offices/main/tickets", json: #"{"service":"b"}"#).status == .created)
            // The API goes through the same use case as the devices page: the closure is audited with before and after.
            let closures = try await api.t.runtime.audit.entries(AuditQuery(action: "service.closure")).sorted { $0.sequence! < $1.sequence! }
            #expect(closures.map(\.target) == ["b", "b"])
            #expect(closures.map(\.detail) == [#"{"after":"証明書は終了しました","before":null}"#, #"{"after":null,"before":"証明書は終了しました"}"#])
        }
    }

    @Test("the console needs sign-in (the form comes back to it), and its board is for staff of the office only")
    func consoleAndBoard() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices) { api in
            let redirect = try await api.request(.get, "/staff/counter/c1")
            #expect(redirect.status == .seeOther && redirect.headers[.location] == "/staff/sign-in?next=/staff/counter/c1")
            _ = try await api.t.runtime.staffAccess.addUser(login: "clerk", role: .staff, officeIDs: ["main"], password: "test passphrase 1")
            let wrong = try await api.post(form: "login=clerk&password=nope&next=%2Fstaff%2Fcounter%2Fc1", to: "/staff/sign-in")
            #expect(wrong.status == .unauthorized && String(decoding: wrong.body, as: UTF8.self).contains(#"role="alert""#))
            let signedIn = try await api.post(form: "login=clerk&password=test+passphrase+1&next=%2Fstaff%2Fcounter%2Fc1", to: "/staff/sign-in")
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/staff/counter/c1")
            let cookie = String(try #require(signedIn.headers[.setCookie]).split(separator: ";")[0])
            let console = try await api.page("/staff/counter/c1", cookie: cookie)
            #expect(console.status == .ok && console.html.contains("次を呼ぶ"))
            let offsite = try await api.post(form: "login=clerk&password=test+passphrase+1&next=https%3A%2F%2Fevil.example", to: "/staff/sign-in")
            #expect(offsite.headers[.location] == "/staff")

            let a1 = try await api.issue("a")
            _ = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: cookie)
            let board = try await api.request(.get, "/api/v1/counters/c1/board", cookie: cookie)
            #expect((board.object["current"] as? [String: Any])?["id"] as? String == a1["id"] as? String)
            #expect(board.object["open"] as? Bool == true && board.object["currentCalledAt"] is String)
            let outsider = try await api.signIn(offices: ["other"])
            #expect(try await api.request(.get, "/api/v1/counters/c1/board", cookie: outsider).status == .forbidden)
        }
    }

    @Test("lobby and backyard monitors render the office's figures; a monitor of the other kind is not found")
    func monitors() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices) { api in
            _ = try await api.issue("a"); _ = try await api.issue("a"); _ = try await api.issue("a")
            let cookie = try await api.signIn()
            _ = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: cookie)
            _ = try await api.request(.post, "/api/v1/counters/c1/finish", cookie: cookie)
            _ = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: cookie)
            let lobby = try await api.page("/display/lobby/lobby")
            #expect(lobby.status == .ok && lobby.html.contains("審査待ち 1人") && lobby.html.contains("交付待ち 0人"))
            #expect(lobby.html.contains(#"class="newest""#) && lobby.html.contains("A002"))
            let backyard = try await api.page("/display/backyard/back")
            #expect(backyard.status == .ok && backyard.html.contains("本日の発券 <strong id=\"issued-total\">3</strong>"))
            #expect(try await api.page("/display/lobby/back").status == .notFound)
        }
    }
}

extension Array {
    /// Every run of `size` consecutive elements.
    func windows(of size: Int) -> [ArraySlice<Element>] {
        count < size ? [] : (0...(count - size)).map { self[$0..<($0 + size)] }
    }
}
