import ArgumentParser
import Foundation
import Synchronization
import Hummingbird
import Logging
import MadoguchiCore
import MadoguchiDevices
import MadoguchiStorage
import MadoguchiWeb
import ServiceLifecycle

/// `madoguchi`: one binary for serving and operating the system.
public struct MadoguchiCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "madoguchi",
        abstract: "Madoguchi — 窓口の発券・呼出・表示・予約のためのサーバー",
        subcommands: [Serve.self, Migrate.self, Demo.self, Users.self, Kiosks.self, PrintAgentCommand.self, Audit.self, BackupCommand.self, RestoreCommand.self, ReservationsCommand.self, AddressesCommand.self, FormsCommand.self, CasesCommand.self,
                      ConfigCommand.self],
        defaultSubcommand: Serve.self)
    public init() {}
}

/// `--database URL`, else `MADOGUCHI_DATABASE_URL`, else the embedded SQLite file.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "sqlite://相対パス, sqlite:///絶対パス または postgres://user:pass@host:port/db（既定: MADOGUCHI_DATABASE_URL か sqlite://data/madoguchi.sqlite）")
    var database: String?

    func url() throws -> DatabaseURL {
        guard let text = database ?? ProcessInfo.processInfo.environment["MADOGUCHI_DATABASE_URL"], !text.isEmpty else {
            return .defaultSQLite
        }
        do {
            return try DatabaseURL(parsing: text)
        } catch let error as DatabaseURL.ParseError {
            throw ValidationError(error.description)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Webサーバーを起動します。")

    @Option(help: "待ち受けるアドレス") var host = "127.0.0.1"
    @Option(help: "待ち受けるポート") var port = 8080
    @OptionGroup var databaseOptions: DatabaseOptions
    @Flag(help: "データベースが空ならデモの市（練馬区がモデル）を読み込みます。") var demo = false

    func run() async throws {
        let url = try databaseOptions.url()
        var logger = Logger(label: "madoguchi")
        logger.logLevel = .info
        // SQLite has one server, which migrates its own file; several PostgreSQL instances wait for `madoguchi migrate`.
        let migrate: Bool = if case .sqlite = url { true } else { false }
        let environment = ProcessInfo.processInfo.environment
        var settings = WebSettings(secureCookies: environment["MADOGUCHI_SECURE_COOKIES"] == "1")
        settings.publicBaseURL = environment["MADOGUCHI_PUBLIC_URL"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            ?? "http://\(host):\(port)"
        if let seconds = environment["MADOGUCHI_SSE_HEARTBEAT_SECONDS"].flatMap(Double.init), seconds > 0 {
            settings.heartbeat = .milliseconds(Int(seconds * 1000))
        }
        let senders: [ContactChannel: any MessageSender]
        let cipher: ContactCipher
        do {
            senders = try MessageSenders.configured(environment: environment)
            cipher = try DataKeys.cipher(for: url, environment: environment)
        } catch let error as CustomStringConvertible & Error {
            throw ValidationError(error.description)
        }
        var policy = SignInPolicy()
        if let minutes = environment["MADOGUCHI_SESSION_IDLE_MINUTES"] {
            guard let value = Int(minutes), (1...1440).contains(value) else {
                throw ValidationError("MADOGUCHI_SESSION_IDLE_MINUTES は1から1440（分）で指定してください。")
            }
            policy.idleTimeout = TimeInterval(value * 60)
        }
        let caseSettings: CaseSettings
        do {
            caseSettings = try CaseSettings(environment: environment)
        } catch let error as CustomStringConvertible & Error {
            throw ValidationError(error.description)
        }
        let runtime = try await MadoguchiRuntime.open(
            url, migrate: migrate, logger: logger, cipher: cipher, publicBaseURL: settings.publicBaseURL, signInPolicy: policy,
            forms: caseSettings.forms, masking: caseSettings.masking)
        do {
            if demo, try await DemoLoader.loadIfEmpty(runtime) { print("デモの市を読み込みました。") }
            var delivery = DeliveryService(runtime: runtime, senders: senders)
            delivery.caseRetentionDays = caseSettings.retentionDays
            if let days = environment["MADOGUCHI_AUDIT_RETENTION_DAYS"] {
                guard let value = Int(days), value >= 365 else {
                    throw ValidationError("MADOGUCHI_AUDIT_RETENTION_DAYS は365日以上で指定してください。")
                }
                delivery.auditRetentionDays = value
            }
            var services: [any ServiceLifecycle.Service] = [delivery]
            if let directory = environment["MADOGUCHI_BACKUP_DIR"], !directory.isEmpty {
                let time = (environment["MADOGUCHI_BACKUP_TIME"] ?? "02:00").split(separator: ":").compactMap { Int($0) }
                let keep = Int(environment["MADOGUCHI_BACKUP_KEEP"] ?? "7") ?? 0
                guard time.count == 2, (0..<24).contains(time[0]), (0..<60).contains(time[1]), (1...365).contains(keep) else {
                    throw ValidationError("MADOGUCHI_BACKUP_TIME は HH:MM、MADOGUCHI_BACKUP_KEEP は1から365で指定してください。")
                }
                services.append(BackupService(runtime: runtime, directory: directory, minuteOfDay: time[0] * 60 + time[1], keep: keep))
            }
            if runtime.database.kind == .postgres { services.append(FollowerService(runtime: runtime)) }
            let app = Application(
                router: try buildRouter(runtime.webDependencies, settings: settings),
                configuration: .init(address: .hostname(host, port: port), serverName: "madoguchi"),
                services: services,
                onServerRunning: { _ in printScreens(runtime: runtime, host: host, port: port, demo: demo) },
                logger: logger)
            try await app.runService()
        } catch {
            await runtime.close()
            throw error
        }
        await runtime.close()
    }

    private func printScreens(runtime: MadoguchiRuntime, host: String, port: Int, demo: Bool) {
        let base = "http://\(host):\(port)"
        var lines = ["Madoguchi が起動しました（データベース: \(runtime.database.url)）", ""]
        // What a newcomer wants first, then every screen.
        let layout = runtime.layout.current
        lines.append("まずはここから:")
        lines.append("  市民向けの待ち状況  \(base)/")
        lines.append("  窓口の予約          \(base)/reserve")
        lines.append("  職員メニュー        \(base)/staff")
        lines.append("  管理（設定・職員）  \(base)/admin")
        if let kiosk = layout.kiosks.first { lines.append("  発券機              \(base)/kiosk/\(kiosk.id)") }
        if let lobby = layout.monitors.first(where: { $0.kind == .lobby }) { lines.append("  待合モニター        \(base)/display/lobby/\(lobby.id)") }
        if let counter = layout.counters.first { lines.append("  窓口操作            \(base)/staff/counter/\(counter.id)") }
        if demo {
            lines.append("")
            lines.append("デモ用サインイン（パスワードはどれも madoguchi-demo）:")
            for user in DemoCity.users {
                let offices = user.offices.isEmpty ? "全窓口" : user.offices.compactMap { layout.office($0)?.name }.joined(separator: "・")
                lines.append("  \(user.login.padding(toLength: 16, withPad: " ", startingAt: 0)) \(user.role.japaneseName)（\(offices)）")
            }
        }
        lines.append("")
        lines.append("すべての画面:")
        lines.append("  API の説明        \(base)/api/v1/openapi.yaml")
        lines.append("  窓口の一覧        \(base)/api/v1/offices")
        for office in runtime.layout.current.offices {
            lines.append("  待ち状況 \(office.name)  \(base)/api/v1/offices/\(office.id)/status")
        }
        for office in layout.offices {
            lines.append("  \(office.name)")
            for kiosk in layout.kiosks where kiosk.officeID == office.id { lines.append("    発券機          \(base)/kiosk/\(kiosk.id)") }
            for monitor in layout.monitors where monitor.officeID == office.id {
                lines.append("    \(monitor.kind == .lobby ? "待合モニター    " : "バックヤード    ")\(base)/display/\(monitor.kind.rawValue)/\(monitor.id)")
            }
            if let counter = layout.counters(in: office.id).first {
                lines.append("    窓口操作        \(base)/staff/counter/\(counter.id)")
                lines.append("    窓口表示        \(base)/display/counter/\(counter.id)")
            }
        }
        lines.append("  機器と発券メニュー \(base)/staff/devices")
        lines.append("  書かない窓口      \(base)/staff/forms")
        lines.append("  ライブイベント(SSE) \(base)/events/offices/{窓口ID}")
        lines.append("  稼働確認          \(base)/healthz")
        // Written straight to the descriptor: shown at once also when output goes to a file or a service log.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

/// Applies events of other instances to this instance's projection while the server runs.
struct FollowerService: ServiceLifecycle.Service {
    let runtime: MadoguchiRuntime
    func run() async throws {
        await cancelWhenGracefulShutdown { await runtime.followOtherInstances() }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "データベースのスキーマを最新にします。")
    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let url = try databaseOptions.url()
        let database = try await Database.open(url)
        do {
            let applied = try await Migrator.migrate(database)
            print(applied.isEmpty ? "スキーマは最新です（\(url)）。" : "適用しました: \(applied.map(String.init).joined(separator: ", "))（\(url)）")
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "空のデータベースにデモの市を読み込みます。--history で過去の利用実績も作ります。")
    @OptionGroup var databaseOptions: DatabaseOptions
    @Option(help: "昨日までの過去の日数分の利用実績（1年で約700万件）を作ります（統計とベンチマーク用）。") var history: Int?
    @Option(help: "1年あたりの発券数（--history と一緒に）") var ticketsPerYear = 7_000_000

    func validate() throws {
        if let history, !(1...800).contains(history) { throw ValidationError("--history は1から800（日）で指定してください。") }
        guard (1_000...50_000_000).contains(ticketsPerYear) else { throw ValidationError("--tickets-per-year は1000から5000万で指定してください。") }
    }

    func run() async throws {
        let url = try databaseOptions.url()
        // The real key ring: the demo's imported reservation IDs carry sealed dates of birth.
        let runtime = try await MadoguchiRuntime.open(url, migrate: true,
                                                      cipher: try DataKeys.cipher(for: url, environment: ProcessInfo.processInfo.environment))
        do {
            let loaded = try await DemoLoader.loadIfEmpty(runtime)
            if !loaded, history == nil {
                throw ValidationError("データベースは空ではありません。デモは空のデータベースにだけ読み込めます。")
            }
            if loaded {
                print("デモの市を読み込みました: 窓口 \(runtime.layout.current.offices.count) か所、業務 \(runtime.layout.current.services.count)、カウンター \(runtime.layout.current.counters.count)")
            }
            if let history { try await generateHistory(days: history, runtime: runtime) }
        } catch {
            await runtime.close()
            throw error
        }
        await runtime.close()
    }

    private func generateHistory(days: Int, runtime: MadoguchiRuntime) async throws {
        let writer = SQLHistoryWriter(database: runtime.database)
        let dates = HistoryGenerator.businessDays(last: days, before: runtime.clock.now())
        guard let first = dates.first, let last = dates.last else { return }
        let (from, to) = (CityCalendar.businessDate(of: first), CityCalendar.businessDate(of: last))
        if try await writer.hasTickets(from: from, to: to) {
            throw ValidationError("\(from)〜\(to) には既に番号札の記録があります。履歴は記録のない期間にだけ作れます。")
        }
        var generator = HistoryGenerator(layout: runtime.layout.current)
        generator.ticketsPerYear = ticketsPerYear
        let started = Date()
        var written = 0
        let progress = ProgressBar(total: dates.count, label: "履歴を作成")
        for (index, date) in dates.enumerated() {
            let day = generator.day(date, index: index)
            try await writer.append(tickets: day.tickets, records: day.records)
            written += day.tickets.count
            progress.update(index + 1, detail: "\(written.formatted())件")
        }
        progress.finish()
        print("\(from)〜\(to) の \(dates.count) 営業日に \(written.formatted()) 件の番号札を作りました（\(Int(Date().timeIntervalSince(started)))秒）。")
        let rollupStarted = Date()
        let rollupProgress = ProgressBar(total: dates.count, label: "日ごとの集計")
        try await SQLStatisticsStore(database: runtime.database).rollUp(from: from, to: to) { done, total in
            rollupProgress.update(done, of: total, detail: "")
        }
        rollupProgress.finish()
        print("日ごとの集計を作りました（\(Int(Date().timeIntervalSince(rollupStarted)))秒）。")
    }
}

/// A progress bar on standard error, redrawn in place on a terminal and printed every tenth otherwise.
final class ProgressBar: Sendable {
    let total: Int
    let label: String
    private let interactive = isatty(STDERR_FILENO) != 0
    private let lastTenth = Mutex(-1)

    init(total: Int, label: String) {
        self.total = max(1, total)
        self.label = label
    }

    func update(_ done: Int, of total: Int? = nil, detail: String) {
        let total = max(1, total ?? self.total)
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let line = "\(label) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total) \(detail)"
        if interactive {
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        } else if lastTenth.withLock({ let changed = $0 != Int(fraction * 10); $0 = Int(fraction * 10); return changed }) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func finish() { if interactive { FileHandle.standardError.write(Data("\n".utf8)) } }
}

enum DemoLoader {
    /// Loads the demo city and its demo users when no office is configured yet.
    static func loadIfEmpty(_ runtime: MadoguchiRuntime) async throws -> Bool {
        let layouts = SQLLayoutStore(database: runtime.database)
        guard try await layouts.isEmpty() else { return false }
        try await layouts.add(DemoCity.layout)
        for user in DemoCity.users where try await runtime.staffAccess.users.user(login: user.login) == nil {
            _ = try await runtime.staffAccess.addUser(login: user.login, role: user.role, officeIDs: user.offices, password: user.password)
        }
        _ = try await runtime.reservations.store.importIDs(DemoCity.reservationIDs, at: runtime.clock.now())
        let addresses = SQLAddressDirectory(database: runtime.database)
        if try await addresses.count() == 0 { try await addresses.replace(with: DemoAddresses.addresses, progress: { _ in }) }
        for office in DemoCity.layout.offices where try await runtime.cases.store.phrases(officeID: office.id).isEmpty {
            try await runtime.cases.store.setPhrases(DemoCases.phrases, officeID: office.id)
        }
        try await runtime.rebuildProjection()
        return true
    }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "職員アカウントを管理します。", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "職員を追加します。パスワードは標準入力から読みます。")
        @Option(help: "ログインID") var login: String
        @Option(help: "役割: \(Role.allCases.map(\.rawValue).joined(separator: ", "))") var role: String
        @Option(name: .customLong("office"), parsing: .upToNextOption, help: "担当する窓口のID（複数可）") var offices: [String] = []
        @Flag(help: "パスワードを標準入力から読みます（必須）") var passwordStdin = false
        @OptionGroup var databaseOptions: DatabaseOptions

        func validate() throws {
            guard passwordStdin else { throw ValidationError("--password-stdin を指定し、パスワードを標準入力から渡してください。") }
            guard Role(rawValue: role) != nil else {
                throw ValidationError("役割「\(role)」はありません。使える役割: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("標準入力からパスワードを読めませんでした。")
            }
            let url = try databaseOptions.url()
            let runtime = try await MadoguchiRuntime.open(url, migrate: true, cipher: try DataKeys.cipher(for: url, environment: ProcessInfo.processInfo.environment))
            do {
                let known = Set(runtime.layout.current.offices.map(\.id))
                let unknown = offices.filter { !known.contains($0) }
                guard unknown.isEmpty else { throw ValidationError("窓口ID「\(unknown.joined(separator: ", "))」はありません。") }
                let user = try await runtime.staffAccess.addUser(login: login, role: Role(rawValue: role)!, officeIDs: offices, password: line)
                print("職員「\(user.login)」（\(user.role.rawValue)）を追加しました。")
            } catch let error as AccessError {
                await runtime.close()
                throw ValidationError(Self.message(error))
            } catch {
                await runtime.close()
                throw error
            }
            await runtime.close()
        }

        static func message(_ error: AccessError) -> String {
            switch error {
            case .loginTaken(let login): "ログインID「\(login)」は既に使われています。"
            case .invalidLogin: "ログインIDは英数字と . _ - @ の64文字以内で指定してください。"
            case .weakPassword: "パスワードは10文字以上で、4種類以上の文字を含めてください。"
            default: "職員を追加できませんでした。"
            }
        }
    }
}

struct Kiosks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "発券機の設定を扱います。", subcommands: [AgentKey.self])

    struct AgentKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent-key", abstract: "発券機の印刷エージェント用の鍵を新しく作り、表示します（以前の鍵は無効になります）。")
        @Option(help: "発券機のID") var kiosk: String
        @OptionGroup var databaseOptions: DatabaseOptions

        func run() async throws {
            let url = try databaseOptions.url()
            let runtime = try await MadoguchiRuntime.open(url, migrate: false, cipher: try DataKeys.cipher(for: url, environment: ProcessInfo.processInfo.environment))
            do {
                guard runtime.layout.current.kiosk(kiosk) != nil else { throw ValidationError("発券機「\(kiosk)」はありません。") }
                let key = TokenGenerator.token()
                try await runtime.devices.setAgentKey(kioskID: kiosk, key: key)
                print(key)
            } catch {
                await runtime.close()
                throw error
            }
            await runtime.close()
        }
    }
}

struct PrintAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print-agent", abstract: "発券機の番号札をサーマルプリンター（ESC/POS）で印刷し続けます。")
    @Option(help: "発券機のID") var kiosk: String
    @Option(help: "プリンター: tcp://ホスト:9100 またはデバイスのパス（/dev/usb/lp0）") var printer: String
    @Option(help: "サーバーのURL（既定: MADOGUCHI_SERVER_URL か http://127.0.0.1:8080）") var server: String?
    @Option(help: "`madoguchi kiosks agent-key` の鍵（既定: MADOGUCHI_AGENT_KEY）") var key: String?
    @Option(help: "プリンターの異常時などに再試行する間隔（秒）") var retrySeconds: Double = 5

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let key = key ?? environment["MADOGUCHI_AGENT_KEY"], !key.isEmpty else {
            throw ValidationError("印刷エージェントの鍵を --key か MADOGUCHI_AGENT_KEY で指定してください（madoguchi kiosks agent-key で作れます）。")
        }
        let address: PrinterAddress
        do { address = try PrinterAddress(parsing: printer) } catch let error as PrinterError { throw ValidationError(error.description) }
        let server = server ?? environment["MADOGUCHI_SERVER_URL"] ?? "http://127.0.0.1:8080"
        var logger = Logger(label: "madoguchi.print-agent")
        logger.logLevel = .info
        guard retrySeconds >= 0.1, retrySeconds <= 3600 else { throw ValidationError("--retry-seconds は0.1から3600の間で指定してください。") }
        var agent = PrintAgent(server: server, kioskID: kiosk, key: key, printer: ThermalPrinter(address: address), logger: logger)
        agent.retryInterval = .milliseconds(Int(retrySeconds * 1000))
        do {
            try await agent.runUntilStopped { office in
                FileHandle.standardOutput.write(Data("印刷エージェントを開始しました（発券機 \(kiosk)、窓口 \(office)、プリンター \(address)）\n".utf8))
            }
        } catch let failure as PrintAgent.AgentFailure {
            throw ValidationError(failure.description)
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "監査ログを扱います。", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "監査ログのハッシュ連鎖を検証します。切れていれば最初の切れ目を表示し、0以外で終了します。")
        @OptionGroup var databaseOptions: DatabaseOptions
        @Option(name: .customLong("anchor"), help: "サーバーのログにある監査ログの先頭（例: 1234@k1:3f…）。何度でも指定できます。")
        var anchors: [String] = []

        func run() async throws {
            let url = try databaseOptions.url()
            let given = try anchors.map { text in
                guard let head = AuditHead(text) else { throw ValidationError("--anchor は「番号@値」の形です: \(text)") }
                return head
            }
            let keys = try DataKeys.cipher(for: url, environment: ProcessInfo.processInfo.environment)
            let database = try await Database.open(url)
            let result: (checked: Int, broken: AuditBreak?)
            do {
                let log = SQLAuditLog(database: database, keys: keys)
                result = try await log.verify(anchors: try await Backup.auditAnchors(in: database) + given)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            if let broken = result.broken {
                FileHandle.standardError.write(Data("\(broken.description)（それまでの \(result.checked) 件は正常）\n".utf8))
                throw ExitCode(2)
            }
            print("監査ログは正常です（\(result.checked) 件）。")
        }
    }
}

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "設定全体を JSON または YAML で書き出し、読み込みます。", subcommands: [Export.self, Import.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "設定全体を書き出します（既定は標準出力）。")
        @OptionGroup var databaseOptions: DatabaseOptions
        @Option(help: "json または yaml") var format = "yaml"
        @Option(help: "書き出すファイル") var out: String?

        func run() async throws {
            guard let format = ConfigurationDocument.Format(rawValue: format) else { throw ValidationError("--format は json または yaml です。") }
            let database = try await Database.open(try databaseOptions.url())
            let layout: OfficeLayout
            do { layout = try await SQLLayoutStore(database: database).load() } catch { await database.close(); throw error }
            await database.close()
            let text = try ConfigurationDocument.export(layout, as: format)
            if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) } else { print(text, terminator: "") }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "設定全体をファイルから読み込んで置き換えます。誤りがあれば行と列を示し、何も変更しません。PostgreSQL では稼働中の全サーバーにすぐ反映されます（SQLite で稼働中なら /admin/settings から読み込んでください）。")
        @OptionGroup var databaseOptions: DatabaseOptions
        @Argument(help: "JSON または YAML のファイル") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("ファイル「\(file)」を UTF-8 のテキストとして読めません。")
            }
            let configuration: CityConfiguration
            switch ConfigurationDocument.parse(text) {
            case .failure(let rejected): throw ValidationError("\(file): \(rejected.description)")
            case .success(let parsed): configuration = parsed
            }
            let url = try databaseOptions.url()
            let migrate: Bool = if case .sqlite = url { true } else { false }
            let runtime = try await MadoguchiRuntime.open(url, migrate: migrate, cipher: try DataKeys.cipher(for: url, environment: ProcessInfo.processInfo.environment))
            do {
                let before = runtime.layout.current
                try await SQLLayoutStore(database: runtime.database).replace(with: configuration.layout)
                try await runtime.audit.append(AuditEntry(
                    at: Date(), actor: "cli", action: "settings.import", target: file, address: "local",
                    detail: "offices \(before.offices.count) → \(configuration.offices.count), services \(before.services.count) → \(configuration.services.count)"))
                for officeID in configuration.difference(from: CityConfiguration(before)).officeIDs.sorted() {
                    try await runtime.queue.announceConfigurationChange(officeID: officeID)
                }
            } catch {
                await runtime.close()
                throw error
            }
            await runtime.close()
            print("設定を読み込みました: 窓口 \(configuration.offices.count)、業務 \(configuration.services.count)、カウンター \(configuration.counters.count)、発券機 \(configuration.kiosks.count)、モニター \(configuration.monitors.count)")
        }
    }
}

