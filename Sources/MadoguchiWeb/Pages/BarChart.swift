/// A horizontal bar chart as inline SVG, rendered on the server so it needs no script and prints as drawn. The data
/// table beside it carries the same numbers for screen readers (the SVG is labelled and points to it).
///
/// SVG text does not wrap and a fixed label column clips long names (「マイナンバーカード交付・電子証明書更新」), so the
/// columns are sized from the text itself: a label wider than the limit wraps onto a second line, and the view box
/// leaves room for the widest value.
struct BarChart: Sendable {
    struct Bar: Sendable { let label: String; let value: Double; let text: String }
    let title: String
    let bars: [Bar]
    let tableID: String

    /// The chart's text size in CSS pixels (`.chart-label`, `.chart-value` in screens.css).
    static let fontSize = 15.0
    static let labelLimit = 440.0

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A generous estimate of the drawn width: full-width (CJK, kana) characters take 1 em, others about 0.62 em.
    static func width(of text: some StringProtocol) -> Double {
        text.unicodeScalars.reduce(0) { sum, scalar in sum + (scalar.value >= 0x1100 ? fontSize : fontSize * 0.62) }
    }

    /// The label in at most two lines that each fit the limit; what still does not fit ends in「…」(the table has it whole).
    static func lines(of label: String) -> [String] {
        guard width(of: label) > labelLimit else { return [label] }
        var lines: [String] = [], current = ""
        for character in label {
            if width(of: current + String(character)) > labelLimit {
                lines.append(current)
                current = ""
                if lines.count == 2 { break }
            }
            current.append(character)
        }
        if lines.count < 2 {
            lines.append(current)
        } else {
            var last = lines[1]
            while width(of: last + "…") > labelLimit { last.removeLast() }
            lines[1] = last + "…"
        }
        return lines
    }

    var svg: String {
        let wrapped = bars.map { Self.lines(of: $0.label) }
        let twoLines = wrapped.contains { $0.count > 1 }
        let rowHeight = twoLines ? 46 : 30, top = 8, barWidth = 340
        let labelWidth = Int((wrapped.flatMap { $0 }.map { Self.width(of: $0) }.max() ?? 0).rounded(.up)) + 12
        let valueWidth = Int((bars.map { Self.width(of: $0.text) }.max() ?? 0).rounded(.up)) + 12
        let height = top * 2 + max(1, bars.count) * rowHeight
        let largest = max(bars.map(\.value).max() ?? 0, 1)
        var body = ""
        for (index, bar) in bars.enumerated() {
            let y = top + index * rowHeight, middle = y + rowHeight / 2
            let width = max(Int((bar.value / largest) * Double(barWidth)), 1)
            let lines = wrapped[index]
            let firstBaseline = middle + 5 - (lines.count - 1) * 9
            let label = lines.enumerated().map { number, line in
                "<tspan x=\"\(labelWidth - 8)\" y=\"\(firstBaseline + number * 18)\">\(Self.escaped(line))</tspan>"
            }.joined()
            body += """
                <text text-anchor="end" class="chart-label"><title>\(Self.escaped(bar.label))</title>\(label)</text>\
                <rect x="\(labelWidth)" y="\(middle - 10)" width="\(width)" height="20" class="chart-bar"></rect>\
                <text x="\(labelWidth + width + 6)" y="\(middle + 5)" class="chart-value">\(Self.escaped(bar.text))</text>
                """
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(labelWidth + barWidth + valueWidth) \(height)" role="img" \
            aria-label="\(Self.escaped(title))（数値は表 \(tableID) にあります）"><title>\(Self.escaped(title))</title>\(body)</svg>
            """
    }
}
