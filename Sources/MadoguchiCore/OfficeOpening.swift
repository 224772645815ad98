import Foundation

/// Whether an office takes visitors today, as its public page tells them before they set out.
public enum OfficeOpening: Sendable, Equatable {
    /// Open now, until this many minutes after midnight.
    case openUntil(Int)
    /// Opens later today, from this many minutes after midnight.
    case opensAt(Int)
    /// Open today earlier, closed now.
    case finished
    /// Closed all day: a holiday, the year-end closure, a closed day of the office, or a day without hours.
    case closedToday

    /// Today's opening of `office` at `now`: its own hours and closed days, the national holidays and the
    /// year-end closure (weekends count only through the hours, so an office with Saturday hours opens then).
    public static func of(_ office: Office, at now: Date, holidays: JapaneseHolidays = JapaneseHolidays()) -> OfficeOpening {
        let today = CityCalendar.businessDate(of: now)
        let calendar = BusinessCalendar(holidays: holidays, closedDays: Set(office.closedDays))
        if let reason = calendar.closure(of: today), reason != "土曜日", reason != "日曜日" { return .closedToday }
        let parts = CityCalendar.gregorian.dateComponents([.weekday, .hour, .minute], from: now)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let bands = office.hours.filter { $0.weekdays.contains(parts.weekday ?? 0) }.sorted { $0.from < $1.from }
        if bands.isEmpty { return .closedToday }
        if let open = bands.first(where: { $0.from <= minute && minute < $0.until }) { return .openUntil(open.until) }
        if let later = bands.first(where: { $0.from > minute }) { return .opensAt(later.from) }
        return .finished
    }

    /// The weekly hours grouped by equal times, in order of the week starting Monday: `[([2,3,4,5,6], 510, 1035)]`.
    public static func weekly(_ hours: [OpeningHours]) -> [(weekdays: [Int], from: Int, until: Int)] {
        let order = [2, 3, 4, 5, 6, 7, 1]
        var groups: [(weekdays: [Int], from: Int, until: Int)] = []
        for band in hours.sorted(by: {
            (order.firstIndex(of: $0.weekdays.first ?? 1) ?? 0, $0.from) < (order.firstIndex(of: $1.weekdays.first ?? 1) ?? 0, $1.from)
        }) {
            let days = order.filter(band.weekdays.contains)
            if let index = groups.firstIndex(where: { $0.from == band.from && $0.until == band.until }) {
                groups[index].weekdays = order.filter { groups[index].weekdays.contains($0) || days.contains($0) }
            } else {
                groups.append((days, band.from, band.until))
            }
        }
        return groups
    }
}
