import CXLSXWriter
import Foundation
import MadoguchiCore

/// Real .xlsx files through libxlsxwriter (no maintained Swift library writes xlsx on Linux). A statistics report
/// becomes three sheets: the table, tickets per hour band, and web access counts.
enum SpreadsheetExport {
    struct Failed: Error, CustomStringConvertible { let description: String }

    struct Sheet {
        let name: String
        let header: [String]
        let rows: [[StatisticsCell]]
        let widths: [Double]
    }

    static func workbook(_ report: StatisticsReport, columns: [StatisticsColumn], title: String) throws -> Data {
        try workbook(
            title: title,
            sheets: [
                Sheet(
                    name: "統計", header: columns.map(\.japaneseName), rows: report.rows.map { row in columns.map { $0.value(of: row) } },
                    widths: columns.map { $0 == .name ? 36 : $0 == .period ? 12 : 14 }),
                Sheet(name: "時間帯", header: ["時台", "件数"], rows: report.hourBands.map { [.text("\($0.hour)時"), .number(Double($0.count))] }, widths: [10, 12]),
                Sheet(
                    name: "ウェブアクセス", header: ["ページ", "表示回数"],
                    rows: report.webAccess.map { [.text(PublicPageKind.name(ofKey: $0.page)), .number(Double($0.hits))] }, widths: [30, 12])
            ])
    }

    /// A workbook of plain sheets: a bold frozen header row, numbers as numbers.
    static func workbook(title: String, sheets: [Sheet]) throws -> Data {
        // libxlsxwriter writes to a file; a private temporary one is read back and removed.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = lxw_workbook_options(constant_memory: 1, tmpdir: nil, use_zip64: 0)
        guard let workbook = workbook_new_opt(path, &options) else { throw Failed(description: "xlsx を作成できません") }
        var properties = lxw_doc_properties()
        let cTitle = strdup(title), cAuthor = strdup("Madoguchi")
        defer { free(cTitle); free(cAuthor) }
        properties.title = cTitle
        properties.author = cAuthor
        workbook_set_properties(workbook, &properties)
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        format_set_bg_color(bold, 0xDDE6F0)
        format_set_text_wrap(bold)
        let decimal = workbook_add_format(workbook)
        format_set_num_format(decimal, "0.0")
        let integer = workbook_add_format(workbook)
        format_set_num_format(integer, "#,##0")

        func sheet(_ name: String, header: [String], rows: [[StatisticsCell]], widths: [Double]) {
            let worksheet = workbook_add_worksheet(workbook, name)
            worksheet_set_row(worksheet, 0, 32, nil)
            for (column, width) in widths.enumerated() { worksheet_set_column(worksheet, lxw_col_t(column), lxw_col_t(column), width, nil) }
            for (column, text) in header.enumerated() { worksheet_write_string(worksheet, 0, lxw_col_t(column), text, bold) }
            for (index, row) in rows.enumerated() {
                for (column, cell) in row.enumerated() {
                    let r = lxw_row_t(index + 1), c = lxw_col_t(column)
                    switch cell {
                    case .text(let text): worksheet_write_string(worksheet, r, c, text, nil)
                    case .number(let value): worksheet_write_number(worksheet, r, c, value, value == value.rounded() ? integer : decimal)
                    case .empty: break
                    }
                }
            }
            worksheet_freeze_panes(worksheet, 1, 0)
        }
        for s in sheets { sheet(s.name, header: s.header, rows: s.rows, widths: s.widths) }
        let result = workbook_close(workbook)
        guard result == LXW_NO_ERROR else { throw Failed(description: "xlsx を書き出せません（\(String(cString: lxw_strerror(result)))）") }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
