import Foundation

/// A booked visit as an iCalendar (RFC 5545) event, so a visitor can put it in their phone's calendar.
///
/// Written here: none of the Swift packages available on Linux builds iCalendar, and one VEVENT needs only
/// escaping (§3.3.11), UTC times (§3.3.5) and line folding at 75 octets (§3.1).
public struct CalendarInvite: Sendable, Equatable {
    public var uid: String
    public var start: Date
    public var minutes: Int
    public var summary: String
    public var location: String
    public var details: String
    /// When the file was made (DTSTAMP).
    public var stamp: Date

    public init(uid: String, start: Date, minutes: Int, summary: String, location: String, details: String, stamp: Date) {
        self.uid = uid
        self.start = start
        self.minutes = minutes
        self.summary = summary
        self.location = location
        self.details = details
        self.stamp = stamp
    }

    /// The `.ics` text, lines ending in CRLF as the standard asks.
    public var ics: String {
        let lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Madoguchi//Reservations//JA", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "BEGIN:VEVENT", "UID:\(Self.escape(uid))", "DTSTAMP:\(Self.utc(stamp))", "DTSTART:\(Self.utc(start))",
            "DTEND:\(Self.utc(start.addingTimeInterval(Double(max(minutes, 1)) * 60)))",
            "SUMMARY:\(Self.escape(summary))", "LOCATION:\(Self.escape(location))", "DESCRIPTION:\(Self.escape(details))",
            // A reminder the evening before would need the visitor's habits; one hour before suits a counter visit.
            "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT1H", "DESCRIPTION:\(Self.escape(summary))", "END:VALARM",
            "END:VEVENT", "END:VCALENDAR"
        ]
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    static func utc(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Folds a content line into pieces of at most 75 octets, never inside a UTF-8 character; each continuation
    /// begins with one space.
    static func fold(_ line: String) -> String {
        var pieces: [String] = []
        var current = "", octets = 0
        for character in line {
            let size = String(character).utf8.count
            let limit = pieces.isEmpty ? 75 : 74  // a continuation's leading space counts
            if octets + size > limit {
                pieces.append(current)
                current = ""
                octets = 0
            }
            current.append(character)
            octets += size
        }
        pieces.append(current)
        return pieces.joined(separator: "\r\n ")
    }
}
