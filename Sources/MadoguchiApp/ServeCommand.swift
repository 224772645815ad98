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
        settings.publicBaseURL =
            environment["MADOGUCHI_PUBLIC_URL"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
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
        try await MadoguchiRuntime.using(
            url, migrate: migrate, logger: logger, cipher: cipher, publicBaseURL: settings.publicBaseURL, signInPolicy: policy,
            forms: caseSettings.forms, masking: caseSettings.masking
        ) { runtime in
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
        }
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
