import Foundation
import Synchronization

/// What a statistics row is about (S1).
public enum StatisticsGrouping: String, Codable, Sendable, CaseIterable {
    case office, service, procedure, stage, counter, staff

    public var japaneseName: String {
        switch self {
        case .office: "窓口"
        case .service: "業務"
        case .procedure: "手続き"
        case .stage: "段階"
        case .counter: "窓口カウンター"
        case .staff: "職員"
        }
    }

    /// Groupings whose rows count issued tickets; the others count stage visits.
    public var countsTickets: Bool { [.office, .service, .procedure].contains(self) }
}

/// How rows are split in time; a fiscal year runs from April to March and is named by the year it starts in.
public enum StatisticsPeriod: String, Codable, Sendable, CaseIterable {
    case day, month
    case fiscalYear = "fiscal_year"
    case all

    public var japaneseName: String {
        switch self {
        case .day: "日別"
        case .month: "月別"
        case .fiscalYear: "年度別"
        case .all: "期間全体"
        }
    }

    /// The period a business date (YYYY-MM-DD) falls in: `2026-11-22`, `2026-11`, `2026` (fiscal year) or `all`.
    public func label(ofBusinessDate date: String) -> String {
        switch self {
        case .day: return date
        case .month: return String(date.prefix(7))
        case .fiscalYear: return String(FiscalYear.of(businessDate: date))
        case .all: return "all"
        }
    }
}

public enum FiscalYear {
    /// 2027-03-31 belongs to fiscal year 2026 (令和8年度).
    public static func of(businessDate date: String) -> Int {
        let year = Int(date.prefix(4)) ?? 0
        let month = Int(date.dropFirst(5).prefix(2)) ?? 4
        return month < 4 ? year - 1 : year
    }

    /// First and last business date of a fiscal year.
    public static func range(_ year: Int) -> (from: String, to: String) {
        (String(format: "%04d-04-01", year), String(format: "%04d-03-31", year + 1))
    }
}

public struct StatisticsQuery: Sendable, Equatable {
    /// The offices to include; the caller has already limited them to what the user may see.
    public var officeIDs: [String]
    public var from: String
    public var to: String
    public var grouping: StatisticsGrouping
    public var period: StatisticsPeriod

    public init(officeIDs: [String], from: String, to: String, grouping: StatisticsGrouping = .service, period: StatisticsPeriod = .all) {
        self.officeIDs = officeIDs
        self.from = from
        self.to = to
        self.grouping = grouping
        self.period = period
    }

    /// At most about two fiscal years at once, so a mistyped range cannot occupy the server.
    public static let maximumDays = 800

    /// Faults of the range, in Japanese; empty when it can be run.
    public func validate() -> [String] {
        guard let start = CityCalendar.date(ofBusinessDay: from) else { return ["開始日は YYYY-MM-DD の形の実在する日付で指定してください（\(from)）。"] }
        guard let end = CityCalendar.date(ofBusinessDay: to) else { return ["終了日は YYYY-MM-DD の形の実在する日付で指定してください（\(to)）。"] }
        if end < start { return ["終了日が開始日より前です。"] }
        if end.timeIntervalSince(start) / 86_400 > Double(Self.maximumDays) { return ["期間は\(Self.maximumDays)日以内にしてください。"] }
        return []
    }
}

/// One row: a period and a group with counts and times in seconds. Waits are measured per stage visit, from
/// joining the stage's line to being called; medians and 90th percentiles are nearest-rank.
public struct StatisticsRow: Codable, Sendable, Equatable {
    public var period: String
    public var key: String
    public var name: String
    /// Tickets issued (office, service, procedure) or stage visits served (stage, counter, staff).
    public var issued: Int
    public var served: Int
    public var absent: Int
    public var cancelled: Int
    public var visits: Int
    public var waitAverage: Double?
    public var waitMedian: Double?
    public var waitP90: Double?
    public var waitMin: Double?
    public var waitMax: Double?
    public var serviceAverage: Double?
    /// The wait the visitor was told at issue, on average, against the wait they had at the first stage.
    public var predictedAverage: Double?
    public var actualFirstWaitAverage: Double?

    public init(
        period: String, key: String, name: String = "", issued: Int = 0, served: Int = 0, absent: Int = 0, cancelled: Int = 0,
        visits: Int = 0, waitAverage: Double? = nil, waitMedian: Double? = nil, waitP90: Double? = nil, waitMin: Double? = nil,
        waitMax: Double? = nil, serviceAverage: Double? = nil, predictedAverage: Double? = nil, actualFirstWaitAverage: Double? = nil
    ) {
        self.period = period
        self.key = key
        self.name = name
        self.issued = issued
        self.served = served
        self.absent = absent
        self.cancelled = cancelled
        self.visits = visits
        self.waitAverage = waitAverage
        self.waitMedian = waitMedian
        self.waitP90 = waitP90
        self.waitMin = waitMin
        self.waitMax = waitMax
        self.serviceAverage = serviceAverage
        self.predictedAverage = predictedAverage
        self.actualFirstWaitAverage = actualFirstWaitAverage
    }
}

public struct HourBand: Codable, Sendable, Equatable {
    public var hour: Int
    public var count: Int
    public init(hour: Int, count: Int) { self.hour = hour; self.count = count }
}

