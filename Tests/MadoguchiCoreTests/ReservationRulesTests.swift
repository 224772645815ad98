import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Reservation rules: slots, booking window, office of an ID, marks, ID import (R1, R2, R4)")
struct ReservationRulesTests {
    let layout = TestLayouts.cityWithReservations
    var rules: ReservationRules { ReservationRules(layout: layout) }
    var card: ReservationProcedure { layout.reservations.procedure("card")! }

    /// Noon in Tokyo on a date.
    func noon(_ date: String) -> Date { CityCalendar.date(ofBusinessDay: date)!.addingTimeInterval(12 * 3600) }
    func start(_ text: String) -> SlotTime { SlotTime(parsing: text)! }
    func open(_ slot: String, on day: String) -> Bool {
        rules.windowRefusal(card, officeID: "main", start: start(slot), now: noon(day)) == nil
    }

    @Test("weekday slots close 3 business days before, skipping 勤労感謝の日 (2026-11-23)")
    func weekdayClosing() {
        // Thursday 26 November: Wed 25, Tue 24, (Mon 23 holiday, weekend) Fri 20.
        #expect(open("2026-11-26T09:00", on: "2026-11-20"))
        #expect(!open("2026-11-26T09:00", on: "2026-11-21"))
        #expect(!open("2026-11-26T09:00", on: "2026-11-24"))
        // Friday 7 May 2027, after Golden Week: Thu 6, (3–5 May holidays, weekend) Fri 30 Apr, (29 Apr 昭和の日) Wed 28 Apr.
        #expect(open("2027-05-07T09:00", on: "2027-04-28"))
        #expect(!open("2027-05-07T09:00", on: "2027-04-30"))
    }

    @Test("Saturday slots close 5 business days before")
    func saturdayClosing() {
        // Saturday 28 November 2026: Fri 27, Thu 26, Wed 25, Tue 24, (Mon 23 holiday) Fri 20.
        #expect(open("2026-11-28T09:00", on: "2026-11-20"))
        #expect(!open("2026-11-28T09:00", on: "2026-11-21"))
        // A weekday slot on the same day of the week before would still be open on the 24th.
        #expect(open("2026-12-03T09:00", on: "2026-11-24"))
    }

    @Test("the year-end closure (12/29–1/3) is not counted as business days")
    func yearEnd() {
        // Tuesday 5 January 2027: Mon 4 Jan, (29 Dec – 3 Jan closed) Mon 28 Dec, Fri 25 Dec.
        #expect(open("2027-01-05T09:00", on: "2026-12-25"))
        #expect(!open("2027-01-05T09:00", on: "2026-12-28"))
        #expect(rules.slots(card, officeID: "main", date: "2026-12-29").isEmpty)
        #expect(rules.slots(card, officeID: "main", date: "2027-01-04").count == 6)
    }

    @Test("booking opens 45 days ahead, configurable")
    func opening() {
        #expect(!open("2027-01-05T09:00", on: "2026-11-20"))  // 46 days ahead
        #expect(open("2027-01-05T09:00", on: "2026-11-21"))  // 45 days ahead
        var shorter = card
        shorter.openDaysAhead = 30
        #expect(rules.windowRefusal(shorter, officeID: "main", start: start("2027-01-05T09:00"), now: noon("2026-11-21")) != nil)
        #expect(rules.windowRefusal(shorter, officeID: "main", start: start("2027-01-05T09:00"), now: noon("2026-12-06")) == nil)
    }

    @Test("no slots on holidays or Sundays; Saturdays only where a band names them; an override opens or closes a day")
    func slots() {
        #expect(rules.slots(card, officeID: "main", date: "2026-11-23").isEmpty)  // 勤労感謝の日
        #expect(rules.slots(card, officeID: "main", date: "2026-11-29").isEmpty)  // Sunday
        #expect(rules.slots(card, officeID: "main", date: "2026-11-28").map(\.start.clockText) == ["09:00", "09:30", "10:00", "10:30"])
        #expect(rules.slots(card, officeID: "other", date: "2026-11-28").isEmpty)
        let weekday = rules.slots(card, officeID: "main", date: "2026-11-24")
        #expect(weekday.count == 6 && weekday.allSatisfy { $0.capacity == 8 && $0.minutes == 30 })
        var special = card
        special.overrides = [
            SlotOverride(
                officeID: "main", date: "2026-11-23",
                bands: [
                    SlotTemplate(officeID: "main", weekdays: [], from: 600, until: 660, slotMinutes: 20, capacity: 9)
                ]),
            SlotOverride(officeID: "main", date: "2026-11-24", bands: [])
        ]
        #expect(rules.slots(special, officeID: "main", date: "2026-11-23").map(\.start.clockText) == ["10:00", "10:20", "10:40"])
        #expect(rules.slots(special, officeID: "main", date: "2026-11-24").isEmpty)
    }

