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
    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let url = try databaseOptions.url()
        try await Database.using(url) { database in
            let applied = try await Migrator.migrate(database)
            print(applied.isEmpty ? "スキーマは最新です（\(url)）。" : "適用しました: \(applied.map(String.init).joined(separator: ", "))（\(url)）")
        }
    }
}
