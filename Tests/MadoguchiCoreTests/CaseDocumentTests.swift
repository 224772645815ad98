import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

/// The no-writing counter's pure parts: what a case puts on its forms, masking per role, the resident-records
/// export with its JIS X 0208 report, reception reports, and dates as clerks type them.
@Suite("Case documents, masking, export and reports (K3–K7)")
struct CaseDocumentTests {
    static func household() -> ResidentCase {
        TestHouseholds.takahashi(children: [TestHouseholds.child("蓮", kana: "れん", born: "2008-11-29", sex: .male)])
    }

    @Test("form values: 和暦 for Japanese nationals, the card's Gregorian date for foreign residents, 在留期間 in words, the procedure ticked")
    func formValues() {
        let values = CaseFormValues(case: Self.household(), caseID: "K1", officeName: "練馬区民事務所")
        #expect(values.values["movingDate"]?.text == "令和8年11月28日")
        #expect(values.values["check.move_in"]?.text == "○" && values.values["check.move_out"] == nil)
        #expect(values.values["applicant.name"]?.text == "髙橋　一郎")
        let persons = values.lists["persons"]!
        #expect(persons[0]["birthDate"]?.text == "昭和60年4月12日")
        #expect(persons[0]["birthDate"]?.path == "persons[0].identity.birthDate")
        #expect(persons[1]["birthDate"]?.text == "1990-07-01")
        #expect(persons[1]["period"]?.text == "3年" && persons[1]["category"]?.text == "中長期在留者")
        #expect(persons[1]["honseki"] == nil && persons[0]["nationality"] == nil)
    }

    @Test("children are under 18 by the legal age on the moving date: a birthday the day after the move counts the day before")
    func childrenByLegalAge() {
        // Born 2008-11-29: turns 18 at the end of 2026-11-28, the moving date, so no longer a child that day.
        var c = Self.household()
        #expect(CaseFormValues(case: c).lists["children"]!.isEmpty)
        c.movingDate = "2026-11-27"
        #expect(CaseFormValues(case: c).lists["children"]!.map { $0["name"]?.text } == ["髙橋　蓮"])
        #expect(CaseFormValues(case: c).lists["pupils"]!.isEmpty)
    }

    @Test("the standard policy masks an administrator's numbers and 本籍, and nothing for counter staff")
    func masking() {
        let policy = CaseMaskingPolicy.standard
        let masked = policy.apply(Self.household(), for: .admin)
        #expect(masked.persons[0].identity.myNumber == CaseMaskingPolicy.maskText)
        #expect(masked.persons[0].residentRecordCode == CaseMaskingPolicy.maskText)
        #expect(masked.persons[0].japanese?.honseki == CaseMaskingPolicy.maskText)
        #expect(masked.persons[1].foreign?.cardNumber == CaseMaskingPolicy.maskText)
        #expect(masked.persons[1].identity.familyName == "𠮷田" && masked.persons[0].identity.birthDate == "1985-04-12")
        #expect(policy.apply(Self.household(), for: .staff) == Self.household())
        #expect(policy.documentVariant(for: .admin) == "masked:admin" && policy.documentVariant(for: .staff) == "original")
        #expect(policy.maskedRoles == [.admin])
    }

    @Test("a masking policy is read from its text; an unknown role or item is refused with the expected form")
    func maskingPolicyText() throws {
        let policy = try CaseMaskingPolicy.parse("admin=myNumber,honseki;office_manager=birthDate").get()
        #expect(policy.masked(for: .officeManager) == [.birthDate] && policy.masked(for: .admin) == [.myNumber, .honseki])
        #expect(policy.apply(Self.household(), for: .officeManager).persons[2].identity.birthDate == CaseMaskingPolicy.maskText)
        for bad in ["boss=myNumber", "admin=shoeSize"] {
            guard case .failure(let error) = CaseMaskingPolicy.parse(bad) else { Issue.record("accepted \(bad)"); continue }
            #expect(error.description.contains("MADOGUCHI_CASE_MASKS"))
        }
    }

    static func record(_ c: ResidentCase, id: String = "case-1") -> CaseRecord {
        CaseRecord(
            id: id, officeID: "main", status: .completed, createdAt: Date(timeIntervalSince1970: 1_796_000_000),
            updatedAt: Date(timeIntervalSince1970: 1_796_000_600), completedAt: Date(timeIntervalSince1970: 1_796_000_600), createdBy: "clerk",
            residentCase: c)
    }

