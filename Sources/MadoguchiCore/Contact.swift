import Foundation
import Synchronization

/// How a visitor is told their turn is near (W4).
public enum ContactChannel: String, Codable, Sendable, CaseIterable {
    case email, sms
}

/// The one check of e-mail addresses visitors type (notifications, web tickets, bookings): the practical subset
/// of RFC 5321 that real providers hand out — letters, digits and `._%+-` before the `@` (starting with a letter,
/// digit or `_`), host names of letters, digits and hyphens with a top-level name of letters after it. Quoted
/// parts, `=`, `|`, `'` and the like are refused: nobody's real address needs them, and they reach CSV exports.
public enum EmailAddress {
    /// The address trimmed, with its domain in lower case; nil when it is not an address.
    public static func normalized(_ text: String) -> String? {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= 254, parts.count == 2 else { return nil }
        let local = parts[0], domain = parts[1].lowercased()
        func isAlphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        guard (1...64).contains(local.count), let first = local.first, isAlphanumeric(first) || first == "_",
            local.allSatisfy({ isAlphanumeric($0) || "._%+-".contains($0) }), !local.hasSuffix("."), !local.contains("..")
        else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                (1...63).contains(label.count) && label.allSatisfy({ isAlphanumeric($0) || $0 == "-" }) && !label.hasPrefix("-") && !label.hasSuffix("-")
            }), let top = labels.last, top.count >= 2, top.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return nil }
        return local + "@" + domain
    }
}

/// A visitor's e-mail address or mobile number, validated and normalised. Never logged; stored encrypted.
public struct Contact: Sendable, Equatable {
    public let channel: ContactChannel
    /// `name@example.jp`, or a phone number in E.164 (`+819012345678`).
    public let address: String

    public init(email: String) throws {
        guard let text = EmailAddress.normalized(email) else { throw DomainError.invalidContact }
        channel = .email
        address = text
    }

    /// What identifies the contact when comparing ("one web ticket per contact", sign-up limits): e-mail
    /// addresses without regard to case, as every mail provider delivers them.
    public var identity: String { "\(channel.rawValue):\(channel == .email ? address.lowercased() : address)" }

    /// Japanese mobile numbers (070/080/090, 11 digits) in any usual spelling, or international numbers with `+`.
    public init(phone: String) throws {
        let fullWidth = phone.unicodeScalars.map { scalar -> Character in
            (0xFF10...0xFF19).contains(scalar.value) ? Character(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!) : Character(scalar)
        }
        let text = String(fullWidth).filter { !" -‐－()（）".contains($0) }
        if text.hasPrefix("+") {
            let digits = text.dropFirst()
            guard (8...15).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { throw DomainError.invalidContact }
            address = "+" + digits
        } else {
            guard text.count == 11, text.allSatisfy({ $0.isASCII && $0.isNumber }), ["070", "080", "090"].contains(String(text.prefix(3))) else {
                throw DomainError.invalidContact
            }
            address = "+81" + text.dropFirst()
        }
        channel = .sms
    }

    public init(channel: ContactChannel, address: String) {
        self.channel = channel
        self.address = address
    }

    /// What staff may see: `t***@example.jp`, `090-****-5678`.
    public var masked: String {
        switch channel {
        case .email:
            let parts = address.split(separator: "@")
            return "\(parts.first?.prefix(1) ?? "")***@\(parts.last ?? "")"
        case .sms where address.hasPrefix("+81") && address.count == 13:
            let local = "0" + address.dropFirst(3)
            return "\(local.prefix(3))-****-\(local.suffix(4))"
        case .sms:
            return String(repeating: "*", count: max(0, address.count - 4)) + address.suffix(4)
        }
    }
}
