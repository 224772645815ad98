/// The numbers a service hands out, wrapping from the upper bound back to the lower one (Q1: A 1–100, B 200–300).
///
/// A range comes from staff input and from stored configuration, so nothing here may trap on any pair of
/// integers: an invalid range (`validate()` names its fault) behaves as an empty one and hands out no number.
public struct NumberRange: Codable, Sendable, Equatable {
    public var lowerBound: Int
    public var upperBound: Int

    /// The largest number a service may hand out: four digits fit every ticket, display and voice.
    public static let maximumNumber = 9_999

    public init(_ lowerBound: Int, _ upperBound: Int) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// Whether the bounds are ones the settings accept: 0 ≤ lower ≤ upper ≤ `maximumNumber`.
    public var isValid: Bool { lowerBound >= 0 && lowerBound <= upperBound && upperBound <= Self.maximumNumber }

    /// How many numbers the range holds; 0 for an invalid range.
    public var count: Int { isValid ? upperBound - lowerBound + 1 : 0 }
    public func contains(_ number: Int) -> Bool { isValid && number >= lowerBound && number <= upperBound }

    /// The faults of the bounds in Japanese, empty when valid; `dailyNeed` is how many numbers the service must be
    /// able to hand out in a day (its web-ticket quota, say).
    public func validate(dailyNeed: Int = 1) -> [String] {
        if lowerBound < 0 || upperBound < 0 { return ["番号範囲は0以上で指定してください"] }
        if lowerBound > upperBound { return ["番号範囲の始まり（\(lowerBound)）が終わり（\(upperBound)）より大きくなっています"] }
        if upperBound > Self.maximumNumber { return ["番号範囲の終わりは\(Self.maximumNumber)以下で指定してください"] }
        if count < dailyNeed { return ["番号範囲が狭すぎます（\(count)件）。1日に必要な\(dailyNeed)件以上にしてください"] }
        return []
    }

    /// The number issued after `last`; the first of the day when `last` is nil; wraps after the upper bound.
    /// Nil for an invalid range.
    public func successor(of last: Int?) -> Int? {
        guard isValid else { return nil }
        guard let last, contains(last), last < upperBound else { return lowerBound }
        return last + 1
    }

    /// The first number after `last` that `isTaken` does not reject, or nil when every number is taken (or the
    /// range is invalid).
    public func nextFree(after last: Int?, isTaken: (Int) -> Bool) -> Int? {
        guard var candidate = successor(of: last) else { return nil }
        for _ in 0..<count {
            if !isTaken(candidate) { return candidate }
            guard let next = successor(of: candidate) else { return nil }
            candidate = next
        }
        return nil
    }
}
