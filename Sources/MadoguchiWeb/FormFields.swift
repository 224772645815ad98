import Foundation
import Hummingbird
import MadoguchiCore
import Yams

/// An `application/x-www-form-urlencoded` body with repeated fields (checkbox lists).
struct FormFields: Sendable {
    private let pairs: [(String, String)]

    /// Decodes `application/x-www-form-urlencoded`; a name or value whose percent-encoding is broken is refused
    /// (400 `invalid_form_encoding`) rather than read as empty, which would clear what it was meant to set.
    init(decoding body: String) throws {
        pairs = try body.split(separator: "&").map { pair in
            let parts = try pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { part in
                guard let decoded = String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw APIError(.badRequest, code: "invalid_form_encoding", message: "送信された内容の文字の符号化が正しくありません。")
                }
                return decoded
            }
            return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
        }
    }
    /// The value sent for `name`, or "" when it was not sent.
    subscript(name: String) -> String { value(name) ?? "" }
    /// The value sent for `name`, or nil when the post does not carry it.
    func value(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }
    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }
}
