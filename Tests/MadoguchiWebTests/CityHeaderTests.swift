import MadoguchiCore
import MadoguchiTestSupport
import Testing
@testable import MadoguchiWeb

@Suite("The city's name on public pages and the staff sign-in (issue 15, items 12 and 21)")
struct CityHeaderTests {
    static let named: OfficeLayout = {
        let city = TestLayouts.city
        return OfficeLayout(
            offices: city.offices, services: city.services, counters: city.counters, kiosks: city.kiosks,
            monitors: city.monitors, reservations: city.reservations,
            city: CityProfile(
                name: "試験市", names: LocalizedText(ja: "試験市", en: "Shiken City", zhHans: "试验市", ko: "시켄시"),
                emblem: "/static/demo-emblem.svg"))
    }()

    @Test("public pages show the city's emblem and its name in the visitor's language")
    func publicHeader() async throws {
        try await APITestHarness.run(layout: Self.named) { h in
            // when a visitor opens the public pages in Japanese and in English
            let ja = try await h.page("/?lang=ja")
            let en = try await h.page("/?lang=en")
            let office = try await h.page("/offices/main?lang=en")
            // then each header names the city in that language, beside its emblem
            #expect(ja.html.contains(#"<span class="city-name" id="city-name">試験市</span>"#))
            #expect(en.html.contains(#"<span class="city-name" id="city-name">Shiken City</span>"#))
            #expect(office.html.contains("Shiken City") && !office.html.contains("試験市"))
            #expect(en.html.contains(#"<img class="emblem" src="/static/demo-emblem.svg""#))
        }
    }

    @Test("a city nobody named shows the site's title alone")
    func unnamedCity() async throws {
        try await APITestHarness.run { h in
            let page = try await h.page("/?lang=ja")
            #expect(page.status == .ok && !page.html.contains("city-name") && !page.html.contains("class=\"emblem\""))
        }
    }

    @Test("the city's profile survives export and import of the configuration, and a foreign emblem address is refused")
    func configurationRoundTrip() throws {
        let exported = try ConfigurationDocument.export(Self.named, as: .yaml)
        let read = try ConfigurationDocument.parse(exported).get()
        #expect(read.layout.city == Self.named.city)
        var foreign = CityConfiguration(Self.named)
        foreign.city?.emblem = "https://evil.example/emblem.svg"
        #expect(foreign.layout.validate().contains { $0.hasPrefix("city 'emblem'") })
    }

    @Test("the sign-in page names the city and the product, and after a lock-out says what to do")
    func signInPage() async throws {
        try await APITestHarness.run(layout: Self.named) { h in
            _ = try await h.t.runtime.staffAccess.addUser(login: "clerk1", role: .staff, officeIDs: ["main"], password: "test passphrase 1")
            // when the sign-in page opens
            let page = try await h.page("/staff/sign-in")
            // then it names the city and the product, and warns how many failures lock the account
            #expect(page.html.contains("試験市") && page.html.contains("Madoguchi（窓口）"))
            let policy = h.t.runtime.webDependencies.staff.access.policy
            #expect(page.html.contains("\(policy.maxFailures)回続けて間違えると"))
            #expect(!page.html.contains("lockout-help"))
            // when the password is wrong as often as the policy allows, and once more
            var last: APITestHarness.Answer?
            for _ in 0...policy.maxFailures {
                last = try await h.post(form: "login=clerk1&password=wrong%20guess%201", to: "/staff/sign-in")
            }
            // then the page says the account is locked and what to do about it
            let locked = String(decoding: try #require(last).body, as: UTF8.self)
            #expect(locked.contains(#"id="lockout-help""#))
            #expect(locked.contains("\(Int(policy.lockDuration / 60))分たつと自動で解除されます"))
            #expect(locked.contains("/admin/users"))
            // a single wrong password only says it was wrong
            _ = try await h.t.runtime.staffAccess.addUser(login: "clerk2", role: .staff, officeIDs: ["main"], password: "test passphrase 2")
            let once = try await h.post(form: "login=clerk2&password=wrong%20guess%201", to: "/staff/sign-in")
            #expect(once.status == .unauthorized && !String(decoding: once.body, as: UTF8.self).contains(#"id="lockout-help""#))
        }
    }
}
