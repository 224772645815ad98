import Foundation
import HTTPTypes
import NIOCore
import MadoguchiCore
import MadoguchiTestSupport
import MadoguchiWeb
import Testing

@Suite("Configuration and statistics API (X4, S1, S7)", .serialized)
struct AdministrationAPITests {
    @Test("the configuration, reservations included, exports and imports back unchanged, in YAML and JSON")
    func roundTrip() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            let admin = try await h.signIn(role: .admin, offices: [])
            let original = h.t.runtime.layout.current
            for format in ["yaml", "json"] {
                let exported = try await h.request(.get, "/api/v1/configuration?format=\(format)", cookie: admin)
                #expect(exported.status == .ok)
                let imported = try await h.client.execute(
                    uri: "/api/v1/configuration", method: .put, headers: [.cookie: admin], body: ByteBuffer(data: exported.body)
                ) { ($0.status, String(buffer: $0.body)) }
                #expect(imported.0 == .noContent, "\(format): \(imported.1)")
                #expect(h.t.runtime.layout.current == original, "\(format)")
            }
        }
    }

    @Test("a faulty document is refused whole, with the line and column of each fault")
    func faults() async throws {
        try await APITestHarness.run { h in
            let admin = try await h.signIn(role: .admin, offices: [])
            let yaml = String(decoding: try await h.request(.get, "/api/v1/configuration?format=yaml", cookie: admin).body, as: UTF8.self)
            // A counter pointed at an office that does not exist, and a renamed office.
            let broken = yaml.replacingOccurrences(of: "officeID: other\n  stageIDs", with: "officeID: nowhere\n  stageIDs")
                .replacingOccurrences(of: "name: 本庁舎", with: "name: 新庁舎")
            #expect(broken != yaml)
            let answer = try await h.client.execute(
                uri: "/api/v1/configuration", method: .put, headers: [.cookie: admin],
                body: ByteBuffer(string: broken)
            ) { APITestHarness.Answer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body)) }
            #expect(answer.status == .unprocessableContent && answer.errorCode == "invalid_configuration")
            let faults = try #require((answer.object["error"] as? [String: Any])?["faults"] as? [[String: Any]])
            let fault = try #require(faults.first)
            let line = try #require(fault["line"] as? Int)
            #expect((fault["path"] as? String)?.hasPrefix("counters[") == true && (fault["message"] as? String)?.contains("nowhere") == true)
            #expect(broken.split(separator: "\n", omittingEmptySubsequences: false)[line - 1].contains("id: x1"))
            #expect(h.t.runtime.layout.current.office("main")?.name == "本庁舎")  // nothing changed

            let syntax = try await h.client.execute(
                uri: "/api/v1/configuration", method: .put, headers: [.cookie: admin],
                body: ByteBuffer(string: "offices: [\n  {id: a")
            ) { APITestHarness.Answer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body)) }
            let syntaxFault = try #require(((syntax.object["error"] as? [String: Any])?["faults"] as? [[String: Any]])?.first)
            #expect(syntax.status == .unprocessableContent && syntaxFault["line"] as? Int != nil)
        }
    }

    @Test("statistics export as JSON, UTF-8 CSV with BOM, Shift_JIS CSV and .xlsx; exports are audited")
    func statisticsFormats() async throws {
        try await APITestHarness.run { h in
            let viewer = try await h.signIn(role: .statisticsViewer, offices: ["main"])
            _ = try await h.issue("b")
            let today = CityCalendar.businessDate(of: h.t.clock.now())
            let base = "/api/v1/statistics?office=main&from=\(today)&to=\(today)"
            let json = try await h.request(.get, base, cookie: viewer)
            let rows = try #require(json.object["rows"] as? [[String: Any]])
            #expect(json.status == .ok && rows.first?["issued"] as? Int == 1 && rows.first?["name"] as? String == "本庁舎 証明書")
            let csv = try await h.request(.get, base + "&format=csv", cookie: viewer)
            #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF] && String(decoding: csv.body.dropFirst(3), as: UTF8.self).hasPrefix("期間,名称,発券数"))
            let sjis = try await h.request(.get, base + "&format=csv&encoding=shift_jis", cookie: viewer)
            #expect(String(data: sjis.body, encoding: .shiftJIS)?.contains("本庁舎 証明書") == true)
            #expect(sjis.headers[HTTPField.Name("X-Madoguchi-Outside-JIS")!] == "0")  // nothing had to be replaced
            let xlsx = try await h.request(.get, base + "&format=xlsx", cookie: viewer)
            #expect(xlsx.status == .ok && Array(xlsx.body.prefix(2)) == [0x50, 0x4B])  // a ZIP container, as .xlsx is
            #expect(try await h.request(.get, base + "&format=pdf", cookie: viewer).errorCode == "invalid_parameter")
            #expect(try await h.request(.get, "/api/v1/statistics?from=2026-13-01&to=2026-12-01", cookie: viewer).errorCode == "invalid_range")
            #expect(try await h.request(.get, "/api/v1/statistics?office=other&\(today)", cookie: viewer).status == .forbidden)
            let exports = try await h.t.runtime.audit.entries(AuditQuery(action: "statistics.export"))
            #expect(exports.count == 3)
        }
    }
}
