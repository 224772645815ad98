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

struct ReservationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reservations", abstract: "ウェブ予約のデータを扱います。", subcommands: [ImportIDs.self])

    struct ImportIDs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-ids",
            abstract: "マイナンバーカード受け取りの予約番号ファイル（予約番号,窓口コード[,生年月日]、UTF-8 または Shift_JIS）を読み込みます。誤りがあれば行と列を示し、何も登録しません。")
        @OptionGroup var settingsOptions: SettingsOptions
        @Argument(help: "CSV ファイル") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("ファイル「\(file)」を読めません。") }
            let settings = try await settingsOptions.settings()
            let url = settings.database
            let migrate: Bool = if case .sqlite = url { true } else { false }
            // The real key ring: dates of birth are sealed with it.
            let cipher = try DataKeys.cipher(for: settings)
            try await MadoguchiRuntime.using(url, migrate: migrate, cipher: cipher) { runtime in
                do {
                    let result = try await runtime.webDependencies.administration.reservationIDs.importFile(data, by: .commandLine)
                    print("予約番号を読み込みました: 追加 \(result.added) 件、更新 \(result.updated) 件")
                } catch ReservationIDFiles.Failure.undecodable {
                    throw ValidationError("ファイル「\(file)」を UTF-8 または Shift_JIS のテキストとして読めません。")
                } catch ReservationIDFiles.Failure.rejected(let faults) {
                    throw ValidationError("\(file): 誤りがあるため何も登録していません（\(faults.count)件）\n" + faults.map { "  \($0)" }.joined(separator: "\n"))
                }
            }
        }
    }
}
