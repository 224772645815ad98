import Foundation

/// A call as screens show it and as voices speak it (Q8, Q9). Japanese speech is written in kana because offline
/// engines (espeak-ng) misread kanji and digits (reference/domain.md §11).
public struct Announcement: Codable, Sendable, Equatable {
    /// BCP 47 tag of the voice to use.
    public var language: String
    /// What the screen shows.
    public var display: String
    /// What the voice says.
    public var speech: String
}

public enum AnnouncementLanguage: String, Codable, Sendable, CaseIterable {
    case ja, en, zhHans = "zh-Hans", ko
}

/// Composes call announcements in every visitor language.
public enum AnnouncementComposer {
    /// The call of `displayNumber` (e.g. "A012") to a counter. `counterNumber` is the number visitors see on the
    /// counter (3 in 「3番窓口」); `counterName` is used where there is none.
    public static func call(displayNumber: String, counterNumber: Int?, counterName: String, language: AnnouncementLanguage) -> Announcement {
        switch language {
        case .ja:
            let counterDisplay = counterNumber.map { "\($0)番窓口" } ?? counterName
            let counterSpeech = counterNumber.map { JapaneseReading.number($0) + "ばん まどぐち" } ?? JapaneseReading.kanaOnly(counterName)
            return Announcement(
                language: "ja-JP",
                display: "受付番号 \(displayNumber) 番の方、\(counterDisplay)へお越しください。",
                speech: "うけつけばんごう \(JapaneseReading.displayNumber(displayNumber))ばんの かた、\(counterSpeech)へ おこしください")
        case .en:
            let counter = counterNumber.map { "counter \($0)" } ?? counterName
            let text = "Number \(spaced(displayNumber)), please come to \(counter)."
            return Announcement(language: "en-US", display: "Number \(displayNumber), please come to \(counter).", speech: text)
        case .zhHans:
            let counter = counterNumber.map { "\($0)号窗口" } ?? counterName
            let text = "请\(displayNumber)号到\(counter)办理。"
            return Announcement(language: "zh-CN", display: text, speech: text)
        case .ko:
            let counter = counterNumber.map { "\($0)번 창구" } ?? counterName
            let text = "\(displayNumber)번 고객님, \(counter)로 오십시오."
            return Announcement(language: "ko-KR", display: text, speech: text)
        }
    }

    /// The counter number visitors read on a counter's name: the first number in it (「3番窓口（受付）」 → 3).
    public static func counterNumber(fromName name: String) -> Int? {
        let digits = name.unicodeScalars.drop { !CharacterSet.decimalDigits.contains($0) }
            .prefix { CharacterSet.decimalDigits.contains($0) }
        return Int(String(String.UnicodeScalarView(digits)).applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? "")
    }

    /// "A012" → "A 0 1 2" so English voices read digits one by one, as ticket numbers are read.
    private static func spaced(_ displayNumber: String) -> String {
        displayNumber.map(String.init).joined(separator: " ")
    }
}

/// Readings of numbers and ticket numbers in hiragana.
public enum JapaneseReading {
    private static let digits = ["ぜろ", "いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅう"]
    private static let hundreds = ["", "ひゃく", "にひゃく", "さんびゃく", "よんひゃく", "ごひゃく", "ろっぴゃく", "ななひゃく", "はっぴゃく", "きゅうひゃく"]
    private static let thousands = ["", "せん", "にせん", "さんぜん", "よんせん", "ごせん", "ろくせん", "ななせん", "はっせん", "きゅうせん"]
    private static let letters: [Character: String] = [
        "A": "えー", "B": "びー", "C": "しー", "D": "でぃー", "E": "いー", "F": "えふ", "G": "じー", "H": "えいち", "I": "あい",
        "J": "じぇー", "K": "けー", "L": "える", "M": "えむ", "N": "えぬ", "O": "おー", "P": "ぴー", "Q": "きゅー", "R": "あーる",
        "S": "えす", "T": "てぃー", "U": "ゆー", "V": "ぶい", "W": "だぶりゅー", "X": "えっくす", "Y": "わい", "Z": "ぜっと"
    ]

    /// 0–9999 as spoken: 123 → ひゃくにじゅうさん, 300 → さんびゃく, 8000 → はっせん.
    public static func number(_ value: Int) -> String {
        guard value > 0 else { return digits[0] }
        guard value < 10_000 else { return String(value).map { digits[Int(String($0))!] }.joined(separator: " ") }
        let t = value / 1000, h = value / 100 % 10, d = value / 10 % 10, u = value % 10
        var reading = thousands[t] + hundreds[h]
        if d > 0 { reading += (d == 1 ? "" : digits[d]) + "じゅう" }
        if u > 0 { reading += digits[u] }
        return reading
    }

    /// A display number as announced: its letters by name, then the number as a whole ("A012" → "えー じゅうに").
    public static func displayNumber(_ displayNumber: String) -> String {
        let prefix = displayNumber.prefix { !$0.isNumber }
        let numberPart = displayNumber.drop { !$0.isNumber }
        let letterReading = prefix.uppercased().compactMap { letters[$0] }.joined(separator: " ")
        let numberReading = Int(numberPart).map(number) ?? ""
        return [letterReading, numberReading].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The kana of a name, dropping what a kana-only voice cannot read (a name is best given a reading in settings).
    public static func kanaOnly(_ text: String) -> String {
        String(text.unicodeScalars.filter { (0x3040...0x30FF).contains($0.value) || $0 == " " }.map(Character.init))
    }
}
