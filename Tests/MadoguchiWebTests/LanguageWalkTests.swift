import Foundation
import MadoguchiApp
import MadoguchiCore
import MadoguchiTestSupport
import Testing
@testable import MadoguchiWeb

/// Walks the public and booking pages of the demo city in English, Chinese and Korean and fails on Japanese text:
/// fixed words, dates and configured names must all speak the visitor's language (issue 15, item 11).
@Suite("Every visitor text in the visitor's language (issue 15, item 11)", .serialized)
struct LanguageWalkTests {
    /// What a person reads or hears: text between tags and the attributes screen readers speak; not scripts,
    /// and not the language switcher, whose links name each language in itself on purpose.
    static func spokenTexts(_ html: String) -> [String] {
        var page = html
        for pattern in [#"<script[\s\S]*?</script>"#, #"<style[\s\S]*?</style>"#, #"<a [^>]*hreflang="[^"]*"[^>]*>[^<]*</a>"#] {
            page = page.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        var texts: [String] = []
        let attributes = try! NSRegularExpression(pattern: #"\s(?:alt|title|aria-label|placeholder)="([^"]*)""#)
        let range = NSRange(page.startIndex..., in: page)
        for match in attributes.matches(in: page, range: range) { texts.append(String(page[Range(match.range(at: 1), in: page)!])) }
        let withoutTags = page.replacingOccurrences(of: #"<[^>]*>"#, with: "\n", options: .regularExpression)
        texts += withoutTags.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return texts
    }

    /// Kana are Japanese in every other language; kanji too, except in Chinese.
    static func looksJapanese(_ text: String, reading language: Language) -> Bool {
        text.unicodeScalars.contains { scalar in
            let v = scalar.value
            let kana = (0x3040...0x30FF).contains(v) || (0x31F0...0x31FF).contains(v) || (0xFF66...0xFF9F).contains(v)
            let kanji = (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v)
            let japanesePunctuation = [0x3001, 0x3002, 0x300C, 0x300D].contains(v)  // 、。「」
            return kana || (language != .zhHans && (kanji || japanesePunctuation))
        }
    }

    static func faults(_ html: String, page: String, language: Language) -> [String] {
        spokenTexts(html).filter { looksJapanese($0, reading: language) }.map { "\(page): \($0)" }
    }

    @Test("public and booking pages in en, zh-Hans and ko carry no Japanese text", arguments: [Language.en, .zhHans, .ko])
    func walk(language: Language) async throws {
        try await APITestHarness.run(layout: DemoCity.layout) { h in
            let lang = language.rawValue
            let ticket = try await h.issue("nerima-juki", office: "nerima")
            let token = try #require(ticket["token"] as? String)
            var pages = [
                "/?lang=\(lang)", "/t/\(token)?lang=\(lang)", "/t/no-such-ticket?lang=\(lang)", "/reserve?lang=\(lang)",
                "/reserve/manage?lang=\(lang)"
            ]
            pages += DemoCity.layout.offices.map { "/offices/\($0.id)?lang=\(lang)" }
            pages += DemoCity.layout.reservations.procedures.map { "/reserve/\($0.id)?lang=\(lang)" }
            // the first bookable day of the consultation, its times and the details form
            let procedure = "moving-consultation"
            var month = try await h.page("/reserve/\(procedure)?office=nerima&lang=\(lang)")
            var day = month.html.firstMatch(of: #/href="(/reserve/moving-consultation\?[^"]*date=(\d{4}-\d{2}-\d{2})[^"]*)"/#)
            if day == nil, let next = month.html.firstMatch(of: #/href="(/reserve/moving-consultation\?[^"]*month=\d{4}-\d{2}[^"]*)"/#) {
                month = try await h.page(String(next.1).replacingOccurrences(of: "&amp;", with: "&"))
                day = month.html.firstMatch(of: #/href="(/reserve/moving-consultation\?[^"]*date=(\d{4}-\d{2}-\d{2})[^"]*)"/#)
            }
            let found = try #require(day)
            let date = String(found.2)
            pages.append(String(found.1).replacingOccurrences(of: "&amp;", with: "&"))
            let times = try await h.page("/reserve/\(procedure)?office=nerima&date=\(date)&lang=\(lang)")
            let start = String(try #require(times.html.firstMatch(of: #/name="start" value="([^"]+)"/#)).1)
            pages.append("/reserve/\(procedure)/details?office=nerima&start=\(start)&lang=\(lang)")

            var faults: [String] = []
            for page in pages {
                let answer = try await h.page(page)
                #expect(answer.status == .ok || (page.hasPrefix("/t/no-such") && answer.status == .notFound), "\(page): \(answer.status)")
                faults += Self.faults(answer.html, page: page, language: language)
            }
            // the booking's confirmation
            let done = try await h.post(
                form: "office=nerima&start=\(start)&lang=\(lang)&phone=0312345678&email=a%40example.jp&password=1234",
                to: "/reserve/\(procedure)/book")
            #expect(done.status == .ok)
            faults += Self.faults(String(decoding: done.body, as: UTF8.self), page: "booking done", language: language)
            #expect(faults.isEmpty, "\(faults.joined(separator: "\n"))")
        }
    }

    @Test("the check finds Japanese where it is, and leaves Chinese and Korean alone")
    func detector() {
        #expect(Self.looksJapanese("お待ちください", reading: .zhHans))
        #expect(!Self.looksJapanese("请稍候", reading: .zhHans) && Self.looksJapanese("練馬区民事務所", reading: .en))
        #expect(!Self.looksJapanese("네리마 구민사무소", reading: .ko) && !Self.looksJapanese("Nerima office", reading: .en))
        #expect(Self.spokenTexts(#"<p title="補足">Hi</p><script>var a = "あ";</script><a href="/?lang=ja" lang="ja" hreflang="ja">日本語</a>"#) == ["補足", "Hi"])
    }
}
