import Foundation

/// A slot's start as the city's local time: `2026-12-10T09:30` (Japan time). Its text is the slot's key.
public struct SlotTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let date: String
    /// Minutes after midnight.
    public let minute: Int

    public init?(date: String, minute: Int) {
        guard CityCalendar.date(ofBusinessDay: date) != nil, (0..<1440).contains(minute) else { return nil }
        self.date = date
        self.minute = minute
    }

    /// `2026-12-10T09:30`, also with seconds and `+09:00` (what the API writes); other offsets are refused.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.hasSuffix("+09:00") { rest = rest.dropLast(6) }
        if rest.hasSuffix(".000") { rest = rest.dropLast(4) }
        let parts = rest.split(separator: "T")
        guard parts.count == 2 else { return nil }
        let clock = parts[1].split(separator: ":").map { Int($0) }
        guard clock.count == 2 || clock.count == 3, parts[1].count == 5 || parts[1].count == 8, let hour = clock[0], let minute = clock[1],
            (0..<24).contains(hour), (0..<60).contains(minute), clock.count == 2 || clock[2] == 0
        else { return nil }
        self.init(date: String(parts[0]), minute: hour * 60 + minute)
    }

    /// `2026-12-10T09:30`.
    public var description: String { "\(date)T\(clockText)" }
    /// `09:30`.
    public var clockText: String { ClockTime.text(minute) }
    /// `2026-12-10T09:30:00+09:00`, as the API writes it.
    public var isoText: String { "\(date)T\(clockText):00+09:00" }
    public var instant: Date { CityCalendar.date(ofBusinessDay: date)!.addingTimeInterval(Double(minute) * 60) }

    public static func < (a: SlotTime, b: SlotTime) -> Bool { (a.date, a.minute) < (b.date, b.minute) }
}

public struct Slot: Sendable, Equatable {
    public var start: SlotTime
    public var minutes: Int
    public var capacity: Int
}

/// ○ free, △ one left, × full or not bookable (R2): the public never sees counts.
public enum AvailabilityMark: String, Codable, Sendable {
    case free = "○"
    case few = "△"
    case full = "×"

    public static func of(remaining: Int) -> AvailabilityMark { remaining <= 0 ? .full : remaining == 1 ? .few : .free }
}
