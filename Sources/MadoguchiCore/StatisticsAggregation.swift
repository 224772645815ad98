import Foundation

/// One day's stage visits of one group (office, service, stage, counter, staff): the unit of the daily rollup.
public struct VisitAggregate: Sendable, Equatable {
    public var businessDate: String
    public var officeID: String
    public var serviceID: String
    public var procedureKey: String
    public var stageID: String
    public var counterID: String
    public var staffID: String
    public var visits: Int
    public var waitSumMicros: Int64
    public var serviceSumMicros: Int64
    /// Waits in whole seconds → how many visits waited that long.
    public var waits: [Int: Int]

    public init(
        businessDate: String, officeID: String, serviceID: String, procedureKey: String, stageID: String, counterID: String,
        staffID: String, visits: Int = 0, waitSumMicros: Int64 = 0, serviceSumMicros: Int64 = 0, waits: [Int: Int] = [:]
    ) {
        self.businessDate = businessDate
        self.officeID = officeID
        self.serviceID = serviceID
        self.procedureKey = procedureKey
        self.stageID = stageID
        self.counterID = counterID
        self.staffID = staffID
        self.visits = visits
        self.waitSumMicros = waitSumMicros
        self.serviceSumMicros = serviceSumMicros
        self.waits = waits
    }
}

/// One day's tickets of one service issued in one hour.
public struct TicketAggregate: Sendable, Equatable {
    public var businessDate: String
    public var officeID: String
    public var serviceID: String
    public var procedureKey: String
    public var hour: Int
    public var issued = 0
    public var served = 0
    public var absent = 0
    public var cancelled = 0
    /// Seconds told at issue, summed over the tickets that were told one.
    public var predictedSum: Int64 = 0
    public var predictedCount = 0
    /// The real first-stage wait of those same tickets.
    public var firstWaitSumMicros: Int64 = 0
    public var firstWaitCount = 0

    public init(businessDate: String, officeID: String, serviceID: String, procedureKey: String, hour: Int) {
        self.businessDate = businessDate
        self.officeID = officeID
        self.serviceID = serviceID
        self.procedureKey = procedureKey
        self.hour = hour
    }
}

/// Wait histograms as stored: `seconds:count` pairs joined by commas.
public enum WaitHistogram {
    public static func encode(_ waits: [Int: Int]) -> String {
        waits.keys.sorted().map { "\($0):\(waits[$0]!)" }.joined(separator: ",")
    }

    /// Adds the pairs of `text` into `histogram`; reads bytes directly, as a year's report parses millions of pairs.
    public static func add(_ text: String, into histogram: inout [Int: Int]) {
        var key = 0, value = 0, readingValue = false
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if readingValue { value = value * 10 + Int(byte - 48) } else { key = key * 10 + Int(byte - 48) }
                case UInt8(ascii: ":"): readingValue = true
                case UInt8(ascii: ","):
                    histogram[key, default: 0] += value
                    key = 0; value = 0; readingValue = false
                default: break
                }
            }
        }
        if readingValue { histogram[key, default: 0] += value }
    }

    /// The nearest-rank percentile (0 < p ≤ 1): the smallest wait with at least p of the visits at or below it.
    public static func percentile(_ p: Double, of histogram: [Int: Int]) -> Int? {
        let total = histogram.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int((p * Double(total)).rounded(.up)))
        var seen = 0
        for wait in histogram.keys.sorted() {
            seen += histogram[wait]!
            if seen >= rank { return wait }
        }
        return histogram.keys.max()
    }
}

/// Turns daily aggregates into the rows of a report: grouped by period and key, waits merged exactly.
public enum StatisticsAggregator {
    public static func report(
        _ query: StatisticsQuery, visits: [VisitAggregate], tickets: [TicketAggregate], webAccess: [WebAccessCount]
    ) -> StatisticsReport {
        let offices = Set(query.officeIDs)
        struct Accumulator {
            var row: StatisticsRow
            var waits: [Int: Int] = [:]
            var waitSum: Int64 = 0
            var serviceSum: Int64 = 0
            var predictedSum: Int64 = 0
            var predictedCount = 0
            var firstWaitSum: Int64 = 0
            var firstWaitCount = 0
        }
        var groups: [String: Accumulator] = [:]
        func key(_ period: String, _ key: String) -> String { period + "\u{1F}" + key }
        func visitKey(_ v: VisitAggregate) -> String {
            switch query.grouping {
            case .office: v.officeID
            case .service: v.serviceID
            case .procedure: v.procedureKey
            case .stage: v.stageID
            case .counter: v.counterID
            case .staff: v.staffID
            }
        }
        for visit in visits where offices.contains(visit.officeID) && visit.businessDate >= query.from && visit.businessDate <= query.to {
            let period = query.period.label(ofBusinessDate: visit.businessDate), group = visitKey(visit)
            var entry = groups[key(period, group)] ?? Accumulator(row: StatisticsRow(period: period, key: group))
            entry.row.visits += visit.visits
            entry.waitSum += visit.waitSumMicros
            entry.serviceSum += visit.serviceSumMicros
            for (wait, count) in visit.waits { entry.waits[wait, default: 0] += count }
            groups[key(period, group)] = entry
        }
        var hours: [Int: Int] = [:]
        for ticket in tickets where offices.contains(ticket.officeID) && ticket.businessDate >= query.from && ticket.businessDate <= query.to {
            hours[ticket.hour, default: 0] += ticket.issued
            guard query.grouping.countsTickets else { continue }
            let period = query.period.label(ofBusinessDate: ticket.businessDate)
            let group = query.grouping == .office ? ticket.officeID : query.grouping == .procedure ? ticket.procedureKey : ticket.serviceID
            var entry = groups[key(period, group)] ?? Accumulator(row: StatisticsRow(period: period, key: group))
            entry.row.issued += ticket.issued
            entry.row.served += ticket.served
            entry.row.absent += ticket.absent
            entry.row.cancelled += ticket.cancelled
            entry.predictedSum += ticket.predictedSum
            entry.predictedCount += ticket.predictedCount
            entry.firstWaitSum += ticket.firstWaitSumMicros
            entry.firstWaitCount += ticket.firstWaitCount
            groups[key(period, group)] = entry
        }
        let rows = groups.values.map { entry -> StatisticsRow in
            var row = entry.row
            if !query.grouping.countsTickets { row.issued = row.visits; row.served = row.visits }
            if row.visits > 0 {
                row.waitAverage = Double(entry.waitSum) / 1e6 / Double(row.visits)
                row.serviceAverage = Double(entry.serviceSum) / 1e6 / Double(row.visits)
                row.waitMedian = WaitHistogram.percentile(0.5, of: entry.waits).map(Double.init)
                row.waitP90 = WaitHistogram.percentile(0.9, of: entry.waits).map(Double.init)
                row.waitMin = entry.waits.keys.min().map(Double.init)
                row.waitMax = entry.waits.keys.max().map(Double.init)
            }
            if entry.predictedCount > 0 { row.predictedAverage = Double(entry.predictedSum) / Double(entry.predictedCount) }
            if entry.firstWaitCount > 0 { row.actualFirstWaitAverage = Double(entry.firstWaitSum) / 1e6 / Double(entry.firstWaitCount) }
            return row
        }.sorted { ($0.period, $0.key) < ($1.period, $1.key) }
        return StatisticsReport(
            query: query, rows: rows, hourBands: hours.keys.sorted().map { HourBand(hour: $0, count: hours[$0]!) },
            webAccess: webAccess)
    }
}
