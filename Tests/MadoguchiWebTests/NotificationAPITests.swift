import Foundation
import Hummingbird
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Notification API")
struct NotificationAPITests {
    @Test("staff of the office set the threshold and texts; every instance reloads them; bad settings are refused with their faults")
    func settings() async throws {
        try await APITestHarness.run { api in
            let body = #"{"notifyAhead":3,"templates":{"ahead":{"ja":{"subject":"まもなく {number}","body":"あと {ahead} 人です"}}}}"#
            let outsider = try await api.signIn(offices: ["other"])
            #expect(try await api.request(.put, "/api/v1/services/a/notifications", json: body, cookie: outsider).status == .forbidden)
            let cookie = try await api.signIn()
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
