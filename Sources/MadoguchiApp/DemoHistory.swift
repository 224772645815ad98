import Foundation
import MadoguchiCore
import MadoguchiStorage

/// Generates past days of realistic traffic for the configured offices (`madoguchi demo --history DAYS`): arrivals
/// follow the day's hour profile, weekdays and the March–April moving season; each stage is simulated as a
/// first-come first-served queue at its counters, so waits rise at peaks the way they do at a real counter.
/// Deterministic (a fixed seed), so benchmarks and tests see the same data.
struct HistoryGenerator {
    let layout: OfficeLayout
    /// Tickets a year across every office (about 7 million for Nerima's scale).
    var ticketsPerYear = 7_000_000
    var seed: UInt64 = 20_261_122

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Share of a day's arrivals per half hour from 8:30 to 17:00: a morning peak and an after-lunch peak.
    static let halfHourProfile: [Double] = [1.2, 1.6, 1.5, 1.3, 1.1, 1.0, 0.9, 0.7, 0.8, 1.2, 1.3, 1.1, 1.0, 0.9, 0.8, 0.6, 0.4]

    /// The city's business days: no weekends, national holidays or year-end closure.
    static func isBusinessDay(_ date: Date) -> Bool { BusinessCalendar().isBusinessDay(CityCalendar.businessDate(of: date)) }

    static func seasonFactor(month: Int) -> Double {
        switch month {
        case 3, 4: 1.6  // moving season
        case 5, 1: 1.1
        case 8: 0.8
        default: 1.0
        }
    }

    /// The past `days` calendar days ending yesterday that are business days, oldest first.
    static func businessDays(last days: Int, before today: Date) -> [Date] {
        let calendar = CityCalendar.gregorian
        let start = calendar.startOfDay(for: today)
        return (1...max(1, days)).reversed().compactMap { calendar.date(byAdding: .day, value: -$0, to: start) }.filter(isBusinessDay)
    }