    @Test("an ID books only at its office, except Saturdays at the Saturday office")
    func officeOfID() {
        let settings = layout.reservations
        let other = ImportedReservationID(id: "ABCD1234", officeCode: "0002")
        #expect(rules.officeRefusal(card, id: other, officeID: "other", settings: settings, date: "2026-12-01") == nil)
        #expect(rules.officeRefusal(card, id: other, officeID: "main", settings: settings, date: "2026-12-01") == .wrongOffice)
        #expect(rules.officeRefusal(card, id: other, officeID: "main", settings: settings, date: "2026-12-05") == nil)  // Saturday
    }

    @Test("marks: ○ with two or more left, △ with one, × when full, past or outside the window; days likewise")
    func marks() {
        let now = noon("2026-11-24")
        let slots = rules.slotMarks(
            card, officeID: "main", date: "2026-12-01",
            booked: ["2026-12-01T09:00": 6, "2026-12-01T09:30": 7, "2026-12-01T10:00": 8], now: now)
        #expect(slots.map(\.mark) == [.free, .few, .full, .free, .free, .free])
        let full = Dictionary(uniqueKeysWithValues: rules.slots(card, officeID: "main", date: "2026-12-02").map { ($0.start.description, 8) })
        var booked = full
        booked["2026-12-03T11:30"] = 7
        for slot in rules.slots(card, officeID: "main", date: "2026-12-03") where slot.start.clockText != "11:30" { booked[slot.start.description] = 8 }
        let days = Dictionary(
            uniqueKeysWithValues: rules.dayMarks(card, officeID: "main", month: "2026-12", booked: booked, now: now).map { ($0.date, $0.mark) })
        #expect(days.count == 31)
        #expect(days["2026-12-01"] == .free && days["2026-12-02"] == .full && days["2026-12-03"] == .few)
        #expect(days["2026-12-06"] == .full)  // Sunday
        #expect(days["2026-11-25"] == nil)
        // a day already past reads as closed
        #expect(rules.dayMarks(card, officeID: "main", month: "2026-11", booked: [:], now: now).first { $0.date == "2026-11-25" }?.mark == .full)
    }

    @Test("the ID file: header, BOM, both date forms; every fault with its line and column; nothing on a fault")
    func importFile() throws {
        let good = "\u{FEFF}予約番号,窓口コード,生年月日\r\nabcd1234,0001,1980-04-01\r\nWXYZ9876,0002,19521103\r\nQQQQ0000,0001\r\n"
        let ids = try ReservationIDImport.parse(good, knownOfficeCodes: ["0001", "0002"]).get()
        #expect(
            ids == [
                ImportedReservationID(id: "ABCD1234", officeCode: "0001", birthDate: "1980-04-01"),
                ImportedReservationID(id: "WXYZ9876", officeCode: "0002", birthDate: "1952-11-03"),
                ImportedReservationID(id: "QQQQ0000", officeCode: "0001")
            ])
        let bad = "予約番号,窓口コード\nABCD1234,0001\nABC,0001\nABCD1234,0009\nEFGH5678,12a4,1999-02-30\nIJKL9012\n"
        guard case .failure(let rejected) = ReservationIDImport.parse(bad, knownOfficeCodes: ["0001"]) else {
            Issue.record("a faulty file was accepted")
            return
        }
        #expect(rejected.faults.map { "\($0.line):\($0.column)" } == ["3:1", "4:1", "4:2", "5:2", "5:3", "6:1"])
        #expect(rejected.faults[1].message.contains("2行目と重複"))
        #expect(rejected.faults[3].message.contains("12a4"))
    }

    @Test("slot times parse as the API writes them and refuse other offsets")
    func slotTimes() {
        #expect(SlotTime(parsing: "2026-12-01T09:30")?.description == "2026-12-01T09:30")
        #expect(SlotTime(parsing: "2026-12-01T09:30:00+09:00")?.isoText == "2026-12-01T09:30:00+09:00")
        #expect(SlotTime(parsing: "2026-12-01T09:30:00Z") == nil)
        #expect(SlotTime(parsing: "2026-02-30T09:30") == nil)
        #expect(SlotTime(parsing: "2026-12-01T25:00") == nil)
    }

    @Test("settings faults name the procedure")
    func validation() {
        var settings = layout.reservations
        settings.procedures[0].templates[0].slotMinutes = 7
        settings.procedures[0].serviceIDs["main"] = "x"
        settings.officeCodes.append(ReservationOfficeCode(code: "12", officeID: "nowhere"))
        let faults = settings.validate(in: layout)
        #expect(faults.contains { $0.hasPrefix("reservation 'card'") && $0.contains("枠の長さ") })
        #expect(faults.contains { $0.hasPrefix("reservation 'card'") && $0.contains("'x'") })
        #expect(faults.contains { $0.contains("「12」") } && faults.contains { $0.contains("'nowhere'") })
    }
}
