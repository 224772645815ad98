import Foundation

/// Where the data lives: `sqlite://RELATIVE/PATH`, `sqlite:///ABSOLUTE/PATH` or `postgres://user:pass@host:port/db`.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(host: String, port: Int, user: String, password: String?, database: String, requireTLS: Bool)

    public static let defaultSQLite = DatabaseURL.sqlite(path: "data/madoguchi.sqlite")

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty, path != "/" else { throw ParseError(description: "SQLiteのファイルパスがありません: \(text)") }
            self = .sqlite(path: path)
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"), let components = URLComponents(string: text),
            let host = components.host, !host.isEmpty
        else {
            throw ParseError(description: "データベースURLの形式が正しくありません（sqlite://パス または postgres://ユーザー:パスワード@ホスト:ポート/DB名）: \(Self.redacted(text))")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw ParseError(description: "PostgreSQLのデータベース名がありません: \(Self.redacted(text))") }
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value
        self = .postgres(
            host: host, port: components.port ?? 5432, user: components.percentEncodedUser?.removingPercentEncoding ?? "postgres",
            password: components.percentEncodedPassword?.removingPercentEncoding, database: database,
            requireTLS: sslMode == "require" || sslMode == "verify-full")
    }

    /// The URL without its password, for logs and messages.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite://\(path)"
        case .postgres(let host, let port, let user, _, let database, _): return "postgres://\(user)@\(host):\(port)/\(database)"
        }
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "(URL)"
    }
}
