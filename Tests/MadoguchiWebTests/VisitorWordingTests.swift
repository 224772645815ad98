import MadoguchiCore
import MadoguchiTestSupport
import Testing
@testable import MadoguchiWeb

@Suite("Visitor wording: counts, phrase breaks (issue 15)")
struct VisitorWordingTests {
    @Test("English says 1 person and 2 people, and soon rather than about 0 min; Japanese keeps one form")
    func countedForms() {
        // given the visitor texts of two languages
        let en = VisitorText.en, ja = VisitorText.ja
        // then counts read as people say them
        #expect(en.people(1) == "1 person" && en.people(2) == "2 people" && en.people(0) == "0 people")
        #expect(en.minutes(0) == "soon" && en.minutes(1) == "about 1 min" && en.minutes(12) == "about 12 min")
        #expect(en.ahead(0) == "Nobody is ahead of you" && en.ahead(1) == "1 person is ahead of you" && en.ahead(3) == "3 people are ahead of you")
        #expect(ja.people(1) == "1人" && ja.minutes(0) == "まもなく" && ja.minutes(5) == "約5分")
        #expect(en.laterStage("Review", 2) == "Review: 2 waiting" && ja.laterStage("審査", 2) == "審査待ち 2人")
        #expect(VisitorText.counted(en.minutesFormat, 3) == "about 3 min")
    }

    @Test("names wrap only between their parts, never inside a word")
    func phraseBreaks() {
        #expect(PhraseBreaks.segments("住民異動届（転入・転出・転居）") == ["住民異動届", "（転入・", "転出・", "転居）"])
        #expect(PhraseBreaks.segments("マイナンバーカード交付コーナー") == ["マイナンバーカード", "交付", "コーナー"])
        #expect(PhraseBreaks.segments("お待ちの方") == ["お待ちの方"])
        #expect(PhraseBreaks.segments("マイナンバーカード2番") == ["マイナンバーカード", "2番"])
        #expect(PhraseBreaks.segments("2番窓口（受付）") == ["2番窓口", "（受付）"])
        #expect(PhraseBreaks.segments("").isEmpty)
        // whatever the text, the parts put together give it back
        for text in ["住民票・印鑑証明", "Residence & seal certificates", "戸籍証明（本籍地）、印鑑登録"] {
            #expect(PhraseBreaks.segments(text).joined() == text)
        }
    }
}

@Suite("Configuration documents with icons (issue 15)")
struct ConfigurationIconTests {
    @Test("JSON with an icon written as a surrogate pair reads back the icon")
    func surrogatePairs() throws {
        // given the exported test city with an icon, as a JSON writer that escapes non-ASCII sends it
        var configuration = CityConfiguration(TestLayouts.city)
        configuration.services[0].icon = "🏠"
        let json = try ConfigurationDocument.export(configuration.layout, as: .json)
        let escaped = json.unicodeScalars.map { scalar -> String in
            if scalar.isASCII { return String(scalar) }
            return String(scalar).utf16.map { String(format: "\\u%04x", $0) }.joined()  // as Python's json.dumps writes it
        }.joined()
        #expect(escaped.contains("\\ud83c\\udfe0"))
        // when it is read, then the icon and the Japanese names come back
        let read = try ConfigurationDocument.parse(escaped).get()
        #expect(read.services[0].icon == "🏠" && read.services[0].name == TestLayouts.city.services[0].name)
    }
}

@Suite("Settings page YAML (issue 15, item 17)")
struct SettingsYAMLTests {
    @Test("kiosk, monitor and reservation YAML on /admin/settings shows Japanese as text, not \\u escapes")
    func japaneseAsText() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithDevices) { h in
            // given an administrator
            let admin = try await h.signIn(role: .admin, offices: [])
            // when the settings page is opened
            let page = try await h.request(.get, "/admin/settings", cookie: admin)
            let html = String(decoding: page.body, as: UTF8.self)
            // then the devices' YAML holds their Japanese names as written
            #expect(page.status == .ok)
            let kiosk = try #require(h.t.runtime.layout.current.kiosks.first)
            #expect(html.contains("name: \(kiosk.name)"))
            #expect(html.range(of: #"\\u[0-9A-Fa-f]{4}"#, options: .regularExpression) == nil)
        }
    }
}
