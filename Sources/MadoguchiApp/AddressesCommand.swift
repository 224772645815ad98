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

struct AddressesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "addresses", abstract: "郵便番号・住所のデータを扱います。", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "日本郵便の KEN_ALL.CSV（Shift_JIS、または utf_ken_all.csv）を読み込み、住所データを置き換えます。誤りがあれば行と列を示し、何も変更しません。")
        @OptionGroup var settingsOptions: SettingsOptions
        @Argument(help: "KEN_ALL.CSV") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file), let text = TextFile.decode(data) else {
                throw ValidationError("ファイル「\(file)」を Shift_JIS または UTF-8 のテキストとして読めません。")
            }
            let reading = ProgressBar(total: 1000, label: "読み取り")
            let parsed = KenAllImport.parse(text) { reading.update(Int($0 * 1000), detail: "") }
            reading.finish()
            let addresses: [PostalAddress]
            switch parsed {
            case .failure(let rejected):
                throw ValidationError(
                    "\(file): 誤りがあるため何も変更していません（\(rejected.faults.count)件）\n"
                        + rejected.faults.prefix(100).map { "  \($0)" }.joined(separator: "\n"))
            case .success(let parsed): addresses = parsed
            }
            let settings = try await settingsOptions.settings()
            let url = settings.database
            try await Database.using(url) { database in
                if case .sqlite = url { try await Migrator.migrate(database) }
                let writing = ProgressBar(total: addresses.count, label: "書き込み")
                try await SQLAddressDirectory(database: database).replace(with: addresses) { writing.update(Int($0 * Double(addresses.count)), detail: "") }
                writing.finish()
            }
            print("住所データを読み込みました: \(addresses.count) 件")
        }
    }
}
