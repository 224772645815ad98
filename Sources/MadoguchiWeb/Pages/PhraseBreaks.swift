/// Where a Japanese name may wrap on a screen. Browsers break Japanese between any two characters (「転入・転 / 出」,
/// 「交付コ / ーナー」); screens show names with `word-break: keep-all` and a `<wbr>` after each segment returned
/// here, so a long name wraps only between its parts: after 「・」「）」「、」, before 「（」, and where katakana
/// meets kanji or Latin letters (マイナンバーカード / 交付 / コーナー). Written here because no Swift library on
/// Linux segments Japanese phrases (BudouX has no Swift port).
enum PhraseBreaks {
    private enum Kind { case kanji, katakana, hiragana, latin, digit, opening, closing, other }

    private static func kind(_ character: Character) -> Kind {
        if "（「『【〔(".contains(character) { return .opening }
        if "）」』】〕)、。・,".contains(character) { return .closing }
        guard let scalar = character.unicodeScalars.first else { return .other }
        switch scalar.value {
        case 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .katakana
        case 0x3040...0x309F: return .hiragana
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x3005: return .kanji
        // Digits stay with what follows (2番窓口), not with what precedes (マイナンバーカード / 2番).
        case 0x30...0x39, 0xFF10...0xFF19: return .digit
        case 0x41...0x5A, 0x61...0x7A, 0xFF21...0xFF5A: return .latin
        default: return .other
        }
    }

    /// The text with a zero-width space between its parts: for names that scripts place on the screen.
    static func wrappable(_ text: String) -> String { segments(text).joined(separator: "\u{200B}") }

    static func segments(_ text: String) -> [String] {
        var segments: [String] = []
        var current = ""
        var previous: Kind?
        for character in text {
            let kind = kind(character)
            if let previous, !current.isEmpty, breaks(between: previous, and: kind) {
                segments.append(current)
                current = ""
            }
            current.append(character)
            previous = kind
        }
        if !current.isEmpty { segments.append(current) }
        return segments
    }

    private static func breaks(between previous: Kind, and next: Kind) -> Bool {
        if previous == .closing || next == .opening { return true }
        if next == .closing || previous == .opening { return false }
        let scripts: Set<Kind> = [.kanji, .katakana, .latin]
        if next == .digit { return previous == .kanji || previous == .katakana }
        return previous != next && scripts.contains(previous) && scripts.contains(next)
    }
}
