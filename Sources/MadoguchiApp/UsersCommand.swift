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

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "職員アカウントを管理します。", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "職員を追加します。パスワードは標準入力から読みます。")
        @Option(help: "ログインID") var login: String
        @Option(help: "役割: \(Role.allCases.map(\.rawValue).joined(separator: ", "))") var role: String
        @Option(name: .customLong("office"), parsing: .upToNextOption, help: "担当する窓口のID（複数可）") var offices: [String] = []
        @Flag(help: "パスワードを標準入力から読みます（必須）") var passwordStdin = false
        @OptionGroup var settingsOptions: SettingsOptions

        func validate() throws {
            guard passwordStdin else { throw ValidationError("--password-stdin を指定し、パスワードを標準入力から渡してください。") }
            guard Role(rawValue: role) != nil else {
                throw ValidationError("役割「\(role)」はありません。使える役割: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("標準入力からパスワードを読めませんでした。")
            }
            let settings = try await settingsOptions.settings()
            let url = settings.database
            try await MadoguchiRuntime.using(url, migrate: true, cipher: try DataKeys.cipher(for: settings)) {
                runtime in
                let known = Set(runtime.layout.current.offices.map(\.id))
                let unknown = offices.filter { !known.contains($0) }
                guard unknown.isEmpty else { throw ValidationError("窓口ID「\(unknown.joined(separator: ", "))」はありません。") }
                do {
                    let user = try await runtime.webDependencies.staff.accounts.addUser(
                        login: login, role: Role(rawValue: role)!, officeIDs: offices, password: line, mustChangePassword: false, by: .commandLine)
                    print("職員「\(user.login)」（\(user.role.rawValue)）を追加しました。")
                } catch let error as AccessError {
                    throw ValidationError(Self.message(error))
                }
            }
        }

        static func message(_ error: AccessError) -> String {
            switch error {
            case .loginTaken(let login): "ログインID「\(login)」は既に使われています。"
            case .invalidLogin: "ログインIDは英数字と . _ - @ の64文字以内で指定してください。"
            case .weakPassword: "パスワードは10文字以上で、4種類以上の文字を含めてください。"
            default: "職員を追加できませんでした。"
            }
        }
    }
}
