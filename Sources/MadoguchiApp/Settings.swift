import Configuration
import Foundation
import MadoguchiCore
import MadoguchiMessaging
import MadoguchiStorage
import MadoguchiWeb
import SystemPackage

/// One setting of a Madoguchi process. Its raw value is its key in the settings file (`http.port`); swift-configuration
/// maps that key to the environment variable (`MADOGUCHI_HTTP_PORT`). The table in README.md is generated from these
/// cases (a test keeps it in step).
public enum Setting: String, CaseIterable, Sendable {
    case configFile = "config.file"
    case databaseURL = "database.url"
    case httpHost = "http.host"
    case httpPort = "http.port"
    case publicURL = "public.url"
    case secureCookies = "secure.cookies"
    case sseHeartbeatSeconds = "sse.heartbeat.seconds"
    case sessionIdleMinutes = "session.idle.minutes"
    case smtpURL = "smtp.url"
    case smsURL = "sms.url"
    case dataKeys = "data.keys"
    case backupDir = "backup.dir"
    case backupTime = "backup.time"
    case backupKeep = "backup.keep"
    case auditRetentionDays = "audit.retention.days"
    case formsDir = "forms.dir"
    case caseMasks = "case.masks"
    case caseRetentionDays = "case.retention.days"
    case serverURL = "server.url"
    case agentKey = "agent.key"

    /// The environment variable swift-configuration reads for this key under the `madoguchi` prefix.
    public var environmentVariable: String { "MADOGUCHI_" + rawValue.uppercased().replacingOccurrences(of: ".", with: "_") }

    /// The command-line flag that sets it, where there is one.
    public var flag: String? {
        switch self {
        case .configFile: "--config"
        case .databaseURL: "--database"
        case .httpHost: "--host"
        case .httpPort: "--port"
        case .serverURL: "--server"
        case .agentKey: "--key"
        default: nil
        }
    }

    /// Values that carry passwords or keys: never echoed in a fault and marked secret to swift-configuration.
    public var isSecret: Bool { [.databaseURL, .smtpURL, .smsURL, .dataKeys, .agentKey].contains(self) }

    public var defaultText: String {
        switch self {
        case .configFile: "none"
        case .databaseURL: "`sqlite://data/madoguchi.sqlite`"
        case .httpHost: "`127.0.0.1`"
        case .httpPort: "`8080`"
        case .publicURL: "`http://HOST:PORT`"
        case .secureCookies: "`false`"
        case .sseHeartbeatSeconds: "`15`"
        case .sessionIdleMinutes: "`30`"
        case .backupTime: "`02:00`"
        case .backupKeep: "`7`"
        case .auditRetentionDays: "`400`"
        case .caseMasks: "the administrator's four"
        case .caseRetentionDays: "`90`"
        case .serverURL: "`http://127.0.0.1:8080`"
        case .smtpURL, .smsURL, .dataKeys, .backupDir, .formsDir, .agentKey: "none"
        }
    }

    public var meaning: String {
        switch self {
        case .configFile: "a YAML (or JSON) settings file with these keys, nested (`http: {port: 8080}`) or dotted (`http.port: 8080`)"
        case .databaseURL: "`sqlite://RELATIVE/PATH`, `sqlite:///ABSOLUTE/PATH` or `postgres://user:pass@host:port/db` (`?sslmode=require` for TLS)"
        case .httpHost: "address `serve` listens on"
        case .httpPort: "port `serve` listens on (1–65535)"
        case .publicURL: "address visitors reach the site at, for the QR codes on tickets and links in messages"
        case .secureCookies: "mark the session cookie `Secure` (`true`/`1` when the site is served over HTTPS)"
        case .sseHeartbeatSeconds: "interval of heartbeats on live streams (0.1–300 seconds)"
        case .sessionIdleMinutes: "staff sessions idle this long are signed out (1–1440)"
        case .smtpURL:
            "mail server, e.g. `smtp://user:pass@mail.city.example.jp:587?from=madoguchi@city.example.jp` (STARTTLS when offered; `&starttls=required` or `off`; `smtps://…:465` for TLS from the start)"
        case .smsURL:
            "SMS gateway: `webhook+https://sms.example.jp/send?token=SECRET` (POST `{\"to\",\"text\"}` with a bearer token) or `twilio+https://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com?from=%2B815012345678`"
        case .dataKeys:
            "key ring sealing personal data: `k2:BASE64,k1:BASE64` (32-byte keys; the first encrypts). Required on PostgreSQL (same on every instance); with SQLite a key file `data/madoguchi.sqlite.key` (mode 0600) is made on first start"
        case .backupDir: "take a verified backup there every day"
        case .backupTime: "time of the daily backup, `HH:MM` (Asia/Tokyo)"
        case .backupKeep: "backup generations kept (1–365)"
        case .auditRetentionDays: "how long audit entries are kept (at least 365)"
        case .formsDir:
            "a directory of the city's form layouts (`*.json`, docs/NO-WRITING-COUNTER.md): a file with a shipped form's id replaces it, others add forms; a faulty file stops start-up with its name and fault"
        case .caseMasks:
            "items each role sees masked in the no-writing counter, e.g. `admin=myNumber,residentRecordCode,residenceCardNumber,honseki;office_manager=myNumber`; a role with any mask reads only"
        case .caseRetentionDays: "days a case keeps its personal data, attachments and PDFs after its last change (1–3650); counts for reports remain"
        case .serverURL: "the server a `print-agent` talks to"
        case .agentKey: "the key of a `print-agent` (`madoguchi kiosks agent-key`)"
        }
    }

