import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Ticket states, waiting lines and wait estimates")
struct RulesTests {
    func ticket(
        _ id: String, queuedAt: TimeInterval, priority: Bool = false, state: TicketState = .waiting, stage: String = "s", assigned: String? = nil,
        sequence: Int = 0
    ) -> Ticket {
        Ticket(
            id: id, token: "t" + id, officeID: "o", serviceID: "v", businessDate: "2026-11-24", number: sequence, displayNumber: id,
            priority: priority, state: state, stageID: stage, counterID: nil, assignedCounterID: assigned, sequence: sequence,
            issuedAt: Date(timeIntervalSince1970: queuedAt), queuedAt: Date(timeIntervalSince1970: queuedAt), calledAt: nil, version: 1)
    }

    @Test("only waiting, held and absent tickets can be called; calling clears absence")
    func calling() throws {
        let now = Date()
        for state in [TicketState.waiting, .held, .absent] {
            let called = try ticket("1", queuedAt: 0, state: state).called(by: "c1", at: now)
            #expect(called.state == .called && called.counterID == "c1" && called.calledAt == now)
        }
        for state in [TicketState.called, .done, .cancelled] {
            #expect(throws: DomainError.self) { try ticket("1", queuedAt: 0, state: state).called(by: "c1", at: now) }
        }
    }

    @Test("hold, absent, finish and transfer need a ticket being served")
    func servedOnly() {
        let waiting = ticket("1", queuedAt: 0)
        #expect(throws: DomainError.ticketNotCalled(displayNumber: "1", state: .waiting)) { try waiting.held() }
        #expect(throws: DomainError.self) { try waiting.markedAbsent() }
        #expect(throws: DomainError.self) { try waiting.finished(nextStage: nil, at: Date()) }
        #expect(throws: DomainError.self) { try waiting.transferred(toStage: "x", assignedCounter: nil) }
        #expect(throws: DomainError.self) { try ticket("1", queuedAt: 0, state: .done).cancelled() }
    }

    @Test("finishing keeps number and identity, moves to the next stage with a new arrival time, or ends")
    func finishing() throws {
        let called = try ticket("1", queuedAt: 0).called(by: "c1", at: Date(timeIntervalSince1970: 50))
        let moved = try called.finished(nextStage: Stage(id: "next", name: "審査"), at: Date(timeIntervalSince1970: 100))
        #expect(moved.id == called.id && moved.number == called.number && moved.token == called.token)
        #expect(moved.state == .waiting && moved.stageID == "next" && moved.queuedAt == Date(timeIntervalSince1970: 100) && moved.counterID == nil)
        #expect(try called.finished(nextStage: nil, at: Date()).state == .done)
    }

    @Test("a transfer keeps the ticket's place: its arrival time is unchanged")
    func transferKeepsPlace() throws {
        let called = try ticket("1", queuedAt: 10).called(by: "c1", at: Date(timeIntervalSince1970: 50))
        let moved = try called.transferred(toStage: "other", assignedCounter: "c9")
        #expect(moved.queuedAt == Date(timeIntervalSince1970: 10) && moved.stageID == "other" && moved.assignedCounterID == "c9")
    }

    @Test("lines: priority first, then arrival, then issue order; other stages and other counters' lines do not count")
    func peopleAhead() {
        let tickets = [
            ticket("early", queuedAt: 10, sequence: 1),
            ticket("late", queuedAt: 30, sequence: 3),
            ticket("booked", queuedAt: 40, priority: true, sequence: 4),
            ticket("tie", queuedAt: 10, sequence: 2),
            ticket("elsewhere", queuedAt: 0, stage: "other", sequence: 5),
            ticket("reserved", queuedAt: 0, assigned: "c2", sequence: 6),
            ticket("held", queuedAt: 0, state: .held, sequence: 7)
        ]
        func ahead(_ id: String) -> Int? { WaitingLine.peopleAhead(of: tickets.first { $0.id == id }!, among: tickets) }
        #expect(ahead("booked") == 0)
        #expect(ahead("early") == 1)
        #expect(ahead("tie") == 2)
        #expect(ahead("late") == 3)
        #expect(ahead("elsewhere") == 0)
        #expect(ahead("reserved") == 0)
        #expect(ahead("held") == nil)
    }