    @Test("Shift_JIS export substitutes 髙 by the table and 𠮷 by 〓, and reports each in the row and in the list")
    func exportSubstitutes() throws {
        let export = ResidentExport(records: [Self.record(Self.household())], substituting: true)
        #expect(export.rows.count == 3)
        #expect(export.rows[0].familyName == "高橋" && export.rows[0].householder == "高橋　一郎")
        #expect(export.rows[1].familyName == "吉田")  // 𠮷 is in the standard table
        #expect(export.rows[0].outsideJIS == "familyName:U+9AD9→高 householder:U+9AD9→高 headOfRegistry:U+9AD9→高")
        #expect(export.rows[1].outsideJIS == "familyName:U+20BB7→吉 householder:U+9AD9→高")
        #expect(export.replacements.count == 3 + 2 + 3)
        let bytes = try #require(export.csv.data(using: .shiftJIS), "every character encodes in Shift_JIS after substitution")
        #expect(String(data: bytes, encoding: .shiftJIS)?.contains("高橋") == true)

        var unknown = Self.household()
        unknown.persons[0].identity.givenName = "一𩸽"  // not in the table: 〓, and still reported
        let marked = ResidentExport(records: [Self.record(unknown)], substituting: true)
        #expect(marked.rows[0].givenName == "一〓")
        #expect(marked.replacements.contains { $0.character == "𩸽" && $0.replacement == "〓" && !$0.fromTable })
    }

    @Test("UTF-8 export keeps the characters and still names those outside JIS X 0208")
    func exportUTF8() {
        let export = ResidentExport(records: [Self.record(Self.household())], substituting: false)
        #expect(export.rows[0].familyName == "髙橋")
        #expect(export.rows[0].outsideJIS.hasPrefix("familyName:髙(U+9AD9)"))
        let lines = export.csv.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("受付番号,受付窓口,異動事由コード"))
        #expect(lines[1].hasPrefix("case-1,main,move_in,転入（通常）,2026-11-28,2026-12-01,"))
        #expect(lines.count == 5)  // header, three people, and the empty string after the last CRLF
    }

    @Test("CSV cells with commas, quotes or line breaks are quoted")
    func csvQuoting() {
        var c = Self.household()
        c.newAddress = "東京都練馬区豊玉北六丁目12番1号, \"メゾン\"101"
        let line = ResidentExport(records: [Self.record(c)], substituting: false).csv.components(separatedBy: "\r\n")[1]
        #expect(line.contains(#""東京都練馬区豊玉北六丁目12番1号, ""メゾン""101""#))
    }

    @Test("reports count cases and average the reception time of completed ones, per procedure and per hour band")
    func reports() {
        let nine = CityCalendar.date(ofBusinessDay: "2026-12-01")!.addingTimeInterval(9 * 3600)
        let facts = [
            CaseFact(officeID: "main", procedure: .moveIn, createdAt: nine, completedAt: nine.addingTimeInterval(600)),
            CaseFact(officeID: "main", procedure: .moveIn, createdAt: nine.addingTimeInterval(1800), completedAt: nine.addingTimeInterval(1800 + 900)),
            CaseFact(officeID: "other", procedure: .moveOut, createdAt: nine.addingTimeInterval(3600), completedAt: nil)
        ]
        let byProcedure = CaseReport.rows(facts, by: .procedure)
        #expect(byProcedure.map(\.key) == ["move_in", "move_out"])
        #expect(byProcedure[0].cases == 2 && byProcedure[0].completed == 2 && byProcedure[0].averageReceptionSeconds == 750)
        #expect(byProcedure[1].averageReceptionSeconds == nil)
        let byHour = CaseReport.rows(facts, by: .hour)
        #expect(byHour.map(\.label) == ["09:00–09:59", "10:00–10:59"])
        #expect(CaseReport.rows(facts, by: .office, officeNames: ["main": "本庁舎"]).map(\.label) == ["本庁舎", "other"])
        #expect(CaseReport.rows(facts, by: .month).map(\.key) == ["2026-12"])
    }

    @Test("dates as clerks type them become YYYY-MM-DD; impossible ones stay as typed for the checks to name")
    func dateEntry() {
        let cases: [(String, String)] = [
            ("S60.4.12", "1985-04-12"), ("S600412", "1985-04-12"), ("昭和60年4月12日", "1985-04-12"), ("19850412", "1985-04-12"),
            ("1985/4/12", "1985-04-12"), ("１９８５－０４－１２", "1985-04-12"), ("令和元年5月1日", "2019-05-01"), ("H31.4.30", "2019-04-30"),
            ("H31.5.1", "H31.5.1"), ("2026-02-30", "2026-02-30"), ("", "")
        ]
        for (typed, expected) in cases { #expect(DateEntry.normalized(typed) == expected, "\(typed)") }
    }

    @Test("a search by kana finds hiragana with katakana and ignores spaces; memo and names are searched too")
    func textSearch() {
        var c = Self.household()
        c.memo = "書類は後日持参"
        let r = Self.record(c)
        for needle in ["タカハシ", "たかはし　いちろう", "髙橋一郎", "maria", "後日", ""] { #expect(r.matches(text: needle), "\(needle)") }
        #expect(!r.matches(text: "すずき"))
    }

    @Test("an attachment's type comes from its own bytes")
    func attachmentTypes() {
        #expect(CaseAttachment.detectedType(of: Data("%PDF-1.7\n".utf8)) == "application/pdf")
        #expect(CaseAttachment.detectedType(of: Data([0xFF, 0xD8, 0xFF, 0xE0])) == "image/jpeg")
        #expect(CaseAttachment.detectedType(of: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) == "image/png")
        #expect(CaseAttachment.detectedType(of: Data("<html>".utf8)) == nil)
    }
}
