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

struct Kiosks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "発券機の設定を扱います。", subcommands: [AgentKey.self])

    struct AgentKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent-key", abstract: "発券機の印刷エージェント用の鍵を新しく作り、表示します（以前の鍵は無効になります）。")
        @Option(help: "発券機のID") var kiosk: String
        @OptionGroup var settingsOptions: SettingsOptions

        func run() async throws {
            let settings = try await settingsOptions.settings()
            let url = settings.database
            try await MadoguchiRuntime.using(url, migrate: false, cipher: try DataKeys.cipher(for: settings)) {
                runtime in
                guard runtime.layout.current.kiosk(kiosk) != nil else { throw ValidationError("発券機「\(kiosk)」はありません。") }
                let key = TokenGenerator.token()
                try await runtime.devices.setAgentKey(kioskID: kiosk, key: key)
                print(key)
            }
        }
    }
}
