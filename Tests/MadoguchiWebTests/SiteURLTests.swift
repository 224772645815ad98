import Foundation
import Hummingbird
import Testing
@testable import MadoguchiWeb

@Suite("SiteURL builds routes and links from one place (issue 16, item 2)")
struct SiteURLTests {
    @Test("a route pattern names its parameters; a link percent-encodes each segment and query value")
    func patternsAndLinks() {
        #expect(SiteURL.reserveDetails(.key).pattern.description == "/reserve/{procedure}/details")
        #expect(SiteURL.home.pattern.description == "/")
        // an id or a typed value cannot break out of its segment or its query value
        #expect(SiteURL.reserveProcedure(.value("a/b?c")).href(["lang": "en"]) == "/reserve/a%2Fb%3Fc?lang=en")
        #expect(SiteURL.reserveManage.href(["error": "x&admin=1", "lang": nil]) == "/reserve/manage?error=x%26admin%3D1")
        #expect(SiteURL.office(.value("練馬")).path == "/offices/%E7%B7%B4%E9%A6%AC")
        #expect(SiteURL.reserveProcedure(.value("card")).href(["date": "2026-12-03"], fragment: "times") == "/reserve/card?date=2026-12-03#times")
    }

    @Test("staff, admin and device pages: patterns and links come from the same case")
    func staffPages() {
        #expect(SiteURL.staffFormAttachment(case: .key, attachment: .key).pattern.description == "/staff/forms/{case}/attachments/{attachment}")
        #expect(
            SiteURL.staffForm(.value("a b")).href(["notice": "保存しました。"])
                == "/staff/forms/a%20b?notice=%E4%BF%9D%E5%AD%98%E3%81%97%E3%81%BE%E3%81%97%E3%81%9F%E3%80%82")
        #expect(SiteURL.kioskTicketPrint(kiosk: .value("k1"), token: .value("t/1")).href(["back": "1"]) == "/kiosk/k1/tickets/t%2F1/print?back=1")
        #expect(SiteURL.adminSettings.href(["done": "1"], fragment: "office-main") == "/admin/settings?done=1#office-main")
    }

    /// Every `href="/…"` and `action="/…"` written in a template, `{{…}}` standing for a value.
    static func templateLinks() throws -> [String] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/MadoguchiWeb/Resources/templates")
        var links: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /(?:href|action)="(\/[^"?#]*)/) {
                links.insert(String(match.1).replacing(/\{\{[^}]*\}\}/, with: "x"))
            }
        }
        return links.sorted()
    }

    @Test("every link and form target written in a template is a route of the site (no dead link after a rename)")
    func templateLinksAreRouted() async throws {
        let links = try Self.templateLinks()
        #expect(links.count > 40)
        try await APITestHarness.run { api in
            for link in links {
                if link.hasPrefix("/static/") {
                    #expect(try await api.request(.get, link).status == .ok, "\(link)")
                    continue
                }
                // The router answers an address it does not know with `not_found`; a known one answers otherwise
                // (a page, a redirect to sign in, a refusal of the method or the request, or a specific not-found).
                let get = try await api.request(.get, link)
                let post = try await api.post(form: "", to: link)
                #expect(get.errorCode != "not_found" || post.errorCode != "not_found", "\(link) is not routed")
            }
        }
    }
}
