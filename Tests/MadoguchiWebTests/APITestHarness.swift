import Foundation
import Hummingbird
import HummingbirdTesting
import MadoguchiCore
import MadoguchiTestSupport
import MadoguchiWeb
import Testing

/// The whole HTTP API over a fresh database (SQLite, then PostgreSQL where there is one), requests going straight
/// to the router.
struct APITestHarness {
    let t: TestRuntime
    let client: any TestClientProtocol
    let kind: TestDatabaseKind

    /// Web settings of tests about other things than limits: tickets are taken as freely as from a registered kiosk.
    static var unlimited: WebSettings {
        var settings = WebSettings()
        settings.publicTicketsPerClientPer10Minutes = 100_000
        settings.publicTicketsPerServicePer10Minutes = 100_000
        return settings
    }

    /// Runs `body` against the whole router on each database the machine has (SQLite always, PostgreSQL when
    /// `MADOGUCHI_TEST_POSTGRES_URL` names a server, as `scripts/test` does), a fresh runtime for each.
    static func run(
        layout: OfficeLayout = TestLayouts.city, settings: WebSettings = unlimited, _ body: @escaping @Sendable (APITestHarness) async throws -> Void
    ) async throws {
        for kind in TestDatabaseKind.available {
            do {
                try await TestRuntime.with(kind, layout: layout) { t in
                    let app = Application(router: try buildRouter(t.runtime.webDependencies, settings: settings))
                    try await app.test(.router) { client in
                        try await body(APITestHarness(t: t, client: client, kind: kind))
                    }
                }
            } catch {
                throw OnDatabase(kind: kind, error: error)
            }
        }
    }

    /// A failure that names the database it happened on.
    struct OnDatabase: Error, CustomStringConvertible {
        let kind: TestDatabaseKind
        let error: any Error
        var description: String { "on \(kind): \(error)" }
    }

    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
        var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }
    }

    /// The cookie of a browser staff registered as `device` on /staff/devices.
    func deviceCookie(_ kind: DevicePresence.Kind, _ id: String) -> String {
        let credential = DeviceCredential.make(for: DeviceIdentity(kind: kind, id: id), at: t.clock.now(), digest: t.runtime.webDependencies.keyedDigest)
        return "madoguchi_device=\(credential)"
    }

    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, cookie: String? = nil, bearer: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Answer {
        var headers = extra
        if json != nil { headers[.contentType] = "application/json" }
        if let cookie { headers[.cookie] = cookie }
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            Answer(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    /// A form post as a browser without JavaScript sends it.
    @discardableResult
    func post(form: String, to uri: String, cookie: String? = nil) async throws -> Answer {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form)) { response in
            Answer(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    func page(_ uri: String, cookie: String? = nil) async throws -> (status: HTTPResponse.Status, html: String, headers: HTTPFields) {
        let answer = try await request(.get, uri, cookie: cookie)
        return (answer.status, String(decoding: answer.body, as: UTF8.self), answer.headers)
    }

    /// Creates a user and signs in; returns the cookie header value.
    func signIn(role: Role = .staff, offices: [String] = ["main"]) async throws -> String {
        let login = "user\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await t.runtime.staffAccess.addUser(login: login, role: role, officeIDs: offices, password: "test passphrase 1")
        let answer = try await request(.post, "/api/v1/session", json: #"{"login":"\#(login)","password":"test passphrase 1"}"#)
        #expect(answer.status == .ok)
        let setCookie = try #require(answer.headers[.setCookie])
        return String(setCookie.split(separator: ";")[0])
    }

    /// Issues a ticket one second after the previous step, so arrival order is unambiguous.
    func issue(_ service: String, office: String = "main") async throws -> [String: Any] {
        t.clock.advance(seconds: 1)
        let answer = try await request(.post, "/api/v1/offices/\(office)/tickets", json: #"{"service":"\#(service)"}"#)
        #expect(answer.status == .created)
        return answer.object
    }
}
