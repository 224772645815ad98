import Crypto
import Foundation
import MadoguchiCore

/// Encrypts contact data at rest with AES-256-GCM (swift-crypto).
///
/// Keys form a ring: `MADOGUCHI_DATA_KEYS="k2:BASE64,k1:BASE64"` — the first key encrypts, every key decrypts. A
/// ciphertext is `KEYID:BASE64(nonce ‖ ciphertext ‖ tag)`, so rotating is: put a new key first, and drop the old
/// one a day later (contacts live one business day at most).
public struct ContactCipher: KeyedDigest {
    public struct Key: Sendable {
        public let id: String
        /// Raw bytes (SymmetricKey is not Sendable); made into a key for each use.
        let bytes: Data
        var key: SymmetricKey { SymmetricKey(data: bytes) }
        public init(id: String, bytes: Data) {
            self.id = id
            self.bytes = bytes
        }
    }
    public let keys: [Key]

    public struct ConfigurationError: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public init(keys: [Key]) throws {
        guard !keys.isEmpty else { throw ConfigurationError(description: "暗号鍵がありません。") }
        self.keys = keys
    }

    /// Parses `id:base64,id:base64`; each key must be 32 bytes.
    public init(parsing text: String) throws {
        var keys: [Key] = []
        for entry in text.split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }),
                let data = Data(base64Encoded: parts[1]), data.count == 32
            else {
                throw ConfigurationError(description: "MADOGUCHI_DATA_KEYS は「鍵ID:32バイトのBase64」をカンマで並べて指定してください。")
            }
            keys.append(Key(id: parts[0], bytes: data))
        }
        try self.init(keys: keys)
    }

    /// A new random key in the ring's text form.
    public static func newKeyText(id: String) -> String {
        "\(id):" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// HMAC-SHA256 with the current key, in hex: equal texts give equal digests without the text being stored.
    public func digest(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: keys[0].key).map { String(format: "%02x", $0) }.joined()
    }

    /// `KEYID:HMAC` of `text`, checkable after the ring rotates (`matches`): for secrets too short to hash slowly
    /// with any benefit, such as a booking's 4-digit password, which without the key cannot be tried offline.
    public func keyedDigest(_ text: String) -> String { "\(keys[0].id):" + digest(text) }

    public func matches(_ text: String, keyedDigest stored: String) -> Bool {
        let parts = stored.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let key = keys.first(where: { $0.id == parts[0] }) else { return false }
        let code = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key.key).map { String(format: "%02x", $0) }.joined()
        return code.utf8.elementsEqual(parts[1].utf8)
    }

    public func seal(_ plaintext: String) throws -> String {
        let current = keys[0]
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: current.key)
        guard let combined = box.combined else { throw ConfigurationError(description: "暗号化に失敗しました。") }
        return "\(current.id):\(combined.base64EncodedString())"
    }

    /// Binary data (attachments, PDFs) sealed the same way.
    public func seal(data: Data) throws -> String {
        let current = keys[0]
        guard let combined = try AES.GCM.seal(data, using: current.key).combined else { throw ConfigurationError(description: "暗号化に失敗しました。") }
        return "\(current.id):\(combined.base64EncodedString())"
    }

    public func openData(_ sealed: String) throws -> Data {
        let parts = sealed.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let key = keys.first(where: { $0.id == parts[0] }), let data = Data(base64Encoded: parts[1]) else {
            throw ConfigurationError(description: "この暗号文の鍵（\(parts.first ?? "")）がありません。")
        }
        return try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key.key)
    }

    public func open(_ sealed: String) throws -> String {
        let parts = sealed.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let key = keys.first(where: { $0.id == parts[0] }), let data = Data(base64Encoded: parts[1]) else {
            throw ConfigurationError(description: "この暗号文の鍵（\(parts.first ?? "")）がありません。")
        }
        return String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key.key), as: UTF8.self)
    }
}
