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

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "監査ログを扱います。", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "監査ログのハッシュ連鎖を検証します。切れていれば最初の切れ目を表示し、0以外で終了します。")
        @OptionGroup var settingsOptions: SettingsOptions
        @Option(name: .customLong("anchor"), help: "サーバーのログにある監査ログの先頭（例: 1234@k1:3f…）。何度でも指定できます。")
        var anchors: [String] = []

        func run() async throws {
            let settings = try await settingsOptions.settings()
            let url = settings.database
            let given = try anchors.map { text in
                guard let head = AuditHead(text) else { throw ValidationError("--anchor は「番号@値」の形です: \(text)") }
                return head
            }
            let keys = try DataKeys.cipher(for: settings)
            let result = try await Database.using(url) { database in
                try await SQLAuditLog(database: database, keys: keys).verify(anchors: try await Backup.auditAnchors(in: database) + given)
            }
            if let broken = result.broken {
                FileHandle.standardError.write(Data("\(broken.description)（それまでの \(result.checked) 件は正常）\n".utf8))
                throw ExitCode(2)
            }
            print("監査ログは正常です（\(result.checked) 件）。")
        }
    }
}