struct ReservationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reservations", abstract: "ウェブ予約のデータを扱います。", subcommands: [ImportIDs.self])

    struct ImportIDs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-ids",
            abstract: "マイナンバーカード受け取りの予約番号ファイル（予約番号,窓口コード[,生年月日]、UTF-8 または Shift_JIS）を読み込みます。誤りがあれば行と列を示し、何も登録しません。")
        @OptionGroup var databaseOptions: DatabaseOptions
        @Argument(help: "CSV ファイル") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file),
                  let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .shiftJIS) else {
                throw ValidationError("ファイル「\(file)」を UTF-8 または Shift_JIS のテキストとして読めません。")
            }
            let url = try databaseOptions.url()
            let migrate: Bool = if case .sqlite = url { true } else { false }
            // The real key ring: dates of birth are sealed with it.
            let cipher = try DataKeys.cipher(for: url, environment: ProcessInfo.processInfo.environment)
            let runtime = try await MadoguchiRuntime.open(url, migrate: migrate, cipher: cipher)
            do {
                switch ReservationIDImport.parse(text, knownOfficeCodes: runtime.layout.current.reservations.knownOfficeCodes) {
                case .failure(let rejected):
                    throw ValidationError("\(file): 誤りがあるため何も登録していません（\(rejected.faults.count)件）\n"
                                          + rejected.faults.map { "  \($0)" }.joined(separator: "\n"))
                case .success(let ids):
                    let result = try await runtime.reservations.store.importIDs(ids, at: Date())
                    try await runtime.audit.append(AuditEntry(
                        at: Date(), actor: "cli", action: "reservation_ids.imported", target: file, address: "local",
                        detail: "追加 \(result.added) 件・更新 \(result.updated) 件"))
                    print("予約番号を読み込みました: 追加 \(result.added) 件、更新 \(result.updated) 件")
                }
            } catch {
                await runtime.close()
                throw error
            }
            await runtime.close()
        }
    }
}

