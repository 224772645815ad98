import Foundation

/// Dates as visitors read them.
public enum JapaneseDate {
    /// `12月10日（木）`.
    public static func text(_ date: String) -> String { text(date, in: .ja) }

    static let weekdaysByLanguage: [Language: [String]] = [
        .ja: ["日", "月", "火", "水", "木", "金", "土"], .en: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        .zhHans: ["日", "一", "二", "三", "四", "五", "六"], .ko: ["일", "월", "화", "수", "목", "금", "토"]
    ]
    static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `12月3日（木）`, `Thu 3 Dec`, `12月3日（周四）`, `12월 3일 (목)`.
    public static func text(_ date: String, in language: Language) -> String {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, CityCalendar.date(ofBusinessDay: date) != nil else { return date }
        let (month, day) = (parts[1], parts[2])
        let weekday = weekdaysByLanguage[language]![Self.weekday(date) - 1]
        switch language {
        case .ja: return "\(month)月\(day)日（\(weekday)）"
        case .en: return "\(weekday) \(day) \(englishMonths[month - 1])"
        case .zhHans: return "\(month)月\(day)日（周\(weekday)）"
        case .ko: return "\(month)월 \(day)일 (\(weekday))"
        }
    }

    /// 1 = Sunday … 7 = Saturday.
    public static func weekday(_ date: String) -> Int { JapaneseHolidays.weekday(date) }

    /// Every date of `YYYY-MM`; empty for text that is not a month.
    public static func days(ofMonth month: String) -> [String] {
        guard month.count == 7, let first = CityCalendar.date(ofBusinessDay: month + "-01"),
            let range = CityCalendar.gregorian.range(of: .day, in: .month, for: first)
        else { return [] }
        return range.map { String(format: "%@-%02d", month, $0) }
    }

    /// `2026-12` of `2026-12-10`, and the month after or before.
    public static func month(_ date: String) -> String { String(date.prefix(7)) }
    public static func month(_ month: String, adding count: Int) -> String {
        let parts = month.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2 else { return month }
        let index = parts[0] * 12 + (parts[1] - 1) + count
        return String(format: "%04d-%02d", index / 12, index % 12 + 1)
    }

    public static func adding(_ days: Int, to date: String) -> String { JapaneseHolidays.adding(days, to: date) }
}
