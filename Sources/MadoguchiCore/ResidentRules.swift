import Foundation

/// Checks of the numbers on a resident's documents (書かない窓口, K3), pure and offline (reference/domain.md §1, §2, §8).
public enum ResidentNumbers {
    /// The modulus-11 check digit of 総務省令第85号 第5条: weights 2…7, 2…6 from the rightmost digit of the body;
    /// 0 when the remainder is 0 or 1. Nil for a body that is not all ASCII digits.
    public static func mod11CheckDigit(_ body: String) -> Int? {
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var sum = 0
        for (index, character) in body.reversed().enumerated() {
            let n = index + 1
            sum += (character.wholeNumberValue ?? 0) * (n <= 6 ? n + 1 : n - 5)
        }
        let remainder = sum % 11
        return remainder <= 1 ? 0 : 11 - remainder
    }

    /// Digits of what was typed: spaces and hyphens dropped, full-width digits made half-width.
    public static func digits(_ text: String) -> String {
        halfWidth(text).filter { !" -‐－　".contains($0) }
    }

    /// Full-width digits and capital letters made half-width, nothing else changed.
    public static func halfWidth(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0xFF10...0xFF19: Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!
                    case 0xFF21...0xFF3A: Unicode.Scalar(scalar.value - 0xFF21 + 0x41)!
                    case 0xFF0E: "."
                    default: scalar
                    }
                }))
    }

    /// 個人番号: 12 digits whose last is the check digit of the first 11 (a leading 0 is legal). Rejected when wrong.
    public static func isValidMyNumber(_ text: String) -> Bool {
        let number = digits(text)
        guard number.count == 12, let last = number.last?.wholeNumberValue else { return false }
        return mod11CheckDigit(String(number.prefix(11))) == last
    }

    /// 住民票コード: 11 digits; the check uses the same scheme on the 10-digit body. The formula is inferred (the
    /// 告示 could not be read), so a mismatch is a warning for the clerk, never a refusal.
    public static func residentRecordCodeLooksValid(_ text: String) -> Bool {
        let number = digits(text)
        guard number.count == 11, let last = number.last?.wholeNumberValue else { return false }
        return mod11CheckDigit(String(number.prefix(10))) == last
    }

    /// 在留カード番号 (also 特別永住者証明書): 2 capital letters, 8 digits, 2 capital letters. There is no public
    /// check digit; validity itself can only be checked online.
    public static func isWellFormedResidenceCardNumber(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 12 else { return false }
        func letter(_ s: Unicode.Scalar) -> Bool { ("A"..."Z").contains(s) }
        func digit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        return scalars.prefix(2).allSatisfy(letter) && scalars[2..<10].allSatisfy(digit) && scalars.suffix(2).allSatisfy(letter)
    }
}

/// A Japanese era (元号) with its first day, from 明治6年 (1873-01-01, when Japan took the Gregorian calendar; earlier
/// 和暦 dates are lunisolar and cannot be converted by arithmetic) to 令和 (reference/domain.md §4.1).
public enum JapaneseEra: String, CaseIterable, Sendable, Codable {
    case meiji, taisho, showa, heisei, reiwa

    public var name: String {
        switch self {
        case .meiji: "明治"
        case .taisho: "大正"
        case .showa: "昭和"
        case .heisei: "平成"
        case .reiwa: "令和"
        }
    }

    /// JIS X 0301 letter.
    public var letter: String {
        switch self {
        case .meiji: "M"
        case .taisho: "T"
        case .showa: "S"
        case .heisei: "H"
        case .reiwa: "R"
        }
    }

    /// The first day of 元年 (YYYY-MM-DD); 明治 as CLDR has it, though dates before 1873 are refused.
    public var firstDay: String {
        switch self {
        case .meiji: "1868-10-23"
        case .taisho: "1912-07-30"
        case .showa: "1926-12-25"
        case .heisei: "1989-01-08"
        case .reiwa: "2019-05-01"
        }
    }

    var firstYear: Int { Int(firstDay.prefix(4))! }

    /// The earliest date converted at all.
    public static let earliestDate = "1873-01-01"

