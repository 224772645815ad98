/// A horizontal bar chart as inline SVG, rendered on the server so it needs no script and prints as drawn. The data
/// table beside it carries the same numbers for screen readers (the SVG is labelled and points to it).
struct BarChart: Sendable {
    struct Bar: Sendable { let label: String; let value: Double; let text: String }
    let title: String
    let bars: [Bar]
    let tableID: String

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    var svg: String {
        let rowHeight = 30, labelWidth = 300, barWidth = 420, top = 8
        let height = top * 2 + max(1, bars.count) * rowHeight
        let largest = max(bars.map(\.value).max() ?? 0, 1)
        var body = ""
        for (index, bar) in bars.enumerated() {
            let y = top + index * rowHeight
            let width = Int((bar.value / largest) * Double(barWidth - 80))
            body += """
                <text x="\(labelWidth - 8)" y="\(y + 20)" text-anchor="end" class="chart-label">\(Self.escaped(String(bar.label.prefix(24))))</text>\
                <rect x="\(labelWidth)" y="\(y + 5)" width="\(max(width, 1))" height="\(rowHeight - 10)" class="chart-bar"></rect>\
                <text x="\(labelWidth + max(width, 1) + 6)" y="\(y + 20)" class="chart-value">\(Self.escaped(bar.text))</text>
                """
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(labelWidth + barWidth) \(height)" role="img" \
            aria-label="\(Self.escaped(title))（数値は表 \(tableID) にあります）"><title>\(Self.escaped(title))</title>\(body)</svg>
            """
    }
}
