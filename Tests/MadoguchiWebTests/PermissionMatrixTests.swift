import Foundation
import HTTPTypes
import MadoguchiCore
import MadoguchiTestSupport
import MadoguchiWeb
import Testing

/// Every staff page and staff API route, called as anonymous, as each role at its own office, and as each role
/// limited to another office: the answers follow the permission matrix of `Role.permissions` (docs/ARCHITECTURE.md).
@Suite("Permission matrix (S4)", .serialized)
struct PermissionMatrixTests {
    struct Route: CustomStringConvertible {
        enum Body { case none, json(String), form(String) }
        let method: HTTPRequest.Method
        let path: String
        let body: Body
        /// nil: any signed-in user.
        let permission: Permission?
        /// The office the route acts on; a user limited to another office is refused.
        let office: String?
        var isPage: Bool { !path.hasPrefix("/api/") }
        var description: String { "\(method) \(path)" }
    }

    static let month = "from=2026-11-01&to=2026-11-30"
    static func routes(configuration: String, booking: (checkIn: String, cancel: String), caseID: String) -> [Route] {
        [
            Route(method: .get, path: "/staff/forms", body: .none, permission: .viewResidentCases, office: nil),
            Route(method: .post, path: "/staff/forms", body: .form("office=main&procedure=move_in"), permission: .handleResidentCases, office: "main"),
            Route(method: .get, path: "/staff/forms/\(caseID)", body: .none, permission: .viewResidentCases, office: "main"),
            Route(
                method: .post, path: "/staff/forms/\(caseID)", body: .form("person-count=1&f-procedure=move_in&action=save"),
                permission: .handleResidentCases, office: "main"),
            Route(method: .post, path: "/staff/forms/\(caseID)/check", body: .form("person-count=1"), permission: .viewResidentCases, office: "main"),
            Route(method: .get, path: "/staff/forms/\(caseID)/print?form=jumin-ido", body: .none, permission: .viewResidentCases, office: "main"),
            Route(method: .get, path: "/staff/forms/report", body: .none, permission: .viewStatistics, office: nil),
            Route(method: .get, path: "/staff/forms/phrases", body: .none, permission: .configureOffices, office: nil),
            Route(method: .get, path: "/api/v1/cases?q=a", body: .none, permission: .viewResidentCases, office: nil),
            Route(
                method: .post, path: "/api/v1/cases", body: .json(#"{"office":"main","procedure":"move_in"}"#), permission: .handleResidentCases, office: "main"
            ),
            Route(method: .get, path: "/api/v1/cases/\(caseID)", body: .none, permission: .viewResidentCases, office: "main"),
            Route(method: .get, path: "/api/v1/cases/\(caseID)/pdf", body: .none, permission: .viewResidentCases, office: "main"),
            Route(method: .get, path: "/api/v1/cases/export?from=2026-11-24&to=2026-11-24", body: .none, permission: .exportResidentCases, office: nil),
            Route(method: .get, path: "/api/v1/cases/report?from=2026-11-01&to=2026-11-30", body: .none, permission: .viewStatistics, office: nil),
            Route(method: .get, path: "/api/v1/addresses?postal=1760002", body: .none, permission: .operateCounters, office: nil),
            Route(method: .get, path: "/api/v1/addresses/search?city=%E7%B7%B4", body: .none, permission: .operateCounters, office: nil),
            Route(method: .get, path: "/api/v1/staff/reservations?office=main", body: .none, permission: .manageReservations, office: "main"),
            Route(method: .get, path: "/api/v1/staff/reservations/counts?office=main", body: .none, permission: .manageReservations, office: "main"),
            Route(
                method: .post, path: "/api/v1/staff/reservations",
                body: .json(#"{"procedure":"consult","office":"main","start":"2026-12-03T10:00","phone":"0311112222"}"#),
                permission: .manageReservations, office: "main"),
            Route(method: .post, path: "/api/v1/staff/reservations/\(booking.checkIn)/check-in", body: .none, permission: .checkInReservations, office: "main"),
            Route(
                method: .post, path: "/api/v1/staff/reservations/\(booking.cancel)/cancel", body: .json(#"{"reason":"test"}"#),
                permission: .manageReservations, office: "main"),
            Route(method: .post, path: "/api/v1/staff/reservation-ids", body: .json("ABCD1234,0001"), permission: .manageReservations, office: "main"),
            Route(method: .post, path: "/api/v1/staff/reservation-ids/delete", body: .json("ZZZZ0000"), permission: .configureCity, office: nil),
            Route(method: .get, path: "/staff/reservations", body: .none, permission: .checkInReservations, office: nil),
            Route(method: .get, path: "/staff/reservations?office=main", body: .none, permission: .checkInReservations, office: "main"),
            Route(
                method: .post, path: "/staff/reservations/\(booking.checkIn)/check-in", body: .form("back=/staff/reservations"),
                permission: .checkInReservations, office: "main"),
            Route(method: .get, path: "/staff/reservations/new", body: .none, permission: .manageReservations, office: nil),
            Route(method: .post, path: "/api/v1/counters/c1/call-next", body: .none, permission: .operateCounters, office: "main"),
            Route(method: .get, path: "/api/v1/counters/c1/board", body: .none, permission: .operateCounters, office: "main"),
            Route(method: .put, path: "/api/v1/kiosks/k1/menu", body: .json(#"{"menuSet":null}"#), permission: .manageDevices, office: "main"),
            Route(method: .put, path: "/api/v1/services/b/closure", body: .json(#"{"message":"本日休止"}"#), permission: .manageDevices, office: "main"),
            Route(method: .delete, path: "/api/v1/services/b/closure", body: .none, permission: .manageDevices, office: "main"),
            Route(method: .get, path: "/api/v1/devices", body: .none, permission: .manageDevices, office: nil),
            Route(method: .get, path: "/api/v1/offices/main/notifications", body: .none, permission: .viewNotifications, office: "main"),
            Route(
                method: .put, path: "/api/v1/services/b/notifications", body: .json(#"{"notifyAhead":3,"templates":{}}"#),
                permission: .editNotificationTemplates, office: "main"),
            Route(
                method: .put, path: "/api/v1/offices/main/hours", body: .json(#"[{"weekdays":[2,3,4,5,6],"from":510,"until":1035}]"#),
                permission: .configureOffices, office: "main"),
            Route(method: .get, path: "/api/v1/audit", body: .none, permission: .viewAudit, office: nil),
            Route(method: .get, path: "/api/v1/statistics?office=main&\(month)", body: .none, permission: .viewStatistics, office: "main"),
            Route(method: .get, path: "/api/v1/configuration?format=yaml", body: .none, permission: .configureCity, office: nil),
            Route(method: .put, path: "/api/v1/configuration", body: .json(configuration), permission: .configureCity, office: nil),
            Route(method: .get, path: "/staff", body: .none, permission: nil, office: nil),
            Route(method: .get, path: "/staff/counter/c1", body: .none, permission: .operateCounters, office: "main"),
            Route(method: .get, path: "/staff/devices", body: .none, permission: .manageDevices, office: nil),
            Route(method: .post, path: "/staff/devices/closure", body: .form("service=b&action=close&message=x"), permission: .manageDevices, office: "main"),
            Route(method: .post, path: "/staff/devices/menu", body: .form("kiosk=k1&menuSet="), permission: .manageDevices, office: "main"),
            Route(method: .get, path: "/staff/notifications", body: .none, permission: .viewNotifications, office: nil),
            Route(method: .get, path: "/staff/statistics", body: .none, permission: .viewStatistics, office: nil),
            Route(method: .get, path: "/staff/statistics?office=main&\(month)", body: .none, permission: .viewStatistics, office: "main"),
            Route(method: .get, path: "/admin", body: .none, permission: .viewAudit, office: nil),
            Route(method: .get, path: "/admin/users", body: .none, permission: .manageUsers, office: nil),
            Route(
                method: .post, path: "/admin/users", body: .form("login=new-user&role=staff&offices=main&password=initial+pass+99"),
                permission: .manageUsers, office: nil),
            Route(method: .get, path: "/admin/settings", body: .none, permission: .configureOffices, office: nil),
            Route(
                method: .post, path: "/admin/settings/offices/main", body: .form("name=%E6%9C%AC%E5%BA%81%E8%88%8E&hours=%E6%9C%88-%E9%87%91+08%3A30-17%3A15"),
                permission: .configureOffices, office: "main"),
            Route(method: .post, path: "/admin/settings/offices", body: .form("id=annex&name=%E5%88%A5%E9%A4%A8"), permission: .configureCity, office: nil)
        ]
    }

    func call(_ h: APITestHarness, _ route: Route, cookie: String?) async throws -> APITestHarness.Answer {
        switch route.body {
        case .none: try await h.request(route.method, route.path, cookie: cookie)
        case .json(let json): try await h.request(route.method, route.path, json: json, cookie: cookie)
        case .form(let form): try await h.post(form: form, to: route.path, cookie: cookie)
        }
    }

    @Test("anonymous, each role, and each role of another office get exactly what the matrix allows")
    func matrix() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            let configuration = try ConfigurationDocument.export(h.t.runtime.layout.current, as: .json)
            var request = BookingRequest(procedureID: "consult", officeID: "main", start: "2026-11-24T10:00", phone: "0311112222", email: "", password: "")
            let today = try await h.t.runtime.reservations.book(request, staff: "setup")
            request.start = "2026-12-03T10:00"
            let later = try await h.t.runtime.reservations.book(request, staff: "setup")
            let clerk = StaffUser(id: "setup", login: "setup", role: .staff, officeIDs: ["main"], passwordHash: "")
            let opened = try await h.t.runtime.cases.open(officeID: "main", procedure: .moveIn, by: .staff(clerk, address: "test"))
            let routes = Self.routes(configuration: configuration, booking: (today.code, later.code), caseID: opened.id)
            for route in routes {
                let answer = try await call(h, route, cookie: nil)
                if route.isPage && route.method == .get {
                    #expect(answer.status == .seeOther && answer.headers[.location]?.hasPrefix("/staff/sign-in") == true, "anonymous \(route)")
                } else {
                    #expect(answer.status == .unauthorized, "anonymous \(route): \(answer.status)")
                }
            }
            for role in Role.allCases {
                let own = try await h.signIn(role: role, offices: ["main"])
                let elsewhere = try await h.signIn(role: role, offices: ["other"])
                for route in routes {
                    let allowed = route.permission.map { role.permissions.contains($0) } ?? true
                    let answer = try await call(h, route, cookie: own)
                    if allowed {
                        #expect(
                            ![.unauthorized, .forbidden].contains(answer.status) && answer.status.code < 500,
                            "\(role) \(route): \(answer.status) \(answer.errorCode ?? "")")
                    } else {
                        #expect(answer.status == .forbidden, "\(role) \(route) should be refused: \(answer.status)")
                    }
                    guard route.office != nil, role != .admin else { continue }
                    let foreign = try await call(h, route, cookie: elsewhere)
                    #expect(foreign.status == .forbidden, "\(role) of another office \(route): \(foreign.status)")
                }
            }
        }
    }

    @Test("an initial password blocks the API and sends pages to the password form until it is changed")
    func initialPassword() async throws {
        try await APITestHarness.run { h in
            _ = try await h.t.runtime.staffAccess.addUser(
                login: "newcomer", role: .staff, officeIDs: ["main"], password: "initial pass 1",
                mustChangePassword: true)
            let signIn = try await h.request(.post, "/api/v1/session", json: #"{"login":"newcomer","password":"initial pass 1"}"#)
            #expect(signIn.status == .ok && (signIn.object["mustChangePassword"] as? Bool) == true)
            let cookie = String(try #require(signIn.headers[.setCookie]).split(separator: ";")[0])
            let blocked = try await h.request(.get, "/api/v1/counters/c1/board", cookie: cookie)
            #expect(blocked.status == .forbidden && blocked.errorCode == "password_change_required")
            let page = try await h.request(.get, "/staff/counter/c1", cookie: cookie)
            #expect(page.status == .seeOther && page.headers[.location]?.hasPrefix("/staff/password") == true)

            let same = try await h.request(.post, "/api/v1/session/password", json: #"{"current":"initial pass 1","new":"initial pass 1"}"#, cookie: cookie)
            #expect(same.status == .unprocessableContent && same.errorCode == "weak_password")
            let changed = try await h.request(.post, "/api/v1/session/password", json: #"{"current":"initial pass 1","new":"my own words 2"}"#, cookie: cookie)
            #expect(changed.status == .noContent)
            // The old session ended with the change; the new cookie works.
            #expect(try await h.request(.get, "/api/v1/counters/c1/board", cookie: cookie).status == .unauthorized)
            let fresh = String(try #require(changed.headers[.setCookie]).split(separator: ";")[0])
            #expect(try await h.request(.get, "/api/v1/counters/c1/board", cookie: fresh).status == .ok)
        }
    }
}
