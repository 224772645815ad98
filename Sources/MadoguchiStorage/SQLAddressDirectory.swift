import Foundation
import MadoguchiCore
import SQLKit

/// Japan Post's towns on the database: replaced whole by an import, read by postal code, by list or by prefixes.
public struct SQLAddressDirectory: AddressDirectory {
    let database: Database
    public init(database: Database) { self.database = database }

    public func replace(with addresses: [PostalAddress], progress: @Sendable (Double) -> Void) async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM postal_addresses").run()
            // Many rows per statement: KEN_ALL has about 124,000 towns.
            let batch = 400
            for start in stride(from: 0, to: addresses.count, by: batch) {
                let rows = addresses[start..<min(start + batch, addresses.count)].map { a -> SQLQueryString in
                    """
                    (\(bind: a.postalCode), \(bind: a.jisCode), \(bind: a.prefecture), \(bind: a.city), \(bind: a.town), \(bind: a.townNote),
                     \(bind: a.prefectureKana), \(bind: a.cityKana), \(bind: a.townKana))
                    """
                }
                try await db.raw(
                    """
                    INSERT INTO postal_addresses (postal_code, jis_code, prefecture, city, town, town_note, prefecture_kana, city_kana, town_kana)
                    VALUES \(rows.joined(separator: ", "))
                    """
                ).run()
                progress(Double(min(start + batch, addresses.count)) / Double(max(addresses.count, 1)))
            }
        }
    }

    func rows(_ query: SQLQueryString) async throws -> [PostalAddress] {
        try await database.withConnection { db in
            try await db.raw(query).all().map { row in
                PostalAddress(
                    jisCode: try row.decode(column: "jis_code", as: String.self), postalCode: try row.decode(column: "postal_code", as: String.self),
                    prefecture: try row.decode(column: "prefecture", as: String.self), city: try row.decode(column: "city", as: String.self),
                    town: try row.decode(column: "town", as: String.self), townNote: try row.decode(column: "town_note", as: String.self),
                    prefectureKana: try row.decode(column: "prefecture_kana", as: String.self), cityKana: try row.decode(column: "city_kana", as: String.self),
                    townKana: try row.decode(column: "town_kana", as: String.self))
            }
        }
    }

    public func addresses(postalCode: String) async throws -> [PostalAddress] {
        try await rows("SELECT * FROM postal_addresses WHERE postal_code = \(bind: postalCode) ORDER BY id")
    }

    public func prefectures() async throws -> [String] {
        // In Japan Post's order (by 地方公共団体コード), not by character code.
        try await database.withConnection { db in
            try await db.raw("SELECT prefecture, MIN(jis_code) AS code FROM postal_addresses GROUP BY prefecture ORDER BY code").all()
                .map { try $0.decode(column: "prefecture", as: String.self) }
        }
    }

    public func cities(prefecture: String) async throws -> [String] {
        try await database.withConnection { db in
            try await db.raw(
                """
                SELECT city, MIN(jis_code) AS code FROM postal_addresses WHERE prefecture = \(bind: prefecture) GROUP BY city ORDER BY code
                """
            ).all().map { try $0.decode(column: "city", as: String.self) }
        }
    }

    public func towns(prefecture: String, city: String) async throws -> [PostalAddress] {
        try await rows("SELECT * FROM postal_addresses WHERE prefecture = \(bind: prefecture) AND city = \(bind: city) ORDER BY id")
    }

    public func search(prefecture: String, city: String, town: String, limit: Int) async throws -> [PostalAddress] {
        func prefix(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        return try await rows(
            """
            SELECT * FROM postal_addresses
            WHERE prefecture LIKE \(bind: prefix(prefecture)) ESCAPE '\\' AND city LIKE \(bind: prefix(city)) ESCAPE '\\'
              AND town LIKE \(bind: prefix(town)) ESCAPE '\\'
            ORDER BY jis_code, id LIMIT \(literal: max(1, min(limit, 500)))
            """)
    }

    public func count() async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM postal_addresses").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
