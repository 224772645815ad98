/// The one CSV writer of every export (statistics, reservations, cases, audit log): RFC 4180 quoting, CRLF lines,
/// and OWASP's rule against formula injection, because these files are opened in Excel by staff.
public enum CSVText {
    /// A spreadsheet reads a cell starting with one of these as a formula (tab and CR as well, for LibreOffice and
    /// older Excel); such a cell is written with a leading `'`, which shows the text as typed.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// One cell: neutralised when a spreadsheet would run it, quoted when it holds a separator, quote or line break.
    public static func field(_ value: String) -> String {
        var text = value
        // A number of our own (`-3`, `+0.5`) stays a number; any other text starting like a formula is defused.
        if let first = text.first, formulaStarts.contains(first), Double(text) == nil { text = "'" + text }
        return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\t" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            : text
    }
}