    public static func named(_ text: String) -> JapaneseEra? {
        allCases.first { $0.name == text || $0.letter == text.uppercased() || $0.rawValue == text.lowercased() }
    }
}

/// A date in 和暦: era, year of the era (1 is written 元年), month and day.
public struct WarekiDate: Sendable, Equatable {
    public let era: JapaneseEra
    public let year: Int
    public let month: Int
    public let day: Int

    /// The date of a Gregorian `YYYY-MM-DD`, in the era it falls in; nil before 1873 or for impossible dates.
    public init?(gregorian date: String) {
        guard CityCalendar.date(ofBusinessDay: date) != nil, date >= JapaneseEra.earliestDate else { return nil }
        guard let era = JapaneseEra.allCases.last(where: { $0.firstDay <= date }) else { return nil }
        let parts = date.split(separator: "-").compactMap { Int($0) }
        self.era = era
        year = parts[0] - era.firstYear + 1
        month = parts[1]
        day = parts[2]
    }

    /// A 和暦 date; nil when it does not exist, also across era boundaries (昭和64年1月8日 is 平成元年1月8日, so it
    /// is refused, as is 平成31年5月1日).
    public init?(era: JapaneseEra, year: Int, month: Int, day: Int) {
        guard year >= 1 else { return nil }
        let text = String(format: "%04d-%02d-%02d", era.firstYear + year - 1, month, day)
        guard let exact = WarekiDate(gregorian: text), exact.era == era else { return nil }
        self = exact
    }

