import MadoguchiCore

/// The form in its official layout as inline SVG, drawn from the same composed pages as the PDF (K3 d): each value
/// is a link to its input on the staff form. SVG, because positions are attributes there — the pages' content
/// security policy forbids inline styles — and it scales to any screen.
struct FormPreview: Sendable {
    let pages: [ComposedPage]

    static func escaped(_ text: String) -> String { BarChart.escaped(text) }

    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Points to millimetres: layout font sizes are points, positions millimetres.
    static let millimetresPerPoint = 25.4 / 72

    var svg: String {
        pages.enumerated().map { index, page in
            var body = "<rect x=\"0\" y=\"0\" width=\"\(Self.number(page.width))\" height=\"\(Self.number(page.height))\" class=\"sheet\"/>"
            for box in page.boxes {
                body +=
                    "<rect x=\"\(Self.number(box.x))\" y=\"\(Self.number(box.y))\" width=\"\(Self.number(box.w))\" height=\"\(Self.number(box.h))\" class=\"rule\" stroke-width=\"\(Self.number(box.width ?? 0.3))\"/>"
            }
            for line in page.lines {
                body +=
                    "<line x1=\"\(Self.number(line.x1))\" y1=\"\(Self.number(line.y1))\" x2=\"\(Self.number(line.x2))\" y2=\"\(Self.number(line.y2))\" class=\"rule\" stroke-width=\"\(Self.number(line.width ?? 0.3))\"/>"
            }
            for text in page.texts { body += Self.text(text) }
            let title = Self.escaped(page.title + (pages.count > 1 ? "（\(index + 1)／\(pages.count)）" : ""))
            return """
                <svg class="form-sheet" viewBox="0 0 \(Self.number(page.width)) \(Self.number(page.height))" role="group" aria-label="\(title)の見本" xmlns="http://www.w3.org/2000/svg">\(body)</svg>
                """
        }.joined()
    }

    static func text(_ text: PlacedText) -> String {
        let size = text.size * millimetresPerPoint
        let lines = text.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let lineHeight = size * 1.25
        var fitted = size
        // Shrink a line that would run out of its box, as the PDF renderer does; CJK glyphs are about one em wide.
        let longest = Double(lines.map(\.count).max() ?? 0)
        if longest * fitted > text.w { fitted = max(text.w / max(longest, 1), size * 0.5) }
        let anchor = text.align == .center ? "middle" : text.align == .right ? "end" : "start"
        let x = text.align == .center ? text.x + text.w / 2 : text.align == .right ? text.x + text.w : text.x
        let top = text.y + max(0, (text.h - lineHeight * Double(lines.count)) / 2)
        var spans = ""
        for (index, line) in lines.enumerated() {
            let y = top + lineHeight * Double(index) + fitted
            var attributes = "x=\"\(number(x))\" y=\"\(number(y))\" font-size=\"\(number(fitted))\" text-anchor=\"\(anchor)\""
            if Double(line.count) * fitted > text.w { attributes += " textLength=\"\(number(text.w))\" lengthAdjust=\"spacingAndGlyphs\"" }
            spans += "<text \(attributes)>\(escaped(line))</text>"
        }
        guard let path = text.fieldPath else { return "<g class=\"fixed\">\(spans)</g>" }
        let input = CaseForm.inputID(forPath: path)
        return "<a href=\"#\(input)\" class=\"form-value\" data-input=\"\(input)\">\(spans)</a>"
    }
}