struct AddressesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "addresses", abstract: "郵便番号・住所のデータを扱います。", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "日本郵便の KEN_ALL.CSV（Shift_JIS、または utf_ken_all.csv）を読み込み、住所データを置き換えます。誤りがあれば行と列を示し、何も変更しません。")
        @OptionGroup var databaseOptions: DatabaseOptions
        @Argument(help: "KEN_ALL.CSV") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file),
                  let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .shiftJIS) else {
                throw ValidationError("ファイル「\(file)」を Shift_JIS または UTF-8 のテキストとして読めません。")
            }
            let reading = ProgressBar(total: 1000, label: "読み取り")
            let parsed = KenAllImport.parse(text) { reading.update(Int($0 * 1000), detail: "") }
            reading.finish()
            let addresses: [PostalAddress]
            switch parsed {
            case .failure(let rejected):
                throw ValidationError("\(file): 誤りがあるため何も変更していません（\(rejected.faults.count)件）\n"
                                      + rejected.faults.prefix(100).map { "  \($0)" }.joined(separator: "\n"))
            case .success(let parsed): addresses = parsed
            }
            let url = try databaseOptions.url()
            let database = try await Database.open(url)
            do {
                if case .sqlite = url { try await Migrator.migrate(database) }
                let writing = ProgressBar(total: addresses.count, label: "書き込み")
                try await SQLAddressDirectory(database: database).replace(with: addresses) { writing.update(Int($0 * Double(addresses.count)), detail: "") }
                writing.finish()
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            print("住所データを読み込みました: \(addresses.count) 件")
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "稼働中のままバックアップを取り、一時データベースに戻して確認し、古いものを整理します。")
    @OptionGroup var databaseOptions: DatabaseOptions
    @Option(help: "バックアップの置き場所") var to = "backups"
    @Option(help: "残す世代数") var keep = 7

    func run() async throws {
        guard (1...365).contains(keep) else { throw ValidationError("--keep は1から365で指定してください。") }
        let url = try databaseOptions.url()
        let database = try await Database.open(url)
        let report: Backup.Report
        do {
            report = try await Backup.runAndRecord(database, url: url, to: to, keep: keep)
        } catch let failure as Backup.Failure {
            await database.close()
            throw ValidationError(failure.description)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        print(BackupCommand.describe(report, verb: "バックアップを取り、戻せることを確認しました"))
    }

    static func describe(_ report: Backup.Report, verb: String) -> String {
        let rows = report.rows.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "\(verb): \(report.file)（\(report.bytes) バイト）\n行数: \(rows)"
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "確認済みのバックアップでデータベースを置き換えます（SQLite ではサーバーを止めてから）。")
    @OptionGroup var databaseOptions: DatabaseOptions
    @Option(help: "バックアップのファイル") var from: String

    func run() async throws {
        guard FileManager.default.fileExists(atPath: from) else { throw ValidationError("バックアップ \(from) がありません。") }
        do {
            let report = try await Backup.restore(from: from, into: try databaseOptions.url())
            print(BackupCommand.describe(report, verb: "戻しました"))
        } catch let failure as Backup.Failure {
            throw ValidationError(failure.description)
        }
    }
}