    /// `令和元年5月1日`, `R1.5.1`, `H31.4.30`, `昭和64年1月7日`, `平成 元年 1月 8日`; nil for text that is not a date.
    public init?(parsing text: String) {
        let compact = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "　", with: "")
            .replacingOccurrences(of: "元年", with: "1年")
        let half = ResidentNumbers.halfWidth(compact)
        var rest = Substring(half)
        guard let era = JapaneseEra.allCases.first(where: { rest.hasPrefix($0.name) || rest.uppercased().hasPrefix($0.letter) }) else { return nil }
        rest = rest.dropFirst(rest.hasPrefix(era.name) ? era.name.count : 1)
        let numbers = rest.split(whereSeparator: { "年月日.・/-".contains($0) }).map { Int($0) }
        guard numbers.count == 3, let year = numbers[0], let month = numbers[1], let day = numbers[2] else { return nil }
        self.init(era: era, year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`.
    public var gregorian: String { String(format: "%04d-%02d-%02d", era.firstYear + year - 1, month, day) }

    /// `令和元年5月1日` (元年 for the first year, as official documents write it).
    public var text: String { "\(era.name)\(year == 1 ? "元" : String(year))年\(month)月\(day)日" }

    /// `R1.5.1` (JIS X 0301 style).
    public var short: String { "\(era.letter)\(year).\(month).\(day)" }
}

/// Age by the law (年齢計算ニ関スル法律 and 民法143条): a person reaches age N at the end of the day before the N-th
/// birthday, and someone born on 29 February has their year end on 28 February in common years
/// (reference/domain.md §4.2). Computed on integer dates: Foundation's component difference is a day off for 29 February.
public enum LegalAge {
    /// The age on `date` (both YYYY-MM-DD); nil for impossible dates or a date before the birth.
    public static func age(birth: String, on date: String) -> Int? {
        guard CityCalendar.date(ofBusinessDay: birth) != nil, CityCalendar.date(ofBusinessDay: date) != nil, date >= birth else { return nil }
        // The legal age on D is the ordinary age on D + 1, with a 29 February birthday falling on 1 March in
        // common years.
        let next = JapaneseHolidays.adding(1, to: date).split(separator: "-").compactMap { Int($0) }
        let born = birth.split(separator: "-").compactMap { Int($0) }
        var (birthMonth, birthDay) = (born[1], born[2])
        if birthMonth == 2, birthDay == 29, !isLeap(next[0]) { (birthMonth, birthDay) = (3, 1) }
        var age = next[0] - born[0]
        if (next[1], next[2]) < (birthMonth, birthDay) { age -= 1 }
        return max(age, 0)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }
}

/// 在留期間 as the resident-records interface codes it: 7 digits `YYMMDDD` (years, months, days), shown as the card
/// writes it — `0500000` → 「5年」, `0403000` → 「4年3月」, `0000090` → 「90日」 (reference/domain.md §8.1, inferred).
public enum ResidencePeriod {
    public enum Decoded: Sendable, Equatable {
        case period(years: Int, months: Int, days: Int)
        /// All zeros: no period recorded (特別永住者 has none).
        case notApplicable
        case indefinite
    }

    /// The code `9999999` is taken for 無期限; the source system's own marker is not documented.
    public static func decode(_ code: String) -> Decoded? {
        guard code.count == 7, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if code == "9999999" { return .indefinite }
        let years = Int(code.prefix(2))!, months = Int(code.dropFirst(2).prefix(2))!, days = Int(code.suffix(3))!
        guard months < 12 else { return nil }
        return years == 0 && months == 0 && days == 0 ? .notApplicable : .period(years: years, months: months, days: days)
    }

    /// The period in words, or nil for a code that is not one.
    public static func text(_ code: String) -> String? {
        switch decode(code) {
        case .period(let years, let months, let days):
            return (years > 0 ? "\(years)年" : "") + (months > 0 ? "\(months)月" : "") + (days > 0 ? "\(days)日" : "")
        case .indefinite: return "無期限"
        case .notApplicable: return "なし"
        case nil: return nil
        }
    }
}

/// Dates as a clerk types them on the form: `1985-04-12`, `19850412`, `1985/4/12`, `S60.4.12`, `S600412`,
/// `昭和60年4月12日`, `令和元年5月1日`. Gives `YYYY-MM-DD`, or the text unchanged when it is none of these (the case's
/// checks then name the fault).
public enum DateEntry {
    public static func normalized(_ text: String) -> String {
        // Full-width and minus-sign dashes as IMEs type them.
        let trimmed = ResidentNumbers.halfWidth(text.trimmingCharacters(in: .whitespaces))
            .replacingOccurrences(of: "－", with: "-").replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: "／", with: "/")
        if trimmed.isEmpty { return "" }
        if let wareki = WarekiDate(parsing: trimmed) { return wareki.gregorian }
        // Era letter and six digits: S600412.
        if let letter = trimmed.first, letter.isLetter, trimmed.count == 7, trimmed.dropFirst().allSatisfy(\.isNumber),
            let era = JapaneseEra.allCases.first(where: { $0.letter == String(letter).uppercased() })
        {
            let digits = trimmed.dropFirst().compactMap { Int(String($0)) }
            if let date = WarekiDate(era: era, year: digits[0] * 10 + digits[1], month: digits[2] * 10 + digits[3], day: digits[4] * 10 + digits[5]) {
                return date.gregorian
            }
        }
        if trimmed.count == 8, trimmed.allSatisfy(\.isNumber) {
            let candidate = "\(trimmed.prefix(4))-\(trimmed.dropFirst(4).prefix(2))-\(trimmed.suffix(2))"
            return CityCalendar.date(ofBusinessDay: candidate) != nil ? candidate : trimmed
        }
        let parts = trimmed.split(whereSeparator: { "/-.年月日".contains($0) }).map { Int($0) }
        if parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2], year >= 1000 {
            let candidate = String(format: "%04d-%02d-%02d", year, month, day)
            if CityCalendar.date(ofBusinessDay: candidate) != nil { return candidate }
        }
        // Day, month, year as on many foreign documents: 03/11/1952 (Japanese never puts the year last).
        if parts.count == 3, let day = parts[0], let month = parts[1], let year = parts[2], year >= 1000, day <= 31 {
            let candidate = String(format: "%04d-%02d-%02d", year, month, day)
            if CityCalendar.date(ofBusinessDay: candidate) != nil { return candidate }
        }
        return trimmed
    }

    /// `YYYY-MM-DD` of any of the forms above, or nil when the text is no real date (1985-13-45, 昭和65年1月1日).
    public static func date(_ text: String) -> String? {
        let normalized = normalized(text)
        return normalized.count == 10 && CityCalendar.date(ofBusinessDay: normalized) != nil ? normalized : nil
    }
}
