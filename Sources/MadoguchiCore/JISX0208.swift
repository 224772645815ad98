import Foundation

/// Text for systems limited to JIS X 0208 (the core resident-records interface in Shift_JIS, K6): characters
/// outside it are replaced by a city's substitution table (髙 → 高) or, failing that, by 〓, and every replacement
/// is reported so a clerk can check it — never dropped silently.
public struct JISX0208Substitution: Sendable {
    /// One replaced character: where, what, and with what.
    public struct Replacement: Sendable, Equatable, Codable {
        public var field: String
        public var character: String
        /// `U+9AD9`.
        public var codePoint: String
        public var replacement: String
        public var fromTable: Bool
    }

    /// The city's table, character → replacement (both single characters or short texts inside JIS X 0208).
    public var table: [String: String]

    /// A few common 戸籍統一文字 and variants with their usual JIS X 0208 forms; a city extends it.
    public static let standardTable: [String: String] = [
        "髙": "高", "﨑": "崎", "𠮷": "吉", "濵": "濱", "①": "(1)", "②": "(2)", "③": "(3)", "Ⅰ": "I", "Ⅱ": "II", "㈱": "(株)",
        // Unicode forms whose JIS X 0208 character CP932 decodes to another code point (reference/domain.md §12).
        "〜": "～", "−": "－", "—": "―", "‖": "∥", "¢": "￠", "£": "￡", "¬": "￢"
    ]

    public init(table: [String: String] = Self.standardTable) {
        self.table = table
    }

    /// Whether JIS X 0208 (or ASCII / JIS X 0201 half-width katakana, which the interface also carries) has the
    /// character. Foundation's Shift_JIS is Microsoft's CP932, which adds NEC row 13 (lead byte 0x87) and the IBM
    /// extensions (0xED–0xEE, 0xFA–0xFC) to JIS X 0208; those lead bytes are treated as outside.
    public static func contains(_ character: Character) -> Bool {
        guard let bytes = String(character).data(using: .shiftJIS), !bytes.isEmpty else { return false }
        // One byte, or ASCII only: "\r\n" is one Character of two bytes, and a CSV line ends with it.
        if bytes.count == 1 || bytes.allSatisfy({ $0 < 0x80 }) { return true }
        guard bytes.count == 2 else { return false }
        let lead = bytes[bytes.startIndex]
        return (0x81...0x84).contains(lead) || (0x88...0x9F).contains(lead) || (0xE0...0xEA).contains(lead)
    }

    /// The text with every character outside JIS X 0208 replaced, and the replacements made.
    public func substitute(_ text: String, field: String) -> (text: String, replacements: [Replacement]) {
        var output = "", replacements: [Replacement] = []
        for character in text {
            if Self.contains(character) {
                output.append(character)
                continue
            }
            let codePoint = character.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
            if let mapped = table[String(character)], mapped.allSatisfy(Self.contains) {
                output += mapped
                replacements.append(Replacement(field: field, character: String(character), codePoint: codePoint, replacement: mapped, fromTable: true))
            } else {
                output += "〓"
                replacements.append(Replacement(field: field, character: String(character), codePoint: codePoint, replacement: "〓", fromTable: false))
            }
        }
        return (output, replacements)
    }

    /// A file for a system limited to JIS X 0208: `text` substituted, in Shift_JIS, with every replacement made.
    public func shiftJIS(_ text: String, field: String = "") -> (data: Data, replacements: [Replacement]) {
        let (plain, replacements) = substitute(text, field: field)
        // Every character is now inside JIS X 0208 (or ASCII), so the encoding cannot fail.
        return (plain.data(using: .shiftJIS) ?? Data(), replacements)
    }
}
