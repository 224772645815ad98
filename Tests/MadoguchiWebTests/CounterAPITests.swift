import Foundation
import HummingbirdTesting
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Staff sign-in and counter operations API")
struct CounterAPITests {
    @Test("sign-in sets an HttpOnly SameSite=Strict cookie; sign-out ends the session")
    func session() async throws {
        try await APITestHarness.run { api in
            _ = try await api.t.runtime.staffAccess.addUser(login: "kato", role: .staff, officeIDs: ["main"], password: "test passphrase 1")
            let answer = try await api.request(.post, "/api/v1/session", json: #"{"login":"kato","password":"test passphrase 1"}"#)
            #expect(answer.status == .ok && answer.object["login"] as? String == "kato" && answer.object["role"] as? String == "staff")
            let setCookie = try #require(answer.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.hasPrefix("madoguchi_session="))
            let cookie = String(setCookie.split(separator: ";")[0])
            let r1 = try await api.request(.get, "/api/v1/session", cookie: cookie)
            #expect(r1.status == .ok)
            let r2 = try await api.request(.delete, "/api/v1/session", cookie: cookie)
            #expect(r2.status == .noContent)
            let r3 = try await api.request(.get, "/api/v1/session", cookie: cookie)
            #expect(r3.status == .unauthorized)
            let r4 = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: cookie)
            #expect(r4.status == .unauthorized)
        }
    }

