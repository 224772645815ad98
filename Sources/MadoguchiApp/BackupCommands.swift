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

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "稼働中のままバックアップを取り、一時データベースに戻して確認し、古いものを整理します。")
    @OptionGroup var settingsOptions: SettingsOptions
    @Option(help: "バックアップの置き場所") var to = "backups"
    @Option(help: "残す世代数") var keep = 7

    func run() async throws {
        guard (1...365).contains(keep) else { throw ValidationError("--keep は1から365で指定してください。") }
        let settings = try await settingsOptions.settings()
        let url = settings.database
        let report = try await Database.using(url) { database in
            do {
                return try await Backup.runAndRecord(database, url: url, to: to, keep: keep)
            } catch let failure as Backup.Failure {
                throw ValidationError(failure.description)
            }
        }
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
    @OptionGroup var settingsOptions: SettingsOptions
    @Option(help: "バックアップのファイル") var from: String

    func run() async throws {
        guard FileManager.default.fileExists(atPath: from) else { throw ValidationError("バックアップ \(from) がありません。") }
        do {
            let report = try await Backup.restore(from: from, into: try await settingsOptions.settings().database)
            print(BackupCommand.describe(report, verb: "戻しました"))
        } catch let failure as Backup.Failure {
            throw ValidationError(failure.description)
        }
    }
}
