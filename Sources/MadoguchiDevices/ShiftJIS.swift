import Foundation

/// Text for Japanese thermal printers, whose Kanji mode reads Shift_JIS (CP932 on Linux's Foundation).
public enum ShiftJIS {
    /// Characters CP932 lacks but whose look-alikes it has (reference/domain.md §12).
    private static let lookAlikes: [Character: Character] = [
        "〜": "～", "−": "－", "—": "―", "‖": "∥", "¢": "￠", "£": "￡", "¬": "￢"
    ]

    /// Shift_JIS bytes of `text`; a character outside the printer's set becomes 〓 (the geta mark) rather than being
    /// dropped, so a name never silently loses a character.
    public static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for character in text {
            let mapped = lookAlikes[character] ?? character
            if let data = String(mapped).data(using: .shiftJIS) {
                bytes.append(contentsOf: data)
            } else {
                bytes.append(contentsOf: [0x81, 0xAC])  // 〓
            }
        }
        return bytes
    }
}
