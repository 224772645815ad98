import Foundation

/// WCAG 2.2 contrast ratios, for colours a city configures (kiosk buttons carry white text and must reach AAA).
public enum ContrastRatio {
    /// The ratio of white to `#RRGGBB`, or nil when the text is not such a colour.
    public static func againstWhite(hex: String) -> Double? {
        guard let luminance = relativeLuminance(hex: hex) else { return nil }
        return 1.05 / (luminance + 0.05)
    }

    /// WCAG's relative luminance of an sRGB colour `#RRGGBB`.
    public static func relativeLuminance(hex: String) -> Double? {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        guard digits.count == 6, hex.hasPrefix("#"), let value = UInt32(digits, radix: 16) else { return nil }
        func channel(_ shift: UInt32) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }
}