    @Test("a counter calls its own line first, then the oldest of all its stages")
    func callOrder() {
        let counter = Counter(id: "c1", officeID: "o", name: "1", stageIDs: ["s", "t"])
        let own = ticket("own", queuedAt: 99, assigned: "c1", sequence: 9)
        let foreign = ticket("foreign", queuedAt: 0, assigned: "c2", sequence: 1)
        let oldT = ticket("oldT", queuedAt: 5, stage: "t", sequence: 2)
        let newS = ticket("newS", queuedAt: 6, stage: "s", sequence: 3)
        #expect(WaitingLine.next(for: counter, among: [newS, oldT, foreign, own])?.id == "own")
        #expect(WaitingLine.next(for: counter, among: [newS, oldT, foreign])?.id == "oldT")
        #expect(WaitingLine.next(for: counter, among: [foreign]) == nil)
    }

    @Test("estimated wait: ⌈ahead × mean service time ÷ counters⌉ minutes, nil without data or counters")
    func estimate() {
        #expect(WaitEstimate.minutes(peopleAhead: 6, serviceSeconds: [240, 360], openCounters: 2, configuredCounters: 4) == 15)
        #expect(WaitEstimate.minutes(peopleAhead: 6, serviceSeconds: [300], openCounters: 0, configuredCounters: 3) == 10)
        #expect(WaitEstimate.minutes(peopleAhead: 1, serviceSeconds: [61], openCounters: 1, configuredCounters: 1) == 2)
        #expect(WaitEstimate.minutes(peopleAhead: 0, serviceSeconds: [300], openCounters: 1, configuredCounters: 1) == 0)
        #expect(WaitEstimate.minutes(peopleAhead: 3, serviceSeconds: [], openCounters: 1, configuredCounters: 1) == nil)
        #expect(WaitEstimate.minutes(peopleAhead: 3, serviceSeconds: [60], openCounters: 0, configuredCounters: 0) == nil)
    }

    @Test("business dates are Tokyo dates whatever the server's zone")
    func businessDate() {
        // 2026-11-23 15:30 UTC is 2026-11-24 00:30 in Tokyo.
        #expect(CityCalendar.businessDate(of: Date(timeIntervalSince1970: 1_795_447_800)) == "2026-11-24")
        #expect(CityCalendar.businessDate(of: TestClock.morning) == "2026-11-24")
    }

    @Test("a layout with dangling references or duplicate ids is rejected with every fault")
    func layoutValidation() {
        let bad = OfficeLayout(
            offices: [Office(id: "main", name: "本庁舎"), Office(id: "main", name: "重複")],
            services: [Service(id: "s", officeID: "nowhere", name: "x", prefix: "A", numberRange: NumberRange(1, 2), route: [])],
            counters: [Counter(id: "C 1", officeID: "main", name: "x", stageIDs: ["missing"])])
        let faults = bad.validate()
        #expect(faults.count == 5)
        #expect(TestLayouts.city.validate().isEmpty)
    }
}

@Suite("Statistics rules")
struct StatisticsRuleTests {
    @Test("fiscal years run April to March; periods label business dates")
    func fiscalYears() {
        #expect(FiscalYear.of(businessDate: "2027-03-31") == 2026 && FiscalYear.of(businessDate: "2026-04-01") == 2026)
        #expect(FiscalYear.range(2026) == ("2026-04-01", "2027-03-31"))
        #expect(StatisticsPeriod.month.label(ofBusinessDate: "2026-11-24") == "2026-11")
        #expect(StatisticsPeriod.fiscalYear.label(ofBusinessDate: "2027-01-05") == "2026")
    }

    @Test("wait histograms round-trip and give nearest-rank percentiles")
    func histograms() {
        let waits = [60: 1, 120: 2, 900: 1, 300: 1]
        var parsed: [Int: Int] = [:]
        WaitHistogram.add(WaitHistogram.encode(waits), into: &parsed)
        #expect(parsed == waits && WaitHistogram.encode(waits) == "60:1,120:2,300:1,900:1")
        #expect(WaitHistogram.percentile(0.5, of: waits) == 120 && WaitHistogram.percentile(0.9, of: waits) == 900)
        #expect(WaitHistogram.percentile(0.5, of: [:]) == nil)
    }

    @Test("ranges are checked: real dates, in order, not longer than the limit")
    func ranges() {
        #expect(StatisticsQuery(officeIDs: ["a"], from: "2026-02-30", to: "2026-03-01").validate().count == 1)
        #expect(StatisticsQuery(officeIDs: ["a"], from: "2026-03-02", to: "2026-03-01").validate() == ["終了日が開始日より前です。"])
        #expect(StatisticsQuery(officeIDs: ["a"], from: "2024-01-01", to: "2026-12-31").validate().count == 1)
        #expect(StatisticsQuery(officeIDs: ["a"], from: "2026-04-01", to: "2027-03-31").validate().isEmpty)
    }

