/// The numbers a service hands out, wrapping from the upper bound back to the lower one (Q1: A 1–100, B 200–300).
public struct NumberRange: Codable, Sendable, Equatable {
    public var lowerBound: Int
    public var upperBound: Int

    public init(_ lowerBound: Int, _ upperBound: Int) {
        precondition(lowerBound <= upperBound, "empty number range")
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    public var count: Int { upperBound - lowerBound + 1 }
    public func contains(_ number: Int) -> Bool { number >= lowerBound && number <= upperBound }

    /// The number issued after `last`; the first of the day when `last` is nil; wraps after the upper bound.
    public func successor(of last: Int?) -> Int {
        guard let last, contains(last), last < upperBound else { return lowerBound }
        return last + 1
    }

    /// The first number after `last` that `isTaken` does not reject, or nil when every number is taken.
    public func nextFree(after last: Int?, isTaken: (Int) -> Bool) -> Int? {
        var candidate = successor(of: last)
        for _ in 0..<count {
            if !isTaken(candidate) { return candidate }
            candidate = successor(of: candidate)
        }
        return nil
    }
}
