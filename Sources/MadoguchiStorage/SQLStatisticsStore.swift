import Foundation
import MadoguchiCore
import SQLKit

/// Statistics straight from the stored tickets and stage visits, aggregated by the database (S1, S2). Medians and
/// 90th percentiles come from window functions, so nothing is sampled; the same SQL runs on SQLite and PostgreSQL.
/// Reports read on their own connection and never hold up the queue.
public struct SQLStatisticsStore: StatisticsStore {
    let database: Database
    public init(database: Database) { self.database = database }

    /// The period of a `business_date` column as SQL; the fiscal year starts in April.
    static func periodSQL(_ period: StatisticsPeriod, column: String) -> String {
        switch period {
        case .day: column
        case .month: "SUBSTR(\(column), 1, 7)"
        case .fiscalYear:
            "CAST(CAST(SUBSTR(\(column), 1, 4) AS INTEGER) - (CASE WHEN SUBSTR(\(column), 6, 2) < '04' THEN 1 ELSE 0 END) AS TEXT)"
        case .all: "'all'"
        }
    }

    /// The group key of a stage visit (`r`, joined with its service `s`).
    static func visitKeySQL(_ grouping: StatisticsGrouping) -> String {
        switch grouping {
        case .office: "r.office_id"
        case .service: "r.service_id"
        case .procedure: "COALESCE(s.procedure_key, s.id)"
        case .stage: "r.stage_id"
        case .counter: "r.counter_id"
        case .staff: "COALESCE(r.staff_id, '')"
        }
    }

    /// The group key of a ticket (`t`, joined with its service `s`), for groupings that count tickets.
    static func ticketKeySQL(_ grouping: StatisticsGrouping) -> String {
        switch grouping {
        case .office: "t.office_id"
        case .procedure: "COALESCE(s.procedure_key, s.id)"
        default: "t.service_id"
        }
    }

    /// Local hour of a microsecond timestamp; Japan keeps UTC+9 all year.
    static func hourSQL(_ column: String) -> String { "((\(column) / 1000000 + 32400) % 86400) / 3600" }

