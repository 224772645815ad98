import Foundation
import Synchronization

/// Japanese national holidays (国民の祝日に関する法律, as amended through 2018): fixed dates, Happy Mondays,
/// equinoxes by the 国立天文台 approximation (valid 1980–2099), 振替休日 and 国民の休日. Data-driven where the law
/// was patched by special acts: `overrides` adds or removes single dates (reference/domain.md §3).
public struct JapaneseHolidays: Sendable {
    /// Dates (YYYY-MM-DD) declared holidays by special laws, and dates that stopped being one.
    public var added: [String: String]
    public var removed: Set<String>

    public init(added: [String: String] = [:], removed: Set<String> = []) {
        self.added = added
        self.removed = removed
    }

    /// The standard years, computed once each: calendars ask for them for every day they look at.
    private static let standardYears = Mutex<[Int: [String: String]]>([:])

    /// The year's holidays by date, with their names.
    public func holidays(in year: Int) -> [String: String] {
        guard added.isEmpty, removed.isEmpty else { return computeHolidays(in: year) }
        if let known = Self.standardYears.withLock({ $0[year] }) { return known }
        let computed = computeHolidays(in: year)
        Self.standardYears.withLock { $0[year] = computed }
        return computed
    }

    private func computeHolidays(in year: Int) -> [String: String] {
        var days: [DateComponents: String] = [:]
        func day(_ month: Int, _ day: Int) -> DateComponents { DateComponents(year: year, month: month, day: day) }
        func nthMonday(_ month: Int, _ n: Int) -> DateComponents {
            let first = CityCalendar.gregorian.date(from: day(month, 1))!
            let weekday = CityCalendar.gregorian.component(.weekday, from: first)
            let offset = (9 - weekday) % 7  // days from the 1st to the first Monday
            return day(month, 1 + offset + (n - 1) * 7)
        }
        days[day(1, 1)] = "元日"
        days[nthMonday(1, 2)] = "成人の日"
        days[day(2, 11)] = "建国記念の日"
        if year >= 2020 { days[day(2, 23)] = "天皇誕生日" }
        days[day(3, Self.vernalEquinox(year))] = "春分の日"
        days[day(4, 29)] = "昭和の日"
        days[day(5, 3)] = "憲法記念日"
        days[day(5, 4)] = "みどりの日"
        days[day(5, 5)] = "こどもの日"
        days[nthMonday(7, 3)] = "海の日"
        days[day(8, 11)] = "山の日"
        days[nthMonday(9, 3)] = "敬老の日"
        days[day(9, Self.autumnalEquinox(year))] = "秋分の日"
        days[nthMonday(10, 2)] = "スポーツの日"
        days[day(11, 3)] = "文化の日"
        days[day(11, 23)] = "勤労感謝の日"
        var named: [String: String] = [:]
        for (components, name) in days { named[Self.text(components)] = name }
        for (date, name) in added where date.hasPrefix("\(year)-") { named[date] = name }
        for date in removed { named.removeValue(forKey: date) }
        // 振替休日: a holiday on a Sunday moves to the next day that is not itself a holiday.
        for date in named.keys.sorted() where Self.weekday(date) == 1 {
            var next = Self.adding(1, to: date)
            while named[next] != nil { next = Self.adding(1, to: next) }
            if next.hasPrefix("\(year)-") { named[next] = "振替休日" }
        }
        // 国民の休日: a day between two holidays.
        for date in named.keys.sorted() {
            let next = Self.adding(1, to: date), after = Self.adding(2, to: date)
            if named[next] == nil, named[after] != nil { named[next] = "国民の休日" }
        }
        return named
    }

    static func vernalEquinox(_ year: Int) -> Int { Int(20.8431 + 0.242194 * Double(year - 1980)) - (year - 1980) / 4 }
    static func autumnalEquinox(_ year: Int) -> Int { Int(23.2488 + 0.242194 * Double(year - 1980)) - (year - 1980) / 4 }

    static func text(_ c: DateComponents) -> String { String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!) }
    static func weekday(_ date: String) -> Int { CityCalendar.gregorian.component(.weekday, from: CityCalendar.date(ofBusinessDay: date)!) }
    /// The business date `days` after `date` (YYYY-MM-DD; negative goes back).
    public static func adding(_ days: Int, to date: String) -> String {
        let start = CityCalendar.date(ofBusinessDay: date)!
        return CityCalendar.businessDate(of: CityCalendar.gregorian.date(byAdding: .day, value: days, to: start)!.addingTimeInterval(3600))
    }
}

/// The city's counter business days (地方自治法 第4条の2): not Saturday or Sunday, not a national holiday, not in the
/// year-end closure (by 条例, usually 12/29–1/3), not a day the city closed; a day the city opens specially is a
/// business day whatever else it is.
public struct BusinessCalendar: Sendable {
    public var holidays: JapaneseHolidays
    /// The year-end closure as (month, day) from and until, inclusive, across the new year.
    public var yearEndFrom: (month: Int, day: Int)
    public var yearEndUntil: (month: Int, day: Int)
    public var closedDays: Set<String>
    public var openDays: Set<String>

    public init(
        holidays: JapaneseHolidays = JapaneseHolidays(), yearEndFrom: (month: Int, day: Int) = (12, 29),
        yearEndUntil: (month: Int, day: Int) = (1, 3), closedDays: Set<String> = [], openDays: Set<String> = []
    ) {
        self.holidays = holidays
        self.yearEndFrom = yearEndFrom
        self.yearEndUntil = yearEndUntil
        self.closedDays = closedDays
        self.openDays = openDays
    }

    /// Why the counters are closed on a date (YYYY-MM-DD), or nil on a business day.
    public func closure(of date: String) -> String? {
        guard let instant = CityCalendar.date(ofBusinessDay: date) else { return "日付が正しくありません" }
        if openDays.contains(date) { return nil }
        if closedDays.contains(date) { return "休業日" }
        let parts = CityCalendar.gregorian.dateComponents([.year, .month, .day, .weekday], from: instant)
        let monthDay = (parts.month! * 100) + parts.day!
        let from = yearEndFrom.month * 100 + yearEndFrom.day, until = yearEndUntil.month * 100 + yearEndUntil.day
        if monthDay >= from || monthDay <= until { return "年末年始" }
        if let name = holidays.holidays(in: parts.year!)[date] { return name }
        if parts.weekday == 1 { return "日曜日" }
        if parts.weekday == 7 { return "土曜日" }
        return nil
    }

    public func isBusinessDay(_ date: String) -> Bool { closure(of: date) == nil }

    /// The business day `count` business days before `date` (count ≥ 1).
    public func businessDay(_ count: Int, before date: String) -> String {
        var current = date, left = count
        while left > 0 {
            current = JapaneseHolidays.adding(-1, to: current)
            if isBusinessDay(current) { left -= 1 }
        }
        return current
    }
}
