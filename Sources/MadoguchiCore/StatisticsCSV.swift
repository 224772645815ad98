import Foundation

/// A statistics report as an RFC 4180 table, its header the chosen columns' names.
extension CSVText {
    public static func table(_ report: StatisticsReport, columns: [StatisticsColumn]) -> String {
        var text = line(columns.map(\.japaneseName))
        for row in report.rows { text += line(columns.map { $0.value(of: row).csvText }) }
        return text
    }
}
