import Foundation

/// A time of day as staff type it in settings (`09:30`, `9:30`, full-width `０９：３０`), held as minutes after
/// midnight; 24:00 is allowed as the end of a day.
public enum ClockTime {
    /// Minutes after midnight, or nil when the text is not a time of the form H:MM or HH:MM.
    public static func minutes(_ text: String) -> Int? {
        // NFKC turns full-width digits and the full-width colon typed through a Japanese IME into ASCII.
        let plain = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        let parts = plain.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60, hour < 24 || (hour == 24 && minute == 0)
        else { return nil }
        return hour * 60 + minute
    }

    /// `HH:MM` for minutes after midnight.
    public static func text(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
}
