import Foundation
import Testing
@testable import MadoguchiCore

@Suite("Calendar entries (.ics) of bookings")
struct CalendarInviteTests {
    @Test("text is escaped, times are UTC and long Japanese lines fold at 75 octets without splitting a character")
    func format() {
        let start = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T00:53:20Z
        let invite = CalendarInvite(
            uid: "R1@madoguchi", start: start, minutes: 30, summary: "相談; 予約, 確認",
            location: "練馬区民事務所", details: String(repeating: "マイナンバーカードの受け取り", count: 5) + "\n二行目",
            stamp: start)
        let ics = invite.ics
        #expect(ics.contains("\r\nDTSTART:20261130T005320Z\r\n") && ics.contains("\r\nDTEND:20261130T012320Z\r\n"))
        #expect(ics.contains("SUMMARY:相談\\; 予約\\, 確認"))
        let lines = ics.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines.contains { $0.hasPrefix(" ") })
        // unfolded, the description comes back whole with its line break escaped
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("DESCRIPTION:" + String(repeating: "マイナンバーカードの受け取り", count: 5) + "\\n二行目\r\n"))
        #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
    }
}
