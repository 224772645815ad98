import Foundation

/// Random identifiers: ticket ids and the unguessable tokens visitors and staff hold.
public enum TokenGenerator {
    private static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")

    /// `length` characters from an unambiguous alphabet: 22 characters carry ≈ 128 bits.
    public static func token(length: Int = 22) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    public static func ticketID() -> String { UUID().uuidString.lowercased() }
}

extension Date {
    /// Instants are stored as whole microseconds; truncating up front keeps memory and database in step.
    public var truncatedToMicroseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1_000_000).rounded(.down) / 1_000_000)
    }
}
