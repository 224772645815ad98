import Foundation
import HummingbirdTesting
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Public API: offices, status, tickets")
struct PublicAPITests {
    @Test("health and the API description are served; the description names every endpoint of the contract")
    func healthAndOpenAPI() async throws {
        try await APITestHarness.run { api in
            let r1 = try await api.request(.get, "/healthz")
            #expect(r1.status == .ok)
            let document = try await api.request(.get, "/api/v1/openapi.yaml")
            #expect(document.status == .ok)
            let text = String(decoding: document.body, as: UTF8.self)
            for path in [
                "/healthz:", "/api/v1/offices:", "/api/v1/offices/{office}/status:", "/api/v1/offices/{office}/tickets:",
                "/api/v1/tickets/{token}:", "/api/v1/session:", "/api/v1/counters/{counter}/call-next:",
                "/api/v1/counters/{counter}/recall:", "/api/v1/counters/{counter}/hold:", "/api/v1/counters/{counter}/absent:",
                "/api/v1/counters/{counter}/finish:", "/api/v1/counters/{counter}/cancel:", "/api/v1/counters/{counter}/call:",
                "/api/v1/counters/{counter}/transfer:", "/api/v1/counters/{counter}/board:", "/api/v1/kiosks/{kiosk}:",
                "/api/v1/kiosks/{kiosk}/print-jobs:", "/api/v1/kiosks/{kiosk}/print-jobs/{ticket}/printed:",
                "/api/v1/kiosks/{kiosk}/printer:", "/api/v1/kiosks/{kiosk}/menu:", "/api/v1/services/{service}/closure:",
                "/api/v1/devices:", "/api/v1/cases:", "/api/v1/cases/{case}:", "/api/v1/cases/{case}/status:", "/api/v1/cases/{case}/pdf:",
                "/api/v1/cases/export:", "/api/v1/cases/report:", "/api/v1/addresses:"
            ] {
                #expect(text.contains(path), "openapi.yaml lacks \(path)")
            }
        }
    }

    @Test("offices list their services with stages in route order and their counters")
    func offices() async throws {
        try await APITestHarness.run { api in
            let answer = try await api.request(.get, "/api/v1/offices")
            #expect(answer.status == .ok)
            let offices = try #require(answer.json as? [[String: Any]])
            #expect(offices.map { $0["id"] as? String } == ["main", "other"])
            let main = offices[0]
            #expect(main["name"] as? String == "本庁舎")
            let services = try #require(main["services"] as? [[String: Any]])
            let a = try #require(services.first { $0["id"] as? String == "a" })
            #expect(a["prefix"] as? String == "A" && a["name"] as? String == "住民異動")
            #expect((a["stages"] as? [[String: Any]])?.map { $0["id"] as? String } == ["a-1", "a-2", "a-3"])
            #expect((a["stages"] as? [[String: Any]])?.first?["name"] as? String == "受付")
            let counters = try #require(main["counters"] as? [[String: Any]])
            #expect(counters.first { $0["id"] as? String == "c1" }?["stages"] as? [String] == ["a-1", "b-1"])
            #expect(counters.allSatisfy { $0["name"] is String })
        }
    }

