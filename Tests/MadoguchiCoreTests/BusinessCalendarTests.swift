import Foundation
import MadoguchiCore
import Testing

@Suite("Japanese holidays and business days (reference/domain.md §3)")
struct BusinessCalendarTests {
    static let holidays2026 = [
        "2026-01-01", "2026-01-12", "2026-02-11", "2026-02-23", "2026-03-20", "2026-04-29", "2026-05-03", "2026-05-04",
        "2026-05-05", "2026-05-06", "2026-07-20", "2026-08-11", "2026-09-21", "2026-09-22", "2026-09-23", "2026-10-12",
        "2026-11-03", "2026-11-23"
    ]
    static let holidays2027 = [
        "2027-01-01", "2027-01-11", "2027-02-11", "2027-02-23", "2027-03-21", "2027-03-22", "2027-04-29", "2027-05-03",
        "2027-05-04", "2027-05-05", "2027-07-19", "2027-08-11", "2027-09-20", "2027-09-23", "2027-10-11", "2027-11-03",
        "2027-11-23"
    ]

    @Test("2026 and 2027 match the official lists, with 振替休日 and 国民の休日")
    func lists() {
        let holidays = JapaneseHolidays()
        #expect(holidays.holidays(in: 2026).keys.sorted() == Self.holidays2026)
        #expect(holidays.holidays(in: 2027).keys.sorted() == Self.holidays2027)
        #expect(holidays.holidays(in: 2026)["2026-05-06"] == "振替休日" && holidays.holidays(in: 2026)["2026-09-22"] == "国民の休日")
        #expect(holidays.holidays(in: 2027)["2027-03-22"] == "振替休日")
    }

    @Test("every other 振替休日 of 2024–2035 and the equinoxes of the table")
    func substitutes() {
        let holidays = JapaneseHolidays()
        let substitutes = [
            "2024-02-12", "2024-05-06", "2024-08-12", "2024-09-23", "2024-11-04", "2025-02-24", "2025-05-06", "2025-11-24",
            "2029-02-12", "2029-04-30", "2029-09-24", "2030-05-06", "2030-08-12", "2030-11-04", "2031-02-24", "2031-05-06",
            "2031-11-24", "2033-03-21", "2034-01-02", "2035-02-12", "2035-04-30", "2035-09-24"
        ]
        for date in substitutes {
            #expect(holidays.holidays(in: Int(date.prefix(4))!)[date] == "振替休日", "\(date)")
        }
        let vernal = [20, 20, 20, 21, 20, 20, 20, 21, 20, 20, 20, 21], autumnal = [22, 23, 23, 23, 22, 23, 23, 23, 22, 23, 23, 23]
        for (index, year) in (2024...2035).enumerated() {
            let days = holidays.holidays(in: year)
            #expect(days[String(format: "%04d-03-%02d", year, vernal[index])] == "春分の日", "\(year)")
            #expect(days[String(format: "%04d-09-%02d", year, autumnal[index])] == "秋分の日", "\(year)")
        }
        #expect(holidays.holidays(in: 2032)["2032-09-21"] == "国民の休日")
        let total = (2024...2035).reduce(0) { $0 + holidays.holidays(in: $1).count }
        #expect(total == 218)
    }

    @Test("business days skip weekends, holidays, the year-end closure and the city's own days")
    func businessDays() {
        var calendar = BusinessCalendar(closedDays: ["2026-11-27"], openDays: ["2026-11-29"])
        #expect(calendar.isBusinessDay("2026-11-24") && !calendar.isBusinessDay("2026-11-23") && !calendar.isBusinessDay("2026-11-28"))
        #expect(calendar.closure(of: "2026-12-29") == "年末年始" && calendar.closure(of: "2027-01-03") == "年末年始" && calendar.isBusinessDay("2027-01-04"))
        #expect(calendar.closure(of: "2026-11-27") == "休業日" && calendar.isBusinessDay("2026-11-29"))
        #expect(calendar.businessDay(3, before: "2026-05-08") == "2026-04-30")  // 5/7, 5/1, 4/30 around the Golden Week
        calendar.yearEndFrom = (12, 30)
        calendar.yearEndUntil = (1, 4)
        #expect(calendar.isBusinessDay("2026-12-29") && !calendar.isBusinessDay("2027-01-04"))
        #expect(calendar.closure(of: "2026-02-30") != nil)
    }
}
