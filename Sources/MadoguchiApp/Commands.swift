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
            ConfigCommand.self
        ],
        defaultSubcommand: Serve.self)
    public init() {}
}

/// `--database URL`, else `MADOGUCHI_DATABASE_URL`, else the embedded SQLite file.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long, help: "sqlite://相対パス, sqlite:///絶対パス または postgres://user:pass@host:port/db（既定: MADOGUCHI_DATABASE_URL か sqlite://data/madoguchi.sqlite）")
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