    @Test("issuing answers 201 with the ticket; people ahead counts the line; the ticket page agrees")
    func issuing() async throws {
        try await APITestHarness.run { api in
            let first = try await api.issue("a")
            let second = try await api.issue("a")
            #expect(Set(first.keys).isSuperset(of: ["id", "token", "number", "displayNumber", "service", "stage", "issuedAt", "peopleAhead"]))
            #expect(first["number"] as? Int == 1 && first["displayNumber"] as? String == "A001" && first["service"] as? String == "a")
            #expect(first["stage"] as? String == "a-1" && first["peopleAhead"] as? Int == 0 && second["peopleAhead"] as? Int == 1)
            #expect((first["issuedAt"] as? String)?.hasSuffix("+09:00") == true)

            let page = try await api.request(.get, "/api/v1/tickets/\(second["token"] as! String)")
            #expect(page.status == .ok)
            #expect(
                Set(page.object.keys).isSuperset(of: ["number", "displayNumber", "service", "stage", "state", "peopleAhead", "estimatedWaitMinutes", "counter"])
            )
            #expect(page.object["state"] as? String == "waiting" && page.object["peopleAhead"] as? Int == 1)
            #expect(page.object["estimatedWaitMinutes"] is NSNull && page.object["counter"] is NSNull)
        }
    }

    @Test("status shows per service and stage the waiting and calling numbers, in the documented shape")
    func status() async throws {
        try await APITestHarness.run { api in
            _ = try await api.issue("a"); _ = try await api.issue("a"); _ = try await api.issue("b")
            let cookie = try await api.signIn()
            _ = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: cookie)
            _ = try await api.request(.post, "/api/v1/counters/c1/finish", cookie: cookie)
            _ = try await api.request(.post, "/api/v1/counters/c2/call-next", cookie: cookie)

            let answer = try await api.request(.get, "/api/v1/offices/main/status")
            #expect(answer.status == .ok)
            #expect(answer.object["office"] as? String == "main" && answer.object["asOf"] is String)
            let services = try #require(answer.object["services"] as? [[String: Any]])
            let a = try #require(services.first { $0["id"] as? String == "a" })
            #expect(Set(a.keys) == ["id", "name", "waiting", "estimatedWaitMinutes", "calling", "stages", "issuedToday", "absent", "held", "closedMessage"])
            #expect(a["issuedToday"] as? Int == 2 && a["absent"] as? [String] == [] && a["closedMessage"] is NSNull)
            // A001 waits at 審査, A002 is being served at 受付
            #expect(a["waiting"] as? Int == 1 && a["calling"] as? [String] == ["A002"])
            let stages = try #require(a["stages"] as? [[String: Any]])
            #expect(stages.map { $0["waiting"] as? Int } == [0, 1, 0])
            #expect(stages.map { $0["calling"] as? [String] } == [["A002"], [], []])
            #expect(Set(stages[0].keys) == ["id", "name", "waiting", "calling", "oldestWaitingSince", "openCounters"])
            // c1 and c2 serve 受付 and opened with their first call; A001 waits at 審査 since it was issued
            #expect(stages.map { $0["openCounters"] as? Int }.first == 2)
            #expect(stages[0]["oldestWaitingSince"] is NSNull && stages[1]["oldestWaitingSince"] is String)
            let calls = try #require(answer.object["calls"] as? [[String: Any]])
            #expect(calls.map { $0["displayNumber"] as? String } == ["A002"] && calls.first?["counter"] as? String == "c2")
            let b = try #require(services.first { $0["id"] as? String == "b" })
            #expect(b["waiting"] as? Int == 1 && b["estimatedWaitMinutes"] is NSNull)
        }
    }

    @Test(
        "bad input gets a specific 4xx answer and writes nothing",
        arguments: [
            ("/api/v1/offices/nowhere/tickets", #"{"service":"a"}"#, 404, "office_not_found"),
            ("/api/v1/offices/main/tickets", #"{"service":"x"}"#, 404, "service_not_found"),
            ("/api/v1/offices/main/tickets", #"{"service":"nope"}"#, 404, "service_not_found"),
            ("/api/v1/offices/main/tickets", #"{"service":"#, 400, "invalid_json"),
            ("/api/v1/offices/main/tickets", #"{"service":12}"#, 400, "invalid_field_type"),
            ("/api/v1/offices/main/tickets", #"{"servise":"a"}"#, 400, "missing_field"),
            ("/api/v1/offices/main/tickets", #"[1,2]"#, 400, "invalid_field_type"),
            ("/api/v1/offices/main/tickets", "", 400, "missing_body")
        ])
    func badIssue(uri: String, body: String, status: Int, code: String) async throws {
        try await APITestHarness.run { api in
            let answer = try await api.request(.post, uri, json: body)
            #expect(answer.status.code == status && answer.errorCode == code)
            #expect(answer.errorMessage?.isEmpty == false)
            let statusAnswer = try await api.request(.get, "/api/v1/offices/main/status")
            #expect((statusAnswer.object["services"] as? [[String: Any]])?.allSatisfy { $0["waiting"] as? Int == 0 } == true)
        }
    }

    @Test("unknown offices, tokens and paths answer 404 with a code")
    func notFound() async throws {
        try await APITestHarness.run { api in
            let r2 = try await api.request(.get, "/api/v1/offices/nowhere/status")
            #expect(r2.errorCode == "office_not_found")
            let r3 = try await api.request(.get, "/api/v1/tickets/unknown-token")
            #expect(r3.errorCode == "ticket_not_found")
            let r4 = try await api.request(.get, "/api/v1/no-such-thing")
            #expect(r4.status == .notFound)
        }
    }

    @Test("a service whose numbers are all in use refuses with 409 number_range_exhausted")
    func exhausted() async throws {
        try await APITestHarness.run(layout: TestLayouts.tiny(size: 2)) { api in
            _ = try await api.issue("t"); _ = try await api.issue("t")
            let answer = try await api.request(.post, "/api/v1/offices/main/tickets", json: #"{"service":"t"}"#)
            #expect(answer.status == .conflict && answer.errorCode == "number_range_exhausted")
        }
    }

    @Test(
        "garbage never produces a server error",
        arguments: [
            "{}", "null", "\"text\"", #"{"service":null}"#, #"{"service":"a","extra":[1,{"x":2}]}"#, String(repeating: "[", count: 5000),
            #"{"service":"\u0000"}"#, "\u{FEFF}{}"
        ])
    func noServerErrors(body: String) async throws {
        try await APITestHarness.run { api in
            let cookie = try await api.signIn()
            for uri in [
                "/api/v1/offices/main/tickets", "/api/v1/session", "/api/v1/counters/c1/call", "/api/v1/counters/c1/transfer", "/api/v1/counters/c1/cancel"
            ] {
                let answer = try await api.request(.post, uri, json: body, cookie: cookie)
                #expect(answer.status.code < 500, "\(uri) answered \(answer.status) for \(body.prefix(40))")
                if answer.status.code >= 400 { #expect(answer.errorCode != nil) }
            }
        }
    }
}

@Suite("Ticket printing API")
struct TicketPrintAPITests {
    @Test("a ticket's ESC/POS bytes start with initialise, carry its page URL in the QR code and end with a cut")
    func escpos() async throws {
        try await APITestHarness.run { api in
            let ticket = try await api.issue("a")
            let token = try #require(ticket["token"] as? String)
            let answer = try await api.request(.get, "/api/v1/tickets/\(token)/escpos")
            #expect(answer.status == .ok && answer.headers[.contentType] == "application/octet-stream")
            let bytes = [UInt8](answer.body)
            #expect(bytes.starts(with: [0x1B, 0x40]) && Array(bytes.suffix(4)) == [0x1D, 0x56, 0x42, 0x00])
            let url = Array("http://127.0.0.1:8080/t/\(token)".utf8)
            #expect(bytes.firstRange(of: [0x31, 0x50, 0x30] + url) != nil, "QR store command with the page URL")
            #expect(bytes.firstRange(of: Array("A001".utf8)) != nil)
            let missing = try await api.request(.get, "/api/v1/tickets/no-such-token/escpos")
            #expect(missing.status == .notFound && missing.errorCode == "ticket_not_found")
        }
    }
}
