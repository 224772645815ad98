import Foundation
import MadoguchiCore

/// What a printed ticket shows (Q4).
public struct PrintedTicket: Sendable, Equatable {
    public var officeName: String
    public var serviceName: String
    public var displayNumber: String
    public var issuedAt: Date
    /// People waiting before this ticket when printed; nil leaves the line out.
    public var peopleAhead: Int?
    /// The ticket's own page (`/t/{token}`), encoded in the QR code.
    public var pageURL: String
    /// Fixed texts printed under the number.
    public var notes: [String]
    /// Add a staff stub with the same number after a cut (Q4 two-part tickets).
    public var twoPart: Bool

    public init(
        officeName: String, serviceName: String, displayNumber: String, issuedAt: Date, peopleAhead: Int?, pageURL: String, notes: [String],
        twoPart: Bool = false
    ) {
        self.twoPart = twoPart
        self.officeName = officeName
        self.serviceName = serviceName
        self.displayNumber = displayNumber
        self.issuedAt = issuedAt
        self.peopleAhead = peopleAhead
        self.pageURL = pageURL
        self.notes = notes
    }

    public static let defaultNotes = ["番号をお呼びするまで、お近くでお待ちください。", "QRコードから待ち状況を確認できます。"]
}

/// ESC/POS commands for Epson TM-series style Japanese printers (reference/domain.md §12), written here because no
/// Swift library for ESC/POS exists.
public enum EscPos {
    public static let initialize: [UInt8] = [0x1B, 0x40]
    /// Katakana code page, Japan character set, Kanji code system Shift_JIS.
    public static let japanese: [UInt8] = [0x1B, 0x74, 0x01, 0x1B, 0x52, 0x08, 0x1C, 0x43, 0x01]
    public static let kanjiOn: [UInt8] = [0x1C, 0x26]
    public static let kanjiOff: [UInt8] = [0x1C, 0x2E]
    /// Feed to the cutter and cut partially (GS V B 0): the choice that works on every model.
    public static let partialCut: [UInt8] = [0x1D, 0x56, 0x42, 0x00]

    public enum Alignment: UInt8 { case left = 0, center = 1, right = 2 }

    public static func align(_ alignment: Alignment) -> [UInt8] { [0x1B, 0x61, alignment.rawValue] }

    /// Character size (GS !), 1–8 times in each direction; Kanji follow it in Kanji mode on current models.
    public static func size(width: Int, height: Int) -> [UInt8] {
        let w = UInt8(min(max(width, 1), 8) - 1), h = UInt8(min(max(height, 1), 8) - 1)
        return [0x1D, 0x21, (w << 4) | h]
    }

    public static func feed(lines: UInt8) -> [UInt8] { [0x1B, 0x64, lines] }

    /// A line of Japanese text in Kanji mode.
    public static func text(_ line: String) -> [UInt8] { kanjiOn + ShiftJIS.encode(line) + kanjiOff + [0x0A] }

    /// A QR code (GS ( k): model 2, module size in dots, error correction M.
    public static func qrCode(_ data: [UInt8], moduleSize: UInt8 = 6) -> [UInt8] {
        let stored = data.count + 3
        return [0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]  // model 2
            + [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, moduleSize]
            + [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]  // error correction M
            + [0x1D, 0x28, 0x6B, UInt8(stored & 0xFF), UInt8(stored >> 8), 0x31, 0x50, 0x30] + data
            + [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]
    }

    /// The bytes of one ticket, ending with a partial cut.
    public static func ticket(_ ticket: PrintedTicket) -> [UInt8] {
        var bytes = initialize + japanese + align(.center)
        bytes += size(width: 1, height: 1) + text(ticket.officeName)
        bytes += size(width: 2, height: 2) + text(ticket.serviceName)
        bytes += size(width: 1, height: 1) + text("受付番号")
        bytes += size(width: 6, height: 6) + text(ticket.displayNumber)
        bytes += size(width: 1, height: 1)
        if let ahead = ticket.peopleAhead { bytes += text("あなたの前に \(ahead) 人お待ちです") }
        bytes += text(JapaneseDateTime.format(ticket.issuedAt))
        bytes += feed(lines: 1) + qrCode(Array(ticket.pageURL.utf8)) + feed(lines: 1)
        for note in ticket.notes { bytes += text(note) }
        bytes += feed(lines: 3) + partialCut
        if ticket.twoPart {
            bytes += align(.center) + size(width: 1, height: 1) + text("【控え】職員用")
            bytes += text(ticket.serviceName)
            bytes += size(width: 4, height: 4) + text(ticket.displayNumber)
            bytes += size(width: 1, height: 1) + text(JapaneseDateTime.format(ticket.issuedAt))
            bytes += feed(lines: 3) + partialCut
        }
        return bytes
    }
}

/// 「2026年11月24日(火) 09:05」 in Japan time.
public enum JapaneseDateTime {
    private static let weekdays = ["日", "月", "火", "水", "木", "金", "土"]

    public static func format(_ date: Date) -> String {
        let c = CityCalendar.gregorian.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        return String(format: "%04d年%d月%d日(%@) %02d:%02d", c.year!, c.month!, c.day!, weekdays[c.weekday! - 1], c.hour!, c.minute!)
    }
}
