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
}
