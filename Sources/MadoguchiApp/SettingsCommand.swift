import ArgumentParser
import Foundation
import MadoguchiCore

/// `madoguchi settings`: checks the settings as `serve` would read them and shows what is in effect, so an IT
/// officer can check a change before restarting; `--table` prints README's table of every setting.
struct SettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "設定（フラグ・環境変数・設定ファイル）を検査し、有効な値を表示します（秘密の値は伏せます）。")
    @OptionGroup var settingsOptions: SettingsOptions
    @Flag(help: "すべての設定の表（Markdown）を表示します。") var table = false

    func run() async throws {
        if table {
            print(Setting.markdownTable)
            return
        }
        let settings = try await settingsOptions.settings()
        for (setting, value) in settings.effectiveValues {
            print("\(setting.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)) \(value)")
        }
    }
}

extension MadoguchiSettings {
    /// What each setting is in effect, secrets shown only as set or not.
    var effectiveValues: [(Setting, String)] {
        func secret(_ value: Any?) -> String { value == nil ? "（なし）" : "（設定済み）" }
        return Setting.allCases.compactMap { setting in
            let value: String? =
                switch setting {
                case .configFile: nil
                case .databaseURL: database.description  // without its password
                case .httpHost: host
                case .httpPort: String(port)
                case .publicURL: publicBaseURL
                case .secureCookies: String(secureCookies)
                case .sseHeartbeatSeconds: String(heartbeatSeconds)
                case .sessionIdleMinutes: String(Int(signInPolicy.idleTimeout / 60))
                case .smtpURL: secret(smtp)
                case .smsURL: secret(sms)
                case .dataKeys: secret(dataKeys)
                case .backupDir: backup?.directory ?? "（なし）"
                case .backupTime: backup.map { ClockTime.text($0.minuteOfDay) } ?? "—"
                case .backupKeep: backup.map { String($0.keep) } ?? "—"
                case .auditRetentionDays: String(auditRetentionDays)
                case .formsDir: formsDirectory ?? "（同梱の帳票のみ）"
                case .caseMasks: caseMasking == .standard ? "（既定）" : "（市の設定）"
                case .caseRetentionDays: String(caseRetentionDays)
                case .serverURL: serverURL
                case .agentKey: secret(agentKey)
                }
            return value.map { (setting, $0) }
        }
    }
}
