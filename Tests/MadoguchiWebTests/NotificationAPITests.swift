import Foundation
import Hummingbird
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Notification API")
struct NotificationAPITests {
    @Test("the office manager sets the threshold and texts; every instance reloads them; bad settings are refused with their faults")
    func settings() async throws {
        try await APITestHarness.run { api in
            let body = #"{"notifyAhead":3,"templates":{"ahead":{"ja":{"subject":"まもなく {number}","body":"あと {ahead} 人です"}}}}"#
            let outsider = try await api.signIn(role: .officeManager, offices: ["other"])
            #expect(try await api.request(.put, "/api/v1/services/a/notifications", json: body, cookie: outsider).status == .forbidden)
            let clerk = try await api.signIn()
            #expect(try await api.request(.put, "/api/v1/services/a/notifications", json: body, cookie: clerk).status == .forbidden)
            let cookie = try await api.signIn(role: .officeManager)
            #expect(try await api.request(.put, "/api/v1/services/a/notifications", json: body, cookie: cookie).status == .noContent)
            let service = try #require(api.t.runtime.layout.current.service("a"))
            #expect(service.notifications.notifyAhead == 3)
            #expect(service.notifications.template(.ahead, language: .ja).subject == "まもなく {number}")
            let bad = try await api.request(.put, "/api/v1/services/a/notifications", json: #"{"notifyAhead":0,"templates":{}}"#, cookie: cookie)
            #expect(bad.status == .unprocessableContent && bad.errorCode == "invalid_notification_settings")
            #expect(bad.errorMessage?.contains("1から50") == true)
        }
    }

    @Test("signing up needs exactly one valid contact and an active ticket; the answer shows the contact masked")
    func subscribe() async throws {
        try await APITestHarness.run { api in
            let ticket = try await api.issue("a")
            let token = try #require(ticket["token"] as? String)
            let ok = try await api.request(.post, "/api/v1/tickets/\(token)/notifications", json: #"{"phone":"08012345678"}"#)
            #expect(ok.status == .created && ok.object["contact"] as? String == "080-****-5678" && ok.object["notifyAhead"] as? Int == 5)
            #expect(try await api.request(.post, "/api/v1/tickets/\(token)/notifications", json: #"{}"#).errorCode == "invalid_contact")
            #expect(try await api.request(.post, "/api/v1/tickets/nope/notifications", json: #"{"email":"a@b.jp"}"#).status == .notFound)
            #expect(try await api.request(.delete, "/api/v1/tickets/\(token)/notifications").status == .noContent)
            let cookie = try await api.signIn()
            _ = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: cookie)
            _ = try await api.request(.post, "/api/v1/counters/c1/finish", cookie: cookie)
            _ = try await api.request(.post, "/api/v1/counters/c3/call-next", cookie: cookie)
            _ = try await api.request(.post, "/api/v1/counters/c3/finish", cookie: cookie)
            _ = try await api.request(.post, "/api/v1/counters/c4/call-next", cookie: cookie)
            _ = try await api.request(.post, "/api/v1/counters/c4/finish", cookie: cookie)
            let finished = try await api.request(.post, "/api/v1/tickets/\(token)/notifications", json: #"{"email":"a@b.jp"}"#)
            #expect(finished.status == .conflict && finished.errorCode == "ticket_not_active")
        }
    }
}

@Suite("Audit API")
struct AuditAPITests {
    @Test("staff changes are audited with who and the outcome; only administrators read the log, also as CSV")
    func audit() async throws {
        try await APITestHarness.run { api in
            _ = try await api.issue("a")
            let clerk = try await api.signIn()
            _ = try await api.request(.post, "/api/v1/counters/c1/call-next", cookie: clerk)
            _ = try await api.request(.post, "/api/v1/counters/c3/recall", cookie: clerk)  // refused: nothing called there
            let manager = try await api.signIn(role: .officeManager)
            _ = try await api.request(.put, "/api/v1/services/a/notifications", json: #"{"notifyAhead":7}"#, cookie: manager)
            #expect(try await api.request(.get, "/api/v1/audit", cookie: clerk).status == .forbidden)
            #expect(try await api.request(.get, "/api/v1/audit").status == .unauthorized)

            let admin = try await api.signIn(role: .admin, offices: [])
            let listing = try await api.request(.get, "/api/v1/audit", cookie: admin)
            let entries = try #require(listing.object["entries"] as? [[String: Any]])
            let actions = entries.map { $0["action"] as? String ?? "" }
            #expect(actions.contains("POST /api/v1/counters/{counter}/call-next"))
            #expect(
                entries.contains {
                    $0["action"] as? String == "POST /api/v1/counters/{counter}/recall"
                        && ($0["detail"] as? String)?.hasPrefix("refused: no_current_ticket") == true
                })
            let settings = try #require(entries.first { $0["action"] as? String == "settings.notifications" })
            #expect(
                (settings["detail"] as? String)?.contains(#""notifyAhead":5"#) == true && (settings["detail"] as? String)?.contains(#""notifyAhead":7"#) == true
            )
            #expect(actions.filter { $0 == "session.sign_in" }.count == 3)

            let csv = try await api.request(.get, "/api/v1/audit?format=csv&action=settings", cookie: admin)
            let text = String(decoding: csv.body, as: UTF8.self)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && text.hasPrefix("\u{FEFF}sequence,at,actor"))
            #expect(text.split(separator: "\r\n").count == 2)
            #expect(try await api.request(.get, "/api/v1/audit?from=2026-02-30", cookie: admin).errorCode == "invalid_date")
            let verified = try await api.t.runtime.audit.verify()
            #expect(verified.broken == nil && verified.checked >= 6)
        }
    }
}
