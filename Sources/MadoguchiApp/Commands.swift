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
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Users.self, Kiosks.self, PrintAgentCommand.self, Audit.self, BackupCommand.self, RestoreCommand.self,
            ReservationsCommand.self, AddressesCommand.self, FormsCommand.self, CasesCommand.self,
            ConfigCommand.self, SettingsCommand.self
        ],
        defaultSubcommand: Serve.self)
    public init() {}
}

/// The flags every command shares. The other settings come from the environment or the settings file
/// (`MadoguchiSettings`, README's table); a fault in any of them stops the command with every fault named.
struct SettingsOptions: ParsableArguments {
    @Option(
        name: .long, help: "sqlite://相対パス, sqlite:///絶対パス または postgres://user:pass@host:port/db（既定: MADOGUCHI_DATABASE_URL か sqlite://data/madoguchi.sqlite）")
    var database: String?
    @Option(name: .long, help: "設定ファイル（YAML。キーは README の設定の表。既定: MADOGUCHI_CONFIG_FILE）")
    var config: String?

    /// The settings with these flags on top; `more` adds a command's own flags.
    func settings(_ more: [Setting: String?] = [:]) async throws -> MadoguchiSettings {
        try await Self.settings(more.merging([.databaseURL: database, .configFile: config]) { own, _ in own })
    }

    /// The settings with `flags` (those given) on top, faults turned into the command's usage error.
    static func settings(_ given: [Setting: String?]) async throws -> MadoguchiSettings {
        let flags = given.compactMapValues { $0 }
        do {
            return try await MadoguchiSettings.load(flags: flags)
        } catch let faults as SettingsFaults {
            throw ValidationError(faults.description)
        }
    }
}
