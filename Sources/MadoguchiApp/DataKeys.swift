import Foundation
import Logging
import MadoguchiCore
import MadoguchiMessaging
import MadoguchiStorage
import ServiceLifecycle

/// The key ring that seals personal data: the `data.keys` setting (`MADOGUCHI_DATA_KEYS`), or for the embedded SQLite database a key file
/// created beside it (`madoguchi.sqlite.key`, mode 0600). Several instances on PostgreSQL must share the ring, so
/// there the variable is required.
enum DataKeys {
    static func cipher(for settings: MadoguchiSettings) throws -> ContactCipher {
        if let keys = settings.dataKeys { return keys }
        guard case .sqlite(let path) = settings.database else {
            throw ContactCipher.ConfigurationError(
                description:
                    "PostgreSQL では MADOGUCHI_DATA_KEYS（例: k1:32バイトのBase64）を全インスタンスに同じ値で設定してください。")
        }
        let keyPath = path + ".key"
        if let text = try? String(contentsOfFile: keyPath, encoding: .utf8) {
            return try ContactCipher(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let text = ContactCipher.newKeyText(id: "k1")
        let directory = (keyPath as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? PrivateFiles.createDirectory(directory) }
        guard FileManager.default.createFile(atPath: keyPath, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ContactCipher.ConfigurationError(description: "暗号鍵のファイル \(keyPath) を作れません。")
        }
        return try ContactCipher(parsing: text)
    }
}

/// Builds the message senders of the `smtp.url` and `sms.url` settings.
enum MessageSenders {
    static func configured(_ settings: MadoguchiSettings) -> [ContactChannel: any MessageSender] {
        var senders: [ContactChannel: any MessageSender] = [:]
        if let smtp = settings.smtp { senders[.email] = SMTPMailer(settings: smtp) }
        if let sms = settings.sms { senders[.sms] = SMSGateway(settings: sms) }
        return senders
    }
}
