import MadoguchiCore
import Testing

@Suite("Call announcements (Q8, Q9)")
struct AnnouncementTests {
    @Test(
        "numbers are read as spoken, with the sound changes of hundreds and thousands",
        arguments: [
            (0, "ぜろ"), (1, "いち"), (10, "じゅう"), (12, "じゅうに"), (40, "よんじゅう"), (123, "ひゃくにじゅうさん"),
            (300, "さんびゃく"), (600, "ろっぴゃく"), (801, "はっぴゃくいち"), (999, "きゅうひゃくきゅうじゅうきゅう"),
            (1000, "せん"), (3000, "さんぜん"), (8000, "はっせん"), (2019, "にせんじゅうきゅう")
        ])
    func numbers(value: Int, reading: String) {
        #expect(JapaneseReading.number(value) == reading)
    }

    @Test("a display number is read letter by letter, then as one number")
    func displayNumbers() {
        #expect(JapaneseReading.displayNumber("A012") == "えー じゅうに")
        #expect(JapaneseReading.displayNumber("M800") == "えむ はっぴゃく")
        #expect(JapaneseReading.displayNumber("123") == "ひゃくにじゅうさん")
    }

    @Test("Japanese calls show kanji and speak kana only")
    func japanese() {
        let call = AnnouncementComposer.call(displayNumber: "A123", counterNumber: 3, counterName: "3番窓口（受付）", language: .ja)
        #expect(call.display == "受付番号 A123 番の方、3番窓口へお越しください。")
        #expect(call.speech == "うけつけばんごう えー ひゃくにじゅうさんばんの かた、さんばん まどぐちへ おこしください")
        let speechScalars = call.speech.unicodeScalars.filter { $0 != " " && $0 != "、" }
        #expect(speechScalars.allSatisfy { (0x3040...0x309F).contains($0.value) || $0 == "ー" }, "kana only")
        #expect(call.language == "ja-JP")
    }

    @Test("every visitor language gets its own text and voice tag")
    func languages() {
        let calls = AnnouncementLanguage.allCases.map {
            AnnouncementComposer.call(displayNumber: "B301", counterNumber: 12, counterName: "12番", language: $0)
        }
        #expect(calls.map(\.language) == ["ja-JP", "en-US", "zh-CN", "ko-KR"])
        #expect(calls[1].display == "Number B301, please come to counter 12." && calls[1].speech.contains("B 3 0 1"))
        #expect(calls[2].display == "请B301号到12号窗口办理。")
        #expect(calls[3].display == "B301번 고객님, 12번 창구로 오십시오.")
    }

    @Test("the counter number is taken from the counter's name, also in full-width digits")
    func counterNumbers() {
        #expect(AnnouncementComposer.counterNumber(fromName: "3番窓口（受付）") == 3)
        #expect(AnnouncementComposer.counterNumber(fromName: "マイナンバーカード12番") == 12)
        #expect(AnnouncementComposer.counterNumber(fromName: "１５番窓口") == 15)
        #expect(AnnouncementComposer.counterNumber(fromName: "総合案内") == nil)
    }
}
