import Foundation

/// A service's rules for taking a number from home (W5); nil on a service means no web tickets.
public struct WebTicketingRules: Codable, Sendable, Equatable {
    /// Web tickets per service and day, and per clock hour.
    public var dailyQuota: Int
    public var hourlyQuota: Int
    /// The visitor must check in at the office (QR at the kiosk, or the code shown there) before being called.
    public var checkInRequired: Bool
    /// A ticket not checked in when its turn comes is held this long, then marked absent.
    public var holdMinutes: Int

    public init(dailyQuota: Int = 100, hourlyQuota: Int = 20, checkInRequired: Bool = true, holdMinutes: Int = 10) {
        self.dailyQuota = dailyQuota
        self.hourlyQuota = hourlyQuota
        self.checkInRequired = checkInRequired
        self.holdMinutes = holdMinutes
    }

    public func validate() -> [String] {
        var faults: [String] = []
        if dailyQuota < 1 || hourlyQuota < 1 { faults.append("ウェブ発券の上限は1以上にしてください") }
        if !(1...120).contains(holdMinutes) { faults.append("チェックイン待ちの保留時間は1から120分です") }
        return faults
    }
}

/// What a web ticket carries beyond an ordinary one.
public struct WebTicketInfo: Codable, Sendable, Equatable {
    public var checkedIn: Bool
    /// Set when its turn came before check-in: held until then, then absent.
    public var holdUntil: Date?
    public init(checkedIn: Bool, holdUntil: Date? = nil) {
        self.checkedIn = checkedIn
        self.holdUntil = holdUntil
    }
}

/// Weekly opening hours of an office (Asia/Tokyo); web tickets are issued only inside them.
public struct OpeningHours: Codable, Sendable, Equatable {
    /// 1 = Sunday … 7 = Saturday.
    public var weekdays: [Int]
    /// Minutes after midnight, `from` inclusive, `until` exclusive.
    public var from: Int
    public var until: Int
    public init(weekdays: [Int], from: Int, until: Int) {
        self.weekdays = weekdays
        self.from = from
        self.until = until
    }

    /// 8:30–17:15 on weekdays, the usual hours of a ward office.
    public static let weekdays = [OpeningHours(weekdays: [2, 3, 4, 5, 6], from: 8 * 60 + 30, until: 17 * 60 + 15)]

    public static func isOpen(_ hours: [OpeningHours], at date: Date) -> Bool {
        let parts = CityCalendar.gregorian.dateComponents([.weekday, .hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return hours.contains { $0.weekdays.contains(parts.weekday ?? 0) && $0.from <= minute && minute < $0.until }
    }
}

/// A keyed digest (HMAC) of a text: compares contacts without storing them, and makes each office's daily check-in
/// code. Implemented with the data key by Storage.
public protocol KeyedDigest: Sendable {
    func digest(_ text: String) -> String
}

public enum CheckInCode {
    /// The four-digit code shown at an office on a day (kiosk, lobby monitor).
    public static func code(officeID: String, businessDate: String, digest: any KeyedDigest) -> String {
        let hex = digest.digest("check-in|\(officeID)|\(businessDate)")
        let value = UInt64(hex.prefix(12), radix: 16) ?? 0
        return String(format: "%04d", Int(value % 10_000))
    }
}
