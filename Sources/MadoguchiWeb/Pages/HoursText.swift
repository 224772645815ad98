import Foundation
import Hummingbird
import MadoguchiCore
import Yams

/// Opening hours as staff type them: one rule per line, `月-金 08:30-17:15` or `土 09:00-12:00`.
enum HoursText {
    static let days = ["日", "月", "火", "水", "木", "金", "土"]

    static func format(_ hours: [OpeningHours]) -> String {
        hours.map { rule in
            let weekdays = rule.weekdays.sorted()
            let contiguous = weekdays.count > 2 && weekdays.last! - weekdays.first! == weekdays.count - 1
            let daysText = contiguous ? "\(days[weekdays.first! - 1])-\(days[weekdays.last! - 1])" : weekdays.map { days[$0 - 1] }.joined(separator: ",")
            return "\(daysText) \(ClockTime.text(rule.from))-\(ClockTime.text(rule.until))"
        }.joined(separator: "\n")
    }

    static func parse(_ text: String) throws -> [OpeningHours] {
        var rules: [OpeningHours] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }).enumerated() where !line.isEmpty {
            let fault = ConfigurationRejected([
                ConfigurationFault(
                    collection: "hours", message: "開庁時間の\(index + 1)行目「\(line)」は「月-金 08:30-17:15」の形で入力してください。", line: index + 1)
            ])
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2 else { throw fault }
            var weekdays: [Int] = []
            for piece in parts[0].split(separator: ",") {
                let range = piece.split(separator: "-").map { days.firstIndex(of: String($0)).map { $0 + 1 } }
                guard !range.isEmpty, range.allSatisfy({ $0 != nil }) else { throw fault }
                let bounds = range.compactMap { $0 }
                guard bounds.count <= 2, bounds.first! <= bounds.last! else { throw fault }
                weekdays += Array(bounds.first!...bounds.last!)
            }
            let times = parts[1].split(separator: "-").map { ClockTime.minutes(String($0)) }
            guard times.count == 2, let from = times[0], let until = times[1], from < until else { throw fault }
            rules.append(OpeningHours(weekdays: weekdays, from: from, until: until))
        }
        return rules
    }
}