    public func report(_ query: StatisticsQuery) async throws -> StatisticsReport {
        guard !query.officeIDs.isEmpty else { return StatisticsReport(query: query, rows: [], hourBands: [], webAccess: []) }
        let offices: [any Encodable & Sendable] = query.officeIDs
        let visitPeriod = Self.periodSQL(query.period, column: "r.business_date")
        let ticketPeriod = Self.periodSQL(query.period, column: "t.business_date")
        let visitKey = Self.visitKeySQL(query.grouping)
        let ticketKey = Self.ticketKeySQL(query.grouping)
        return try await database.withReadConnection { db in
            var rows: [String: StatisticsRow] = [:]
            func row(_ period: String, _ key: String) -> StatisticsRow { rows["\(period)\u{1F}\(key)"] ?? StatisticsRow(period: period, key: key) }
            func store(_ row: StatisticsRow) { rows["\(row.period)\u{1F}\(row.key)"] = row }

            // Stage visits: counts, waits with exact percentiles, service times.
            let visits = try await db.raw("""
                SELECT p, k, COUNT(*) AS n, CAST(AVG(w) AS DOUBLE PRECISION) AS wait_avg, MIN(w) AS wait_min, MAX(w) AS wait_max,
                  CAST(AVG(d) AS DOUBLE PRECISION) AS service_avg,
                  MIN(CASE WHEN rn * 2 >= cnt THEN w END) AS wait_median, MIN(CASE WHEN rn * 10 >= cnt * 9 THEN w END) AS wait_p90
                FROM (
                  SELECT \(unsafeRaw: visitPeriod) AS p, \(unsafeRaw: visitKey) AS k, r.called_at - r.queued_at AS w,
                    r.finished_at - r.called_at AS d,
                    ROW_NUMBER() OVER (PARTITION BY \(unsafeRaw: visitPeriod), \(unsafeRaw: visitKey) ORDER BY r.called_at - r.queued_at) AS rn,
                    COUNT(*) OVER (PARTITION BY \(unsafeRaw: visitPeriod), \(unsafeRaw: visitKey)) AS cnt
                  FROM service_records r JOIN services s ON s.id = r.service_id
                  WHERE r.business_date BETWEEN \(bind: query.from) AND \(bind: query.to) AND r.office_id IN (\(binds: offices))
                    AND r.queued_at IS NOT NULL
                ) x
                GROUP BY p, k
                """).all()
            for result in visits {
                var entry = row(try result.decode(column: "p", as: String.self), try result.decode(column: "k", as: String.self))
                func seconds(_ column: String) throws -> Double? { try result.decode(column: column, as: Int64?.self).map { Double($0) / 1e6 } }
                entry.visits = try result.decode(column: "n", as: Int.self)
                entry.waitAverage = try result.decode(column: "wait_avg", as: Double?.self).map { $0 / 1e6 }
                entry.waitMin = try seconds("wait_min")
                entry.waitMax = try seconds("wait_max")
                entry.waitMedian = try seconds("wait_median")
                entry.waitP90 = try seconds("wait_p90")
                entry.serviceAverage = try result.decode(column: "service_avg", as: Double?.self).map { $0 / 1e6 }
                if !query.grouping.countsTickets { entry.issued = entry.visits; entry.served = entry.visits }
                store(entry)
            }

            if query.grouping.countsTickets {
                // Tickets: issued, outcomes, and the wait told at issue against the first stage's real wait.
                let tickets = try await db.raw("""
                    SELECT \(unsafeRaw: ticketPeriod) AS p, \(unsafeRaw: ticketKey) AS k, COUNT(*) AS n,
                      SUM(CASE WHEN t.state = 'done' THEN 1 ELSE 0 END) AS served,
                      SUM(CASE WHEN t.state = 'absent' THEN 1 ELSE 0 END) AS absent,
                      SUM(CASE WHEN t.state = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
                      CAST(AVG(t.predicted_wait_s) AS DOUBLE PRECISION) AS predicted
                    FROM tickets t JOIN services s ON s.id = t.service_id
                    WHERE t.business_date BETWEEN \(bind: query.from) AND \(bind: query.to) AND t.office_id IN (\(binds: offices))
                    GROUP BY \(unsafeRaw: ticketPeriod), \(unsafeRaw: ticketKey)
                    """).all()
                for result in tickets {
                    var entry = row(try result.decode(column: "p", as: String.self), try result.decode(column: "k", as: String.self))
                    entry.issued = try result.decode(column: "n", as: Int.self)
                    entry.served = try result.decode(column: "served", as: Int.self)
                    entry.absent = try result.decode(column: "absent", as: Int.self)
                    entry.cancelled = try result.decode(column: "cancelled", as: Int.self)
                    entry.predictedAverage = try result.decode(column: "predicted", as: Double?.self)
                    store(entry)
                }
                let firstWaits = try await db.raw("""
                    SELECT \(unsafeRaw: ticketPeriod) AS p, \(unsafeRaw: ticketKey) AS k, CAST(AVG(r.called_at - r.queued_at) AS DOUBLE PRECISION) AS actual
                    FROM tickets t JOIN services s ON s.id = t.service_id JOIN service_records r ON r.ticket_id = t.id AND r.queued_at = t.issued_at
                    WHERE t.business_date BETWEEN \(bind: query.from) AND \(bind: query.to) AND t.office_id IN (\(binds: offices))
                      AND t.predicted_wait_s IS NOT NULL
                    GROUP BY \(unsafeRaw: ticketPeriod), \(unsafeRaw: ticketKey)
                    """).all()
                for result in firstWaits {
                    var entry = row(try result.decode(column: "p", as: String.self), try result.decode(column: "k", as: String.self))
                    entry.actualFirstWaitAverage = try result.decode(column: "actual", as: Double?.self).map { $0 / 1e6 }
                    store(entry)
                }
            }

            let hourSQL = query.grouping.countsTickets
                ? "SELECT \(Self.hourSQL("t.issued_at")) AS h, COUNT(*) AS n FROM tickets t WHERE t.business_date BETWEEN "
                : "SELECT \(Self.hourSQL("t.called_at")) AS h, COUNT(*) AS n FROM service_records t WHERE t.business_date BETWEEN "
            let hours = try await db.raw("""
                \(unsafeRaw: hourSQL) \(bind: query.from) AND \(bind: query.to) AND t.office_id IN (\(binds: offices)) GROUP BY 1 ORDER BY 1
                """).all().map { HourBand(hour: try $0.decode(column: "h", as: Int.self), count: try $0.decode(column: "n", as: Int.self)) }
            let web = try await db.raw("""
                SELECT page, SUM(hits) AS hits FROM web_access
                WHERE business_date BETWEEN \(bind: query.from) AND \(bind: query.to) AND (office_id IN (\(binds: offices)) OR office_id = '')
                GROUP BY page ORDER BY page
                """).all().map { WebAccessCount(page: try $0.decode(column: "page", as: String.self), hits: try $0.decode(column: "hits", as: Int.self)) }
            let sorted = rows.values.sorted { ($0.period, $0.key) < ($1.period, $1.key) }
            return StatisticsReport(query: query, rows: sorted, hourBands: hours, webAccess: web)
        }
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
                try await db.raw("""
                    INSERT INTO web_access (business_date, page, office_id, hits) VALUES (\(bind: key.businessDate), \(bind: key.page), \(bind: key.officeID), \(bind: hits))
                    ON CONFLICT (business_date, page, office_id) DO UPDATE SET hits = web_access.hits + excluded.hits
                    """).run()
            }
        }
    }

    // MARK: Saved report definitions

    public func definitions() async throws -> [ReportDefinition] {
        try await database.withConnection { db in
            try await db.raw("SELECT definition FROM report_definitions ORDER BY name").all().map {
                try JSONDecoder().decode(ReportDefinition.self, from: Data(try $0.decode(column: "definition", as: String.self).utf8))
            }
        }
    }

    public func save(_ definition: ReportDefinition, by login: String) async throws {
        let json = String(decoding: try JSONEncoder().encode(definition), as: UTF8.self)
        try await database.withConnection { db in
            try await db.raw("""
                INSERT INTO report_definitions (id, name, definition, created_by, created_at)
                VALUES (\(bind: definition.id), \(bind: definition.name), \(bind: json), \(bind: login), \(bind: Timestamp.micros(Date())))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition = excluded.definition
                """).run()
        }
    }

    public func deleteDefinition(id: String) async throws {
        try await database.withConnection { db in try await db.raw("DELETE FROM report_definitions WHERE id = \(bind: id)").run() }
    }
}