public struct StatisticsReport: Codable, Sendable {
    public var from: String
    public var to: String
    public var grouping: StatisticsGrouping
    public var period: StatisticsPeriod
    public var offices: [String]
    public var rows: [StatisticsRow]
    /// Tickets issued (or visits called, for stage, counter and staff) per hour of the day, over the whole range.
    public var hourBands: [HourBand]
    public var webAccess: [WebAccessCount]

    public init(query: StatisticsQuery, rows: [StatisticsRow], hourBands: [HourBand], webAccess: [WebAccessCount]) {
        from = query.from
        to = query.to
        grouping = query.grouping
        period = query.period
        offices = query.officeIDs
        self.rows = rows
        self.hourBands = hourBands
        self.webAccess = webAccess
    }

    /// Names rows by the configuration (and staff by login), keeping the key where nothing matches.
    public mutating func name(layout: OfficeLayout, staffLogins: [String: String]) {
        for index in rows.indices {
            let key = rows[index].key
            rows[index].name =
                switch grouping {
                case .office: layout.office(key)?.name ?? key
                case .service: layout.service(key).map { "\(layout.office($0.officeID)?.name ?? "") \($0.name)" } ?? key
                case .procedure: layout.services.first { $0.procedureKey == key }?.name ?? key
                case .stage:
                    layout.service(owningStage: key).flatMap { service in
                        layout.stage(key).map { "\(layout.office(service.officeID)?.name ?? "") \(service.name)：\($0.name)" }
                    } ?? key
                case .counter: layout.counter(key).map { "\(layout.office($0.officeID)?.name ?? "") \($0.name)" } ?? key
                case .staff: key.isEmpty ? "（サインインなし）" : staffLogins[key] ?? key
                }
        }
    }
}

public protocol StatisticsStore: Sendable {
    func report(_ query: StatisticsQuery) async throws -> StatisticsReport
    /// Logins of staff members by id, to name the staff grouping.
    func staffLogins() async throws -> [String: String]
    func addWebAccess(_ counts: [WebAccessKey: Int]) async throws
    func definitions() async throws -> [ReportDefinition]
    func save(_ definition: ReportDefinition, by login: String) async throws
    func deleteDefinition(id: String) async throws
}

/// A column of a statistics table; saved report definitions choose among them (S7).
public enum StatisticsColumn: String, Codable, Sendable, CaseIterable {
    case period, name, issued, served, absent, cancelled, visits
    case waitAverage = "wait_average", waitMedian = "wait_median", waitP90 = "wait_p90", waitMin = "wait_min", waitMax = "wait_max"
    case serviceAverage = "service_average", predictedAverage = "predicted_average", actualFirstWaitAverage = "actual_first_wait_average"

    public var japaneseName: String {
        switch self {
        case .period: "期間"
        case .name: "名称"
        case .issued: "発券数"
        case .served: "対応済み"
        case .absent: "不在"
        case .cancelled: "取消"
        case .visits: "対応件数（段階ごと）"
        case .waitAverage: "平均待ち時間（分）"
        case .waitMedian: "待ち時間の中央値（分）"
        case .waitP90: "待ち時間の90%値（分）"
        case .waitMin: "最短待ち時間（分）"
        case .waitMax: "最長待ち時間（分）"
        case .serviceAverage: "平均対応時間（分）"
        case .predictedAverage: "案内した待ち時間の平均（分）"
        case .actualFirstWaitAverage: "実際の最初の待ち時間の平均（分）"
        }
    }

    public static let standard: [StatisticsColumn] = [.period, .name, .issued, .served, .absent, .waitAverage, .waitMedian, .waitP90, .waitMax, .serviceAverage]

    /// A number for spreadsheets (minutes to one decimal), or text for the first two columns.
    public func value(of row: StatisticsRow) -> StatisticsCell {
        func minutes(_ seconds: Double?) -> StatisticsCell { seconds.map { .number(($0 / 6).rounded() / 10) } ?? .empty }
        return switch self {
        case .period: .text(row.period == "all" ? "期間全体" : row.period)
        case .name: .text(row.name)
        case .issued: .number(Double(row.issued))
        case .served: .number(Double(row.served))
        case .absent: .number(Double(row.absent))
        case .cancelled: .number(Double(row.cancelled))
        case .visits: .number(Double(row.visits))
        case .waitAverage: minutes(row.waitAverage)
        case .waitMedian: minutes(row.waitMedian)
        case .waitP90: minutes(row.waitP90)
        case .waitMin: minutes(row.waitMin)
        case .waitMax: minutes(row.waitMax)
        case .serviceAverage: minutes(row.serviceAverage)
        case .predictedAverage: minutes(row.predictedAverage)
        case .actualFirstWaitAverage: minutes(row.actualFirstWaitAverage)
        }
    }
}

public enum StatisticsCell: Sendable, Equatable {
    case text(String), number(Double), empty

    public var csvText: String {
        switch self {
        case .text(let text): text
        case .number(let value): value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
        case .empty: ""
        }
    }
}

/// A saved choice of grouping, period and columns, named by staff.
public struct ReportDefinition: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var grouping: StatisticsGrouping
    public var period: StatisticsPeriod
    public var columns: [StatisticsColumn]
    /// Who saved it (filled in by the store): only they, or someone who reads every office's statistics, delete it.
    public var createdBy: String?
    public init(id: String, name: String, grouping: StatisticsGrouping, period: StatisticsPeriod, columns: [StatisticsColumn]) {
        self.id = id
        self.name = name
        self.grouping = grouping
        self.period = period
        self.columns = columns
    }
}