    /// How a fault names the setting: every way it can be given.
    var label: String { ([rawValue, environmentVariable] + (flag.map { [$0] } ?? [])).joined(separator: " / ") }

    /// README.md's settings table, generated from the cases.
    public static var markdownTable: String {
        var lines = ["| key in the settings file | environment variable | flag | default | meaning |", "|---|---|---|---|---|"]
        for setting in allCases {
            lines.append(
                "| `\(setting.rawValue)` | `\(setting.environmentVariable)` | \(setting.flag.map { "`\($0)`" } ?? "") | \(setting.defaultText) | \(setting.meaning) |"
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// Every fault found in the settings, each naming its setting; the process does not start with any.
public struct SettingsFaults: Error, CustomStringConvertible, Sendable {
    public var faults: [String]
    public var description: String { (["設定に誤りがあります（\(faults.count)件）:"] + faults.map { "  - \($0)" }).joined(separator: "\n") }
}

/// The daily backup: where, when (minutes after midnight, Asia/Tokyo) and how many generations.
public struct BackupSchedule: Sendable, Equatable {
    public var directory: String
    public var minuteOfDay: Int
    public var keep: Int
}

/// All settings of a Madoguchi process, read once at start through swift-configuration from, in this order,
/// command-line flags, the environment (`MADOGUCHI_*`), an optional settings file and the defaults, and validated
/// as a whole.
public struct MadoguchiSettings: Sendable {
    public var database: DatabaseURL = .defaultSQLite
    public var host = "127.0.0.1"
    public var port = 8080
    public var publicURL: String?
    public var secureCookies = false
    public var heartbeatSeconds = 15.0
    public var signInPolicy = SignInPolicy()
    public var smtp: SMTPSettings?
    public var sms: SMSGatewaySettings?
    /// The key ring, parsed once here; nil means the SQLite key file (DataKeys).
    public var dataKeys: ContactCipher?
    public var backup: BackupSchedule?
    public var auditRetentionDays = 400
    public var formsDirectory: String?
    public var caseMasking: CaseMaskingPolicy = .standard
    public var caseRetentionDays = 90
    public var serverURL = "http://127.0.0.1:8080"
    public var agentKey: String?

    public init() {}

    /// Where visitors reach the site, without a trailing slash.
    public var publicBaseURL: String { publicURL ?? "http://\(host):\(port)" }

    public var web: WebSettings {
        WebSettings(secureCookies: secureCookies, heartbeat: .milliseconds(Int(heartbeatSeconds * 1000)), publicBaseURL: publicBaseURL)
    }

    /// Reads the layers and validates them. `flags` are the values given on the command line.
    public static func load(flags: [Setting: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment) async throws
        -> MadoguchiSettings
    {
        var providers = upperLayers(flags: flags, environment: environment)
        if let path = flags[.configFile] ?? environment[Setting.configFile.environmentVariable], !path.isEmpty {
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
            } catch {
                throw SettingsFaults(faults: ["\(Setting.configFile.label): 設定ファイル \(path) を読めません（\(error)）。"])
            }
        }
        return try read(ConfigReader(providers: providers))
    }

    /// The layers above the settings file: the flags given, then the environment under the `madoguchi` prefix.
    static func upperLayers(flags: [Setting: String], environment: [String: String]) -> [any ConfigProvider] {
        let flagValues = Dictionary(
            uniqueKeysWithValues: flags.map { setting, value in
                (AbsoluteConfigKey(ConfigKey(setting.rawValue)), ConfigValue(.string(value), isSecret: setting.isSecret))
            })
        return [
            InMemoryProvider(name: "flags", values: flagValues),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "madoguchi")
        ]
    }

    /// A reader of the flags and the environment alone.
    static func reader(flags: [Setting: String], environment: [String: String]) -> ConfigReader {
        ConfigReader(providers: upperLayers(flags: flags, environment: environment))
    }

    /// Reads every setting from `reader`, collecting every fault before failing.
    static func read(_ reader: ConfigReader) throws -> MadoguchiSettings {
        var settings = MadoguchiSettings()
        var faults: [String] = []
        func text(_ setting: Setting) -> String? {
            guard let value = reader.string(forKey: ConfigKey(setting.rawValue), isSecret: setting.isSecret)?.trimmingCharacters(in: .whitespaces),
                !value.isEmpty
            else { return nil }
            return value
        }
        func fault(_ setting: Setting, _ message: String) {
            let shown = setting.isSecret ? "" : "「\(text(setting) ?? "")」: "
            faults.append("\(setting.label): \(shown)\(message)")
        }
        func integer(_ setting: Setting, in range: ClosedRange<Int>, unit: String) -> Int? {
            guard let value = text(setting) else { return nil }
            guard let number = Int(value), range.contains(number) else {
                fault(setting, "\(range.lowerBound)から\(range.upperBound)（\(unit)）の整数で指定してください。")
                return nil
            }
            return number
        }
        /// Runs a parser whose error already says what is wrong in Japanese.
        func parsed<T>(_ setting: Setting, _ parse: (String) throws -> T) -> T? {
            guard let value = text(setting) else { return nil }
            do { return try parse(value) } catch {
                faults.append("\(setting.label): \(error)")
                return nil
            }
        }

        if let url = parsed(.databaseURL, { try DatabaseURL(parsing: $0) }) { settings.database = url }
        if let host = text(.httpHost) { settings.host = host }
        if let port = integer(.httpPort, in: 1...65535, unit: "ポート番号") { settings.port = port }
        if let url = text(.publicURL) {
            if let parts = URLComponents(string: url), ["http", "https"].contains(parts.scheme ?? ""), parts.host?.isEmpty == false {
                settings.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            } else {
                fault(.publicURL, "https://madoguchi.city.example.jp のように http(s):// から始まるアドレスで指定してください。")
            }
        }
        if let flag = text(.secureCookies) {
            switch flag.lowercased() {
            case "1", "true", "yes": settings.secureCookies = true
            case "0", "false", "no": settings.secureCookies = false
            default: fault(.secureCookies, "true か false（1 か 0）で指定してください。")
            }
        }
        if let value = text(.sseHeartbeatSeconds) {
            if let seconds = Double(value), (0.1...300).contains(seconds) {
                settings.heartbeatSeconds = seconds
            } else {
                fault(.sseHeartbeatSeconds, "0.1から300（秒）の数で指定してください。")
            }
        }
        if let minutes = integer(.sessionIdleMinutes, in: 1...1440, unit: "分") { settings.signInPolicy.idleTimeout = TimeInterval(minutes * 60) }
        settings.smtp = parsed(.smtpURL) { try SMTPSettings(parsing: $0) }
        settings.sms = parsed(.smsURL) { try SMSGatewaySettings(parsing: $0) }
        settings.dataKeys = parsed(.dataKeys) { try ContactCipher(parsing: $0) }

        let backupTime = text(.backupTime).map { value -> Int? in
            guard let minutes = ClockTime.minutes(value), minutes < 24 * 60 else {
                fault(.backupTime, "02:00 のように HH:MM で指定してください。")
                return nil
            }
            return minutes
        }
        let keep = integer(.backupKeep, in: 1...365, unit: "世代")
        if let directory = text(.backupDir) {
            settings.backup = BackupSchedule(directory: directory, minuteOfDay: (backupTime ?? nil) ?? 2 * 60, keep: keep ?? 7)
        }
        if let days = integer(.auditRetentionDays, in: 365...36500, unit: "日") { settings.auditRetentionDays = days }
        settings.formsDirectory = text(.formsDir)
        if let masks = text(.caseMasks) {
            switch CaseMaskingPolicy.parse(masks) {
            case .success(let policy): settings.caseMasking = policy
            case .failure(let error): faults.append("\(Setting.caseMasks.label): \(error.description)")
            }
        }
        if let days = integer(.caseRetentionDays, in: 1...3650, unit: "日") { settings.caseRetentionDays = days }
        if let url = text(.serverURL) { settings.serverURL = url }
        settings.agentKey = text(.agentKey)

        guard faults.isEmpty else { throw SettingsFaults(faults: faults) }
        return settings
    }
}
