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

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "データベースのスキーマを最新にします。")
    @OptionGroup var settingsOptions: SettingsOptions

    func run() async throws {
        let settings = try await settingsOptions.settings()
        let url = settings.database
        try await Database.using(url) { database in
            let applied = try await Migrator.migrate(database)
            print(applied.isEmpty ? "スキーマは最新です（\(url)）。" : "適用しました: \(applied.map(String.init).joined(separator: ", "))（\(url)）")
        }
    }
}
