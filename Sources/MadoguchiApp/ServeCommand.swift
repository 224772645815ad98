import ArgumentParser
import Foundation
import Synchronization
import Hummingbird
import Logging
import MadoguchiCore
import MadoguchiDevices
import MadoguchiDocuments
import MadoguchiStorage
import MadoguchiWeb
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Webサーバーを起動します。")

    @Option(help: "待ち受けるアドレス（既定: MADOGUCHI_HTTP_HOST か 127.0.0.1）") var host: String?
    @Option(help: "待ち受けるポート（既定: MADOGUCHI_HTTP_PORT か 8080）") var port: Int?
    @OptionGroup var settingsOptions: SettingsOptions
    @Flag(help: "データベースが空ならデモの市（練馬区がモデル）を読み込みます。") var demo = false

    func run() async throws {
        let settings = try await settingsOptions.settings([.httpHost: host, .httpPort: port.map(String.init)])
        var logger = Logger(label: "madoguchi")
        logger.logLevel = .info
        // SQLite has one server, which migrates its own file; several PostgreSQL instances wait for `madoguchi migrate`.
        let migrate: Bool = if case .sqlite = settings.database { true } else { false }
        let cipher: ContactCipher
        let forms: FormCatalogue
        do {
            cipher = try DataKeys.cipher(for: settings)
            forms = try FormLibrary.load(cityDirectory: settings.formsDirectory)
        } catch let error as CustomStringConvertible & Error {
            throw ValidationError(error.description)
        }
        try await MadoguchiRuntime.using(
            settings.database, migrate: migrate, logger: logger, cipher: cipher, publicBaseURL: settings.publicBaseURL,
            signInPolicy: settings.signInPolicy, forms: forms, masking: settings.caseMasking
        ) { runtime in
            if demo, try await DemoLoader.loadIfEmpty(runtime) { print("デモの市を読み込みました。") }
            let app = try buildApplication(settings: settings, runtime: runtime) { _ in
                printScreens(runtime: runtime, host: settings.host, port: settings.port, demo: demo)
            }
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
