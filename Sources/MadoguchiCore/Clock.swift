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
}
