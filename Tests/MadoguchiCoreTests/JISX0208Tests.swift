import Foundation
import MadoguchiCore
import Testing

@Suite("Characters outside JIS X 0208 are substituted and reported, never dropped (K6)")
struct JISX0208Tests {
    @Test("JIS X 0208 is told apart from CP932's NEC and IBM extensions")
    func membership() {
        for inside in ["高", "崎", "練", "馬", "あ", "ア", "ｱ", "A", "〓", "々"] { #expect(JISX0208Substitution.contains(Character(inside)), "\(inside)") }
        for outside in ["髙", "﨑", "①", "㈱", "𠮷", "𩸽"] { #expect(!JISX0208Substitution.contains(Character(outside)), "\(outside)") }
    }

    @Test("the table replaces known variants, anything else becomes 〓, and each is reported with its code point")
    func substitution() {
        let (text, replacements) = JISX0208Substitution().substitute("髙橋𠮷男①𩸽", field: "persons[0].identity.familyName")
        #expect(text == "高橋吉男(1)〓")
        #expect(replacements.map(\.character) == ["髙", "𠮷", "①", "𩸽"])
        #expect(replacements.map(\.codePoint) == ["U+9AD9", "U+20BB7", "U+2460", "U+29E3D"])
        #expect(replacements.map(\.fromTable) == [true, true, true, false])
        #expect(replacements.allSatisfy { $0.field == "persons[0].identity.familyName" })
        #expect(JISX0208Substitution(table: [:]).substitute("練馬区", field: "x") == ("練馬区", []))
    }

    @Test("a Shift_JIS file keeps its CRLF lines and JIS X 0208's own characters, and reports what it replaced")
    func shiftJISFile() throws {
        // Given a CSV with a 戸籍統一文字, a wave dash as typed on a Mac and CRLF line ends
        let csv = "氏名,期間\r\n髙橋,12/1〜12/5\r\n"
        // When it is written for a JIS X 0208 system
        let (data, replacements) = JISX0208Substitution().shiftJIS(csv)
        // Then it reads back with its lines, 髙 as 高 and 〜 as JIS X 0208's wave dash, and both are reported
        #expect(String(data: data, encoding: .shiftJIS) == "氏名,期間\r\n高橋,12/1～12/5\r\n")
        #expect(replacements.map(\.character) == ["髙", "〜"])
    }
}