    @Test("wrong passwords answer 401; the fifth failure locks the account")
    func lockout() async throws {
        try await APITestHarness.run { api in
            _ = try await api.t.runtime.staffAccess.addUser(login: "ito", role: .staff, officeIDs: ["main"], password: "test passphrase 1")
            for _ in 1...4 {
                let answer = try await api.request(.post, "/api/v1/session", json: #"{"login":"ito","password":"wrong"}"#)
                #expect(answer.status == .unauthorized && answer.errorCode == "invalid_credentials")
            }
            let r5 = try await api.request(.post, "/api/v1/session", json: #"{"login":"ito","password":"wrong"}"#)
            #expect(r5.errorCode == "account_locked")
            let locked = try await api.request(.post, "/api/v1/session", json: #"{"login":"ito","password":"test passphrase 1"}"#)
            #expect(locked.status == .unauthorized && locked.errorCode == "account_locked")
            let r6 = try await api.request(.post, "/api/v1/session", json: #"{"login":"nobody","password":"x"}"#)
            #expect(r6.errorCode == "invalid_credentials")
        }
    }

    @Test("counter operations need a session (401) and the counter's office (403); unknown counters are 404")
    func authorization() async throws {
        try await APITestHarness.run { api in
            let paths = ["call-next", "recall", "hold", "absent", "finish", "cancel"]
            for path in paths {
                let r7 = try await api.request(.post, "/api/v1/counters/c1/\(path)")
                #expect(r7.status == .unauthorized)
            }
            let r8 = try await api.request(.post, "/api/v1/counters/c1/call", json: #"{"number":1}"#)
            #expect(r8.status == .unauthorized)
            let otherOffice = try await api.signIn(offices: ["other"])
            for path in paths {
                let answer = try await api.request(.post, "/api/v1/counters/c1/\(path)", cookie: otherOffice)
                #expect(answer.status == .forbidden && answer.errorCode == "forbidden")
            }
            let r9 = try await api.request(.post, "/api/v1/counters/x1/call-next", cookie: otherOffice)
            #expect(r9.status == .noContent)
            let admin = try await api.signIn(role: .admin, offices: [])
            let r10 = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: admin)
            #expect(r10.status == .noContent)
            let r11 = try await api.request(.post, "/api/v1/counters/zz/call-next", cookie: admin)
            #expect(r11.errorCode == "counter_not_found")
        }
    }

    @Test("a counter's day: call, recall, hold, absent, call by number, transfer, finish, cancel — people ahead agree everywhere")
    func counterDay() async throws {
        try await APITestHarness.run { api in
            let cookie = try await api.signIn()
            // nobody waits yet
            let r12 = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: cookie)
            #expect(r12.status == .noContent)
            for path in ["recall", "hold", "absent", "finish", "cancel"] {
                let answer = try await api.request(.post, "/api/v1/counters/c1/\(path)", cookie: cookie)
                #expect(answer.status == .conflict && answer.errorCode == "no_current_ticket")
            }
            let a1 = try await api.issue("a"), a2 = try await api.issue("a"), a3 = try await api.issue("a")

            let called = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: cookie)
            #expect(called.status == .ok && called.object["id"] as? String == a1["id"] as? String)
            #expect(called.object["state"] as? String == "called" && called.object["counter"] as? String == "c1")
            let r13 = try await api.request(.post, "/api/v1/counters/c1/recall", cookie: cookie)
            #expect(r13.object["displayNumber"] as? String == "A001")
            let r14 = try await api.request(.post, "/api/v1/counters/c1/hold", cookie: cookie)
            #expect(r14.object["state"] as? String == "held")
            let r15 = try await ahead(api, a2)
            let aheadOfA3 = try await ahead(api, a3)
            #expect(r15 == 0 && aheadOfA3 == 1)

            _ = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: cookie)  // A002
            let r16 = try await api.request(.post, "/api/v1/counters/c1/absent", cookie: cookie)
            #expect(r16.object["state"] as? String == "absent")
            // the absent A002 comes back: calling its number clears the absence
            let back = try await api.request(.post, "/api/v1/counters/c1/call", json: #"{"number":2}"#, cookie: cookie)
            #expect(back.status == .ok && back.object["state"] as? String == "called" && back.object["number"] as? Int == 2)
            // 404 for a number nobody holds today, 422 outside the counter's ranges
            let missing = try await api.request(.post, "/api/v1/counters/c1/call", json: #"{"number":50}"#, cookie: cookie)
            #expect(missing.status == .notFound && missing.errorCode == "ticket_not_found")
            let outside = try await api.request(.post, "/api/v1/counters/c1/call", json: #"{"number":150}"#, cookie: cookie)
            #expect(outside.status == .unprocessableContent && outside.errorCode == "number_out_of_range")
            let r17 = try await api.request(.post, "/api/v1/counters/c1/call", json: #"{"number":"2"}"#, cookie: cookie)
            #expect(r17.status == .badRequest)

            // transfer A002 to 審査 directly, then to a counter; invalid targets are refused
            let transferred = try await api.request(.post, "/api/v1/counters/c1/transfer", json: #"{"stage":"a-2"}"#, cookie: cookie)
            #expect(transferred.status == .ok && transferred.object["stage"] as? String == "a-2" && transferred.object["state"] as? String == "waiting")
            _ = try await api.request(.post, "/api/v1/counters/c1/call", json: #"{"number":1}"#, cookie: cookie)  // the held A001
            let both = try await api.request(.post, "/api/v1/counters/c1/transfer", json: #"{"stage":"a-2","counter":"c3"}"#, cookie: cookie)
            #expect(both.status == .unprocessableContent && both.errorCode == "invalid_transfer_target")
            let r18 = try await api.request(.post, "/api/v1/counters/c1/transfer", json: #"{"stage":"zz"}"#, cookie: cookie)
            #expect(r18.status == .notFound)
            let r19 = try await api.request(.post, "/api/v1/counters/c1/transfer", json: #"{"stage":"x-1"}"#, cookie: cookie)
            #expect(r19.errorCode == "stage_in_other_office")
            let toCounter = try await api.request(.post, "/api/v1/counters/c1/transfer", json: #"{"counter":"c3"}"#, cookie: cookie)
            #expect(toCounter.status == .ok && toCounter.object["stage"] as? String == "a-2")
            // c3 calls its own line first: A001, then A002
            let r20 = try await api.request(.post, "/api/v1/counters/c3/call-next", cookie: cookie)
            #expect(r20.object["number"] as? Int == 1)
            let r21 = try await ahead(api, a2)
            #expect(r21 == 0)
            let finished = try await api.request(.post, "/api/v1/counters/c3/finish", cookie: cookie)
            #expect(finished.object["stage"] as? String == "a-3" && finished.object["peopleAhead"] as? Int == 0)

            // cancel: the current ticket, or a waiting one by number
            _ = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: cookie)  // A003
            let r22 = try await api.request(.post, "/api/v1/counters/c1/cancel", cookie: cookie)
            #expect(r22.object["state"] as? String == "cancelled")
            let a4 = try await api.issue("a")
            let cancelled = try await api.request(.post, "/api/v1/counters/c1/cancel", json: #"{"number":4}"#, cookie: cookie)
            #expect(cancelled.object["id"] as? String == a4["id"] as? String && cancelled.object["state"] as? String == "cancelled")
            let r23 = try await api.request(.get, "/api/v1/tickets/\(a4["token"] as! String)")
            #expect(r23.object["peopleAhead"] is NSNull)

            // the status agrees with the tickets: A002 at 審査, A001 at 交付
            let status = try await api.request(.get, "/api/v1/offices/main/status")
            let a = (status.object["services"] as? [[String: Any]])?.first { $0["id"] as? String == "a" }
            #expect((a?["stages"] as? [[String: Any]])?.map { $0["waiting"] as? Int } == [0, 1, 1])
        }
    }

    func ahead(_ api: APITestHarness, _ ticket: [String: Any]) async throws -> Int? {
        try await api.request(.get, "/api/v1/tickets/\(ticket["token"] as! String)").object["peopleAhead"] as? Int
    }
}
