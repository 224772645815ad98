import Foundation

/// The one source of "now" for every rule; tests inject a fixed or stepping clock.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// Calendar rules of the city, computed in Asia/Tokyo whatever the server's time zone.
public enum CityCalendar {
    public static let timeZone = TimeZone(identifier: "Asia/Tokyo")!

    public static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// The business date an instant belongs to, `YYYY-MM-DD` in Asia/Tokyo.
    public static func businessDate(of instant: Date) -> String {
        let parts = gregorian.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// The start (Asia/Tokyo midnight) of a `YYYY-MM-DD` day; nil for text that is not a real date.
    public static func date(ofBusinessDay text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, text.count == 10, let year = parts[0], let month = parts[1], let day = parts[2] else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: gregorian), let date = gregorian.date(from: components) else { return nil }
        return date
    }
}