    /// One day's finished tickets and stage visits.
    func day(_ date: Date, index: Int) -> (tickets: [SQLHistoryWriter.PastTicket], records: [ServiceRecord]) {
        var random = Generator(state: seed &+ UInt64(index) &* 7919)
        let calendar = CityCalendar.gregorian
        let businessDate = CityCalendar.businessDate(of: date)
        let opening = calendar.startOfDay(for: date).addingTimeInterval(8.5 * 3600)
        let month = calendar.component(.month, from: date), weekday = calendar.component(.weekday, from: date)
        let weekdayFactor = weekday == 2 ? 1.25 : weekday == 6 ? 1.1 : 0.95
        let perServiceDay = Double(ticketsPerYear) / 243 / Double(max(1, layout.services.count))
        var tickets: [SQLHistoryWriter.PastTicket] = []
        var records: [ServiceRecord] = []
        // Counters shared between stages give each stage a share of their time.
        var serverFreeAt: [String: [Double]] = [:]
        func servers(for stageID: String) -> (counters: [Counter], freeAt: [Double]) {
            let counters = layout.counters(servingStage: stageID)
            if let free = serverFreeAt[stageID] { return (counters, free) }
            let share = counters.reduce(0.0) { $0 + 1 / Double(max(1, $1.stageIDs.count)) }
            return (counters, Array(repeating: 0, count: max(1, Int(share.rounded(.up)))))
        }
        for service in layout.services {
            let weight = service.officeID == "nerima" ? 1.6 : service.procedureKey == "shomei" ? 1.2 : 0.8
            let mean = perServiceDay * weight * weekdayFactor * Self.seasonFactor(month: month) * Double.random(in: 0.85...1.15, using: &random)
            let count = max(0, Int(mean.rounded()))
            // Arrival offsets in seconds after opening, by the half-hour profile.
            let total = Self.halfHourProfile.reduce(0, +)
            var arrivals: [Double] = []
            arrivals.reserveCapacity(count)
            for (slot, share) in Self.halfHourProfile.enumerated() {
                let inSlot = Int((Double(count) * share / total).rounded())
                for _ in 0..<inSlot { arrivals.append(Double(slot) * 1800 + Double.random(in: 0..<1800, using: &random)) }
            }
            arrivals.sort()
            // Service minutes per stage so the stage runs at about 85% of its counters' time over the day.
            var stageArrivals = arrivals.enumerated().map { (ticket: $0.offset, at: $0.element) }
            var firstWait: [Double] = Array(repeating: 0, count: arrivals.count)
            var lastStage: [Int: (stage: String, counter: String, queued: Double, called: Double)] = [:]
            let outcome: [TicketState] = arrivals.map { _ in
                let roll = Double.random(in: 0..<1, using: &random)
                return roll < 0.03 ? .absent : roll < 0.04 ? .cancelled : .done
            }
            for (stageIndex, stage) in service.route.enumerated() {
                let (counters, initiallyFree) = servers(for: stage.id)
                var freeAt = initiallyFree
                let busySeconds = 8.5 * 3600 * Double(freeAt.count) * 0.85
                let meanService = max(30, busySeconds / Double(max(1, stageArrivals.count)))
                var next: [(ticket: Int, at: Double)] = []
                for arrival in stageArrivals.sorted(by: { $0.at < $1.at }) {
                    let server = freeAt.indices.min { freeAt[$0] < freeAt[$1] }!
                    let called = max(arrival.at, freeAt[server])
                    if stageIndex == 0 { firstWait[arrival.ticket] = called - arrival.at }
                    // Absent visitors are called at the first stage and leave; cancelled ones leave before being called.
                    if stageIndex == 0, outcome[arrival.ticket] == .cancelled { continue }
                    let duration = outcome[arrival.ticket] == .absent ? 60 : meanService * Double.random(in: 0.4...1.6, using: &random)
                    freeAt[server] = called + duration
                    let counter = counters.isEmpty ? "" : counters[server % counters.count].id
                    lastStage[arrival.ticket] = (stage.id, counter, arrival.at, called)
                    if outcome[arrival.ticket] == .absent { continue }
                    records.append(
                        ServiceRecord(
                            ticketID: "hist-\(businessDate)-\(service.id)-\(arrival.ticket)", serviceID: service.id, stageID: stage.id, counterID: counter,
                            calledAt: opening.addingTimeInterval(called), finishedAt: opening.addingTimeInterval(called + duration),
                            officeID: service.officeID, queuedAt: opening.addingTimeInterval(arrival.at), staffID: counter.isEmpty ? nil : "staff-\(counter)"))
                    next.append((arrival.ticket, called + duration))
                }
                serverFreeAt[stage.id] = freeAt
                stageArrivals = next
            }
            // Numbers wrap round the range; like the live queue, a number still held by an absent ticket is skipped.
            let rangeSize = max(1, service.numberRange.upperBound - service.numberRange.lowerBound + 1)
            var held = Set<Int>()
            var cursor = 0
            for (index, at) in arrivals.enumerated() {
                var number = service.numberRange.lowerBound + cursor % rangeSize
                while held.contains(number), held.count < rangeSize {
                    cursor += 1
                    number = service.numberRange.lowerBound + cursor % rangeSize
                }
                cursor += 1
                if outcome[index] == .absent { held.insert(number) }
                let last = lastStage[index]
                let issued = opening.addingTimeInterval(at)
                let ticket = Ticket(
                    id: "hist-\(businessDate)-\(service.id)-\(index)", token: "hist-\(businessDate)-\(service.id)-\(index)", officeID: service.officeID,
                    serviceID: service.id, businessDate: businessDate, number: number, displayNumber: service.displayNumber(number), priority: false,
                    state: outcome[index], stageID: last?.stage ?? service.route[0].id, counterID: last?.counter, assignedCounterID: nil,
                    sequence: index + 1, issuedAt: issued, queuedAt: opening.addingTimeInterval(last?.queued ?? at),
                    calledAt: last.map { opening.addingTimeInterval($0.called) }, version: 1)
                let told = Int((firstWait[index] * Double.random(in: 0.7...1.3, using: &random) / 60).rounded()) * 60
                tickets.append(SQLHistoryWriter.PastTicket(ticket: ticket, predictedWaitSeconds: told))
            }
        }
        return (tickets, records)
    }
}