    @Test("CSV quotes what needs quoting and ends lines in CRLF")
    func csv() {
        #expect(CSVText.line(["a", "b,c", "say \"hi\""]) == "a,\"b,c\",\"say \"\"hi\"\"\"\r\n")
    }
}

@Suite("Office closed days")
struct ClosedDayTests {
    @Test("an office is closed on its own closed days even within its hours; impossible dates are refused")
    func closedDays() {
        let tuesdayMorning = TestClock.morning  // 2026-11-24 09:00, within the weekday hours
        #expect(Office(id: "a", name: "A").isOpen(at: tuesdayMorning))
        #expect(!Office(id: "a", name: "A", closedDays: ["2026-11-24"]).isOpen(at: tuesdayMorning))
        let layout = OfficeLayout(offices: [Office(id: "a", name: "A", closedDays: ["2026-02-30"])], services: [], counters: [])
        #expect(layout.validate() == ["office 'a': 休業日「2026-02-30」は YYYY-MM-DD の実在する日付で指定してください"])
    }
}

@Suite("Configuration changes")
struct ConfigurationDifferenceTests {
    @Test("a change names only the objects that differ and their offices")
    func difference() {
        let before = CityConfiguration(TestLayouts.city)
        var after = before
        after.services[2].name = "支所の新しい業務"
        let change = after.difference(from: before)
        #expect(change.officeIDs == ["other"] && change.before.services.map(\.id) == ["x"] && change.after.services.map(\.name) == ["支所の新しい業務"])
        #expect(change.before.offices.isEmpty && change.after.counters.isEmpty)
        #expect(before.difference(from: before).officeIDs.isEmpty)
    }
}

@Suite("Kiosk looks and visitor names in the configuration (issue 15)")
struct ServiceLooksTests {
    @Test("a button colour must carry white text at 7:1; an icon is one or two characters")
    func colourAndIconValidation() {
        // given the test city with one service's looks set
        func faults(icon: String?, colour: String?) -> [String] {
            var layout = CityConfiguration(TestLayouts.city)
            layout.services[0].icon = icon
            layout.services[0].colour = colour
            return layout.layout.validate()
        }
        // then dark colours pass, light or malformed ones are named
        #expect(faults(icon: "🏠", colour: "#0031d8").isEmpty)
        #expect(faults(icon: nil, colour: "#1b5e20").isEmpty)
        #expect(faults(icon: nil, colour: "#ffd966").contains { $0.contains("コントラスト") && $0.contains("7:1") })
        #expect(faults(icon: nil, colour: "blue").contains { $0.contains("#RRGGBB") })
        #expect(faults(icon: "住民票", colour: nil).contains { $0.contains("アイコン") })
        #expect(ContrastRatio.againstWhite(hex: "#000000").map { ($0 * 10).rounded() / 10 } == 21)
        #expect(ContrastRatio.againstWhite(hex: "#ffffff") == 1)
    }

    @Test("office, stage and counter names fall back to Japanese where no translation is set")
    func translatedNames() {
        let office = Office(id: "o", name: "本庁舎", names: LocalizedText(ja: "本庁舎", en: "City Hall"))
        #expect(office.name(in: .en) == "City Hall" && office.name(in: .ko) == "本庁舎" && office.name(in: .ja) == "本庁舎")
        #expect(Stage(id: "s", name: "審査").name(in: .en) == "審査")
        #expect(Counter(id: "c", officeID: "o", name: "1番", stageIDs: [], names: LocalizedText(["en": "Counter 1"])).name(in: .en) == "Counter 1")
    }
}

@Suite("Dates people write (issue 15, item 14)")
struct DateEntryTests {
    @Test("和暦, era letters, digits and day/month/year give one date; impossible dates give none")
    func forms() throws {
        for text in ["1952-11-03", "19521103", "1952/11/3", "S27.11.3", "S271103", "昭和27年11月3日", "03/11/1952", "１９５２－１１－０３"] {
            #expect(DateEntry.date(text) == "1952-11-03", "\(text)")
        }
        for text in ["1985-13-45", "昭和65年1月1日", "2026-02-30", "S60", "", "明日"] {
            #expect(DateEntry.date(text) == nil, "\(text)")
        }
        #expect(try ContactRules.birthDate("昭和60年4月12日", today: "2026-12-02") == "1985-04-12")
        #expect(throws: ReservationRefusal.invalidField(field: "birthDate", message: "生年月日を日付として読み取れません。例: 1985-04-12、昭和60年4月12日、S60.4.12")) {
            try ContactRules.birthDate("2030-01-01", today: "2026-12-02")
        }
    }
}
