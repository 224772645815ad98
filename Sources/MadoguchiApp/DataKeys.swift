import Foundation
import Logging
import MadoguchiCore
import MadoguchiMessaging
import MadoguchiStorage
import ServiceLifecycle

/// The key ring that seals contact data: `MADOGUCHI_DATA_KEYS`, or for the embedded SQLite database a key file
/// created beside it (`madoguchi.sqlite.key`, mode 0600). Several instances on PostgreSQL must share the ring, so
/// there the variable is required.
enum DataKeys {
    static func cipher(for url: DatabaseURL, environment: [String: String]) throws -> ContactCipher {
        if let text = environment["MADOGUCHI_DATA_KEYS"], !text.isEmpty { return try ContactCipher(parsing: text) }
        guard case .sqlite(let path) = url else {
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

/// Builds the message senders configured by `MADOGUCHI_SMTP_URL` and `MADOGUCHI_SMS_URL`.
enum MessageSenders {
    static func configured(environment: [String: String]) throws -> [ContactChannel: any MessageSender] {
        var senders: [ContactChannel: any MessageSender] = [:]
        if let smtp = environment["MADOGUCHI_SMTP_URL"], !smtp.isEmpty {
            senders[.email] = SMTPMailer(settings: try SMTPSettings(parsing: smtp))
        }
        if let sms = environment["MADOGUCHI_SMS_URL"], !sms.isEmpty {
            senders[.sms] = SMSGateway(settings: try SMSGatewaySettings(parsing: sms))
        }
        return senders
    }
}
