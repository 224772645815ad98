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

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "設定全体を JSON または YAML で書き出し、読み込みます。", subcommands: [Export.self, Import.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "設定全体を書き出します（既定は標準出力）。")
        @OptionGroup var settingsOptions: SettingsOptions
        @Option(help: "json または yaml") var format = "yaml"
        @Option(help: "書き出すファイル") var out: String?

        func run() async throws {
            guard let format = ConfigurationDocument.Format(rawValue: format) else { throw ValidationError("--format は json または yaml です。") }
            let layout = try await Database.using(try await settingsOptions.settings().database) { database in
                try await SQLLayoutStore(database: database).load()
            }
            let text = try ConfigurationDocument.export(layout, as: format)
            if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) } else { print(text, terminator: "") }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "設定全体をファイルから読み込んで置き換えます。誤りがあれば行と列を示し、何も変更しません。PostgreSQL では稼働中の全サーバーにすぐ反映されます（SQLite で稼働中なら /admin/settings から読み込んでください）。")
        @OptionGroup var settingsOptions: SettingsOptions
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
            let settings = try await settingsOptions.settings()
            let url = settings.database
            let migrate: Bool = if case .sqlite = url { true } else { false }
            try await MadoguchiRuntime.using(url, migrate: migrate, cipher: try DataKeys.cipher(for: settings)) {
                runtime in
                try await runtime.webDependencies.administration.configuration.replace(
                    runtime.layout.current, with: configuration, by: .commandLine,
                    action: "settings.import", target: file)
            }
            print(
                "設定を読み込みました: 窓口 \(configuration.offices.count)、業務 \(configuration.services.count)、カウンター \(configuration.counters.count)、発券機 \(configuration.kiosks.count)、モニター \(configuration.monitors.count)"
            )
        }
    }
}
