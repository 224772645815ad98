import Foundation
import MadoguchiCore
import SQLKit

/// Statistics from daily rollups (S1, S2): each past day is summarised once into `stat_visits` and `stat_tickets`
/// (by the first report that needs it, the nightly job, or the history generator), so a year's report reads tens of
/// thousands of rows instead of millions. Today is summarised on the fly. Wait histograms keep medians and
/// percentiles exact to the second over any range. Reports read on their own connection and never hold up the queue.
public struct SQLStatisticsStore: StatisticsStore {
    let database: Database
    let clock: any WallClock
    public init(database: Database, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    public func report(_ query: StatisticsQuery) async throws -> StatisticsReport {
        guard !query.officeIDs.isEmpty else { return StatisticsReport(query: query, rows: [], hourBands: [], webAccess: []) }
        let today = CityCalendar.businessDate(of: clock.now())
        try await rollUp(from: query.from, to: min(query.to, Self.dayBefore(today)))
        let offices: [any Encodable & Sendable] = query.officeIDs
        return try await database.withReadConnection { db in
            var visits = try await db.raw(
                """
                SELECT * FROM stat_visits WHERE business_date BETWEEN \(bind: query.from) AND \(bind: query.to) AND office_id IN (\(binds: offices))
                """
            ).all().map(Self.visit)
            var tickets = try await db.raw(
                """
                SELECT * FROM stat_tickets WHERE business_date BETWEEN \(bind: query.from) AND \(bind: query.to) AND office_id IN (\(binds: offices))
                """
            ).all().map(Self.ticketAggregate)
            if (query.from...query.to).contains(today) {
                visits += try await Self.visitAggregates(of: today, db)
                tickets += try await Self.ticketAggregates(of: today, db)
            }
            let web = try await db.raw(
                """
                SELECT page, CAST(SUM(hits) AS BIGINT) AS hits FROM web_access
                WHERE business_date BETWEEN \(bind: query.from) AND \(bind: query.to) AND (office_id IN (\(binds: offices)) OR office_id = '')
                GROUP BY page ORDER BY page
                """
            ).all().map { WebAccessCount(page: try $0.decode(column: "page", as: String.self), hits: try $0.decode(column: "hits", as: Int.self)) }
            return StatisticsAggregator.report(query, visits: visits, tickets: tickets, webAccess: web)
        }
    }

    static func dayBefore(_ date: String) -> String {
        guard let day = CityCalendar.date(ofBusinessDay: date) else { return date }
        return CityCalendar.businessDate(of: day.addingTimeInterval(-43_200))
    }

    /// Summarises every past day of the range not summarised yet; returns how many days it did. Several instances
    /// may try at once: the day's marker row is taken first, so only one writes the day.
    @discardableResult
    public func rollUp(from: String, to: String, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        guard from <= to, let start = CityCalendar.date(ofBusinessDay: from), let end = CityCalendar.date(ofBusinessDay: to) else { return 0 }
        let done = try await database.withConnection { db in
            Set(
                try await db.raw("SELECT business_date FROM stat_days WHERE business_date BETWEEN \(bind: from) AND \(bind: to)").all()
                    .map { try $0.decode(column: "business_date", as: String.self) })
        }
        var days: [String] = []
        var day = start
        while day <= end {
            let text = CityCalendar.businessDate(of: day)
            if !done.contains(text) { days.append(text) }
            day = CityCalendar.gregorian.date(byAdding: .day, value: 1, to: day)!
        }
        guard !days.isEmpty else { return 0 }
        try await database.withReadConnection { read in
            for (index, date) in days.enumerated() {
                let visits = try await Self.visitAggregates(of: date, read)
                let tickets = try await Self.ticketAggregates(of: date, read)
                try await database.transaction { db in
                    let claimed = try await db.raw(
                        """
                        INSERT INTO stat_days (business_date, rolled_at) VALUES (\(bind: date), \(bind: Timestamp.micros(Date())))
                        ON CONFLICT (business_date) DO NOTHING RETURNING business_date
                        """
                    ).first()
                    guard claimed != nil else { return }
                    for chunk in stride(from: 0, to: visits.count, by: 500) {
                        let insert = db.insert(into: "stat_visits").columns(
                            [
                                "business_date", "office_id", "service_id", "procedure_key", "stage_id", "counter_id", "staff_id", "visits",
                                "wait_sum", "service_sum", "waits"
                            ])
                        for v in visits[chunk..<min(chunk + 500, visits.count)] {
                            insert.values([
                                SQLBind(v.businessDate), SQLBind(v.officeID), SQLBind(v.serviceID), SQLBind(v.procedureKey),
                                SQLBind(v.stageID), SQLBind(v.counterID), SQLBind(v.staffID), SQLBind(v.visits),
                                SQLBind(v.waitSumMicros), SQLBind(v.serviceSumMicros), SQLBind(WaitHistogram.encode(v.waits))
                            ])
                        }
                        try await insert.run()
                    }
                    for chunk in stride(from: 0, to: tickets.count, by: 500) {
                        let insert = db.insert(into: "stat_tickets").columns(
                            [
                                "business_date", "office_id", "service_id", "procedure_key", "hour", "issued", "served", "absent", "cancelled",
                                "predicted_sum", "predicted_count", "first_wait_sum", "first_wait_count"
                            ])
                        for t in tickets[chunk..<min(chunk + 500, tickets.count)] {
                            insert.values([
                                SQLBind(t.businessDate), SQLBind(t.officeID), SQLBind(t.serviceID), SQLBind(t.procedureKey),
                                SQLBind(t.hour), SQLBind(t.issued), SQLBind(t.served), SQLBind(t.absent), SQLBind(t.cancelled),
                                SQLBind(t.predictedSum), SQLBind(t.predictedCount), SQLBind(t.firstWaitSumMicros), SQLBind(t.firstWaitCount)
                            ])
                        }
                        try await insert.run()
                    }
                }
                progress?(index + 1, days.count)
            }
        }
        return days.count
    }

    /// A day's stage visits grouped for the rollup, with the histogram of waits in seconds.
    static func visitAggregates(of date: String, _ db: any SQLDatabase) async throws -> [VisitAggregate] {
        var groups: [String: VisitAggregate] = [:]
        let rows = try await db.raw(
            """
            SELECT r.office_id AS o, r.service_id AS sv, COALESCE(s.procedure_key, r.service_id) AS pk, r.stage_id AS st, r.counter_id AS c,
              COALESCE(r.staff_id, '') AS sf, (r.called_at - r.queued_at) / 1000000 AS w, COUNT(*) AS n,
              CAST(SUM(r.called_at - r.queued_at) AS BIGINT) AS ws, CAST(SUM(r.finished_at - r.called_at) AS BIGINT) AS ss
            FROM service_records r LEFT JOIN services s ON s.id = r.service_id
            WHERE r.business_date = \(bind: date) AND r.queued_at IS NOT NULL AND r.office_id IS NOT NULL
            GROUP BY r.office_id, r.service_id, COALESCE(s.procedure_key, r.service_id), r.stage_id, r.counter_id, COALESCE(r.staff_id, ''),
              (r.called_at - r.queued_at) / 1000000
            """
        ).all()
        for row in rows {
            let office = try row.decode(column: "o", as: String.self), service = try row.decode(column: "sv", as: String.self)
            let stage = try row.decode(column: "st", as: String.self), counter = try row.decode(column: "c", as: String.self)
            let staff = try row.decode(column: "sf", as: String.self)
            let key = [office, service, stage, counter, staff].joined(separator: "\u{1F}")
            let procedure = try row.decode(column: "pk", as: String.self)
            var aggregate =
                groups[key]
                ?? VisitAggregate(
                    businessDate: date, officeID: office, serviceID: service, procedureKey: procedure, stageID: stage, counterID: counter, staffID: staff)
            let count = try row.decode(column: "n", as: Int.self)
            aggregate.visits += count
            aggregate.waitSumMicros += try row.decode(column: "ws", as: Int64.self)
            aggregate.serviceSumMicros += try row.decode(column: "ss", as: Int64.self)
            aggregate.waits[max(0, try row.decode(column: "w", as: Int.self)), default: 0] += count
            groups[key] = aggregate
        }
        return Array(groups.values)
    }

    /// Local hour of a microsecond timestamp; Japan keeps UTC+9 all year.
    static func hourSQL(_ column: String) -> String { "((\(column) / 1000000 + 32400) % 86400) / 3600" }

    /// A day's tickets per service and hour of issue, with the told and the real first wait.
    static func ticketAggregates(of date: String, _ db: any SQLDatabase) async throws -> [TicketAggregate] {
        var groups: [String: TicketAggregate] = [:]
        let hour = hourSQL("t.issued_at")
        for row in try await db.raw(
            """
            SELECT t.office_id AS o, t.service_id AS sv, COALESCE(s.procedure_key, t.service_id) AS pk, \(unsafeRaw: hour) AS h, COUNT(*) AS n,
              SUM(CASE WHEN t.state = 'done' THEN 1 ELSE 0 END) AS served, SUM(CASE WHEN t.state = 'absent' THEN 1 ELSE 0 END) AS absent,
              SUM(CASE WHEN t.state = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
              CAST(COALESCE(SUM(t.predicted_wait_s), 0) AS BIGINT) AS ps, COUNT(t.predicted_wait_s) AS pc
            FROM tickets t LEFT JOIN services s ON s.id = t.service_id
            WHERE t.business_date = \(bind: date)
            GROUP BY t.office_id, t.service_id, COALESCE(s.procedure_key, t.service_id), \(unsafeRaw: hour)
            """
        ).all() {
            var aggregate = TicketAggregate(
                businessDate: date, officeID: try row.decode(column: "o", as: String.self), serviceID: try row.decode(column: "sv", as: String.self),
                procedureKey: try row.decode(column: "pk", as: String.self), hour: try row.decode(column: "h", as: Int.self))
            aggregate.issued = try row.decode(column: "n", as: Int.self)
            aggregate.served = try row.decode(column: "served", as: Int.self)
            aggregate.absent = try row.decode(column: "absent", as: Int.self)
            aggregate.cancelled = try row.decode(column: "cancelled", as: Int.self)
            aggregate.predictedSum = try row.decode(column: "ps", as: Int64.self)
            aggregate.predictedCount = try row.decode(column: "pc", as: Int.self)
            groups["\(aggregate.serviceID)\u{1F}\(aggregate.hour)"] = aggregate
        }
        for row in try await db.raw(
            """
            SELECT t.service_id AS sv, \(unsafeRaw: hour) AS h, CAST(SUM(r.called_at - r.queued_at) AS BIGINT) AS ws, COUNT(*) AS n
            FROM tickets t JOIN service_records r ON r.ticket_id = t.id AND r.queued_at = t.issued_at
            WHERE t.business_date = \(bind: date) AND t.predicted_wait_s IS NOT NULL
            GROUP BY t.service_id, \(unsafeRaw: hour)
            """
        ).all() {
            let key = "\(try row.decode(column: "sv", as: String.self))\u{1F}\(try row.decode(column: "h", as: Int.self))"
            groups[key]?.firstWaitSumMicros = try row.decode(column: "ws", as: Int64.self)
            groups[key]?.firstWaitCount = try row.decode(column: "n", as: Int.self)
        }
        return Array(groups.values)
    }

    static func visit(_ row: any SQLRow) throws -> VisitAggregate {
        var waits: [Int: Int] = [:]
        WaitHistogram.add(try row.decode(column: "waits", as: String.self), into: &waits)
        return VisitAggregate(
            businessDate: try row.decode(column: "business_date", as: String.self), officeID: try row.decode(column: "office_id", as: String.self),
            serviceID: try row.decode(column: "service_id", as: String.self), procedureKey: try row.decode(column: "procedure_key", as: String.self),
            stageID: try row.decode(column: "stage_id", as: String.self), counterID: try row.decode(column: "counter_id", as: String.self),
            staffID: try row.decode(column: "staff_id", as: String.self), visits: try row.decode(column: "visits", as: Int.self),
            waitSumMicros: try row.decode(column: "wait_sum", as: Int64.self), serviceSumMicros: try row.decode(column: "service_sum", as: Int64.self),
            waits: waits)
    }

    static func ticketAggregate(_ row: any SQLRow) throws -> TicketAggregate {
        var aggregate = TicketAggregate(
            businessDate: try row.decode(column: "business_date", as: String.self), officeID: try row.decode(column: "office_id", as: String.self),
            serviceID: try row.decode(column: "service_id", as: String.self), procedureKey: try row.decode(column: "procedure_key", as: String.self),
            hour: try row.decode(column: "hour", as: Int.self))
        aggregate.issued = try row.decode(column: "issued", as: Int.self)
        aggregate.served = try row.decode(column: "served", as: Int.self)
        aggregate.absent = try row.decode(column: "absent", as: Int.self)
        aggregate.cancelled = try row.decode(column: "cancelled", as: Int.self)
        aggregate.predictedSum = try row.decode(column: "predicted_sum", as: Int64.self)
        aggregate.predictedCount = try row.decode(column: "predicted_count", as: Int.self)
        aggregate.firstWaitSumMicros = try row.decode(column: "first_wait_sum", as: Int64.self)
        aggregate.firstWaitCount = try row.decode(column: "first_wait_count", as: Int.self)
        return aggregate
    }

    /// Logins of staff members, to name the staff grouping.
    public func staffLogins() async throws -> [String: String] {
        try await database.withConnection { db in
            var logins: [String: String] = [:]
            for row in try await db.raw("SELECT id, login FROM users").all() {
                logins[try row.decode(column: "id", as: String.self)] = try row.decode(column: "login", as: String.self)
            }
            return logins
        }
    }

    /// Adds page views counted in memory since the last flush.
    public func addWebAccess(_ counts: [WebAccessKey: Int]) async throws {
        guard !counts.isEmpty else { return }
        try await database.transaction { db in
            for (key, hits) in counts {
                try await db.raw(
                    """
                    INSERT INTO web_access (business_date, page, office_id, hits) VALUES (\(bind: key.businessDate), \(bind: key.page), \(bind: key.officeID), \(bind: hits))
                    ON CONFLICT (business_date, page, office_id) DO UPDATE SET hits = web_access.hits + excluded.hits
                    """
                ).run()
            }
        }
    }

    // MARK: Saved report definitions

    public func definitions() async throws -> [ReportDefinition] {
        try await database.withConnection { db in
            try await db.raw("SELECT definition, created_by FROM report_definitions ORDER BY name").all().map {
                var definition = try JSONDecoder().decode(ReportDefinition.self, from: Data(try $0.decode(column: "definition", as: String.self).utf8))
                definition.createdBy = try $0.decode(column: "created_by", as: String.self)
                return definition
            }
        }
    }

    public func save(_ definition: ReportDefinition, by login: String) async throws {
        var definition = definition
        definition.createdBy = nil
        let json = String(decoding: try JSONEncoder().encode(definition), as: UTF8.self)
        try await database.withConnection { db in
            try await db.raw(
                """
                INSERT INTO report_definitions (id, name, definition, created_by, created_at)
                VALUES (\(bind: definition.id), \(bind: definition.name), \(bind: json), \(bind: login), \(bind: Timestamp.micros(Date())))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition = excluded.definition
                """
            ).run()
        }
    }

    public func deleteDefinition(id: String) async throws {
        try await database.withConnection { db in try await db.raw("DELETE FROM report_definitions WHERE id = \(bind: id)").run() }
    }
}
