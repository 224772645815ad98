import Foundation
import Testing
@testable import MadoguchiCore

@Suite("An office's opening today, as its public page tells visitors (issue 15, item 12)")
struct OfficeOpeningTests {
    /// 2026-12-04 is a Friday; 2026-11-23 is Labour Thanksgiving Day; 2026-12-05 a Saturday.
    static func at(_ date: String, _ hour: Int, _ minute: Int = 0) -> Date {
        CityCalendar.date(ofBusinessDay: date)!.addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    @Test("before, during and after the hours; holidays, closed days and days without hours are closed all day")
    func today() {
        let office = Office(
            id: "o", name: "本庁舎", hours: OpeningHours.weekdays + [OpeningHours(weekdays: [7], from: 9 * 60, until: 12 * 60)],
            closedDays: ["2026-12-07"])
        #expect(OfficeOpening.of(office, at: Self.at("2026-12-04", 8)) == .opensAt(8 * 60 + 30))
        #expect(OfficeOpening.of(office, at: Self.at("2026-12-04", 10)) == .openUntil(17 * 60 + 15))
        #expect(OfficeOpening.of(office, at: Self.at("2026-12-04", 17, 15)) == .finished)
        #expect(OfficeOpening.of(office, at: Self.at("2026-12-05", 10)) == .openUntil(12 * 60))  // Saturday hours
        #expect(OfficeOpening.of(office, at: Self.at("2026-12-06", 10)) == .closedToday)  // Sunday
        #expect(OfficeOpening.of(office, at: Self.at("2026-11-23", 10)) == .closedToday)  // national holiday
        #expect(OfficeOpening.of(office, at: Self.at("2026-12-07", 10)) == .closedToday)  // the office's own closed day
        #expect(OfficeOpening.of(office, at: Self.at("2026-12-30", 10)) == .closedToday)  // year-end closure
    }

    @Test("weekly hours group the days with equal times, Monday first")
    func weekly() {
        let hours = [OpeningHours(weekdays: [7], from: 540, until: 720), OpeningHours(weekdays: [2, 3, 4, 5, 6], from: 510, until: 1035)]
        let groups = OfficeOpening.weekly(hours)
        #expect(groups.map(\.weekdays) == [[2, 3, 4, 5, 6], [7]] && groups.map(\.from) == [510, 540])
    }
}
