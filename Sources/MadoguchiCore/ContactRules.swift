import Foundation

/// Checks of what visitors type when they book.
public enum ContactRules {
    /// Digits of a Japanese phone number (10 or 11, starting with 0); hyphens, spaces and full-width digits allowed.
    public static func phone(_ text: String) throws -> String {
        let halfWidth = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map {
                    (0xFF10...0xFF19).contains($0.value) ? Unicode.Scalar($0.value - 0xFF10 + 0x30)! : $0
                }))
        let digits = halfWidth.filter { !"-‐−ー－ 　()（）".contains($0) }
        guard digits.hasPrefix("0"), (10...11).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ReservationRefusal.invalidField(field: "phone", message: "電話番号は0から始まる10桁か11桁の数字で入力してください。")
        }
        return digits
    }

    public static func email(_ text: String, required: Bool) throws -> String? {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value.isEmpty, !required { return nil }
        guard let address = EmailAddress.normalized(value) else {
            throw ReservationRefusal.invalidField(field: "email", message: "メールアドレスを正しく入力してください（例: name@example.jp）。")
        }
        return address
    }

    public static func password(_ text: String, required: Bool) throws -> String? {
        if text.isEmpty, !required { return nil }
        guard text.count == 4, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ReservationRefusal.invalidField(field: "password", message: "パスワードは数字4桁で、ご自身で決めてください。")
        }
        return text
    }

    /// YYYY-MM-DD of a date as the staff form accepts it (`1990-04-01`, `19900401`, `1990/4/1`, `S60.4.12`,
    /// `昭和60年4月12日`, `03/11/1952`).
    public static func date(_ text: String) -> String? { DateEntry.date(text) }

    /// A date of birth as typed: a real date in the past, else a refusal that says it is not a date (which tells
    /// "not a date" apart from "does not match our records").
    public static func birthDate(_ text: String, today: String) throws -> String {
        guard let date = date(text), date <= today else {
            throw ReservationRefusal.invalidField(
                field: "birthDate", message: "生年月日を日付として読み取れません。例: 1985-04-12、昭和60年4月12日、S60.4.12")
        }
        return date
    }
}
