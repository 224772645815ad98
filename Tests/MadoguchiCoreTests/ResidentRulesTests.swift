import Foundation
import MadoguchiCore
import Testing

@Suite("Resident rules: 個人番号, 住民票コード, 和暦, legal age, 在留期間, 在留カード番号 (reference/domain.md §1, 2, 4, 8)")
struct ResidentRulesTests {
    @Test("個人番号 check digits, including the remainder 0/1 branch and a leading zero")
    func myNumber() {
        #expect(ResidentNumbers.mod11CheckDigit("12345678901") == 8)
        #expect(ResidentNumbers.mod11CheckDigit("45497236486") == 0)
        for valid in ["123456789018", "454972364860", "983205673214", "023456789013", "1234 5678 9018", "１２３４５６７８９０１８"] {
            #expect(ResidentNumbers.isValidMyNumber(valid), "\(valid)")
        }
        for invalid in ["123456789012", "12345678901", "1234567890188", "12345678901a", ""] {
            #expect(!ResidentNumbers.isValidMyNumber(invalid), "\(invalid)")
        }
    }

    @Test("住民票コード by the inferred formula (a warning only)")
    func residentRecordCode() {
        #expect(ResidentNumbers.mod11CheckDigit("2472705960") == 8)
        for code in ["24727059608", "24846016224", "25208017643"] { #expect(ResidentNumbers.residentRecordCodeLooksValid(code), "\(code)") }
        for code in ["25208017644", "12345678901", "2472705960"] { #expect(!ResidentNumbers.residentRecordCodeLooksValid(code), "\(code)") }
    }

    @Test("和暦 both ways with 元年 and the exact era boundaries")
    func wareki() throws {
        let pairs = [
            ("1912-07-29", "明治45年7月29日"), ("1912-07-30", "大正元年7月30日"), ("1926-12-24", "大正15年12月24日"),
            ("1926-12-25", "昭和元年12月25日"), ("1989-01-07", "昭和64年1月7日"), ("1989-01-08", "平成元年1月8日"),
            ("2019-04-30", "平成31年4月30日"), ("2019-05-01", "令和元年5月1日"), ("2026-11-22", "令和8年11月22日"),
            ("1873-01-01", "明治6年1月1日")
        ]
        for (gregorian, text) in pairs {
            let date = try #require(WarekiDate(gregorian: gregorian), "\(gregorian)")
            #expect(date.text == text)
            #expect(WarekiDate(parsing: text)?.gregorian == gregorian, "\(text)")
        }
        #expect(WarekiDate(parsing: "R1.5.1")?.gregorian == "2019-05-01")
        #expect(WarekiDate(parsing: "Ｈ３１．４．３０")?.gregorian == "2019-04-30")
        #expect(WarekiDate(parsing: "平成 元年 1月 8日")?.short == "H1.1.8")
        // Dates that do not exist in their era, impossible dates, and the lunisolar years before 1873.
        for text in ["昭和64年1月8日", "平成31年5月1日", "令和元年4月30日", "大正元年7月29日", "令和2年2月30日", "平成0年1月1日", "明治5年12月1日"] {
            #expect(WarekiDate(parsing: text) == nil, "\(text)")
        }
        #expect(WarekiDate(gregorian: "2026-02-29") == nil)
        #expect(WarekiDate(gregorian: "1872-12-31") == nil)
    }

    @Test("age by the law: reached at the end of the day before the birthday; 29 February births on 28 February")
    func age() {
        #expect(LegalAge.age(birth: "2008-02-09", on: "2026-02-08") == 18)  // may vote on 2026-02-08
        #expect(LegalAge.age(birth: "2008-02-09", on: "2026-02-07") == 17)
        #expect(LegalAge.age(birth: "2000-02-29", on: "2001-02-27") == 0)
        #expect(LegalAge.age(birth: "2000-02-29", on: "2001-02-28") == 1)
        #expect(LegalAge.age(birth: "2000-02-29", on: "2004-02-28") == 4)
        #expect(LegalAge.age(birth: "2000-02-29", on: "2003-02-28") == 3)
        #expect(LegalAge.age(birth: "2020-04-01", on: "2026-03-31") == 6)  // born on 4/1: the earlier school year
        #expect(LegalAge.age(birth: "2020-04-02", on: "2026-03-31") == 5)
        #expect(LegalAge.age(birth: "2026-11-22", on: "2026-11-22") == 0)
        #expect(LegalAge.age(birth: "2026-11-23", on: "2026-11-22") == nil)
        #expect(LegalAge.age(birth: "2026-02-30", on: "2026-11-22") == nil)
    }

    @Test("在留期間 codes in words, 在留カード番号 format")
    func residence() {
        let cases = [
            "0500000": "5年", "0403000": "4年3月", "0006000": "6月", "0004000": "4月", "0000090": "90日", "0000015": "15日",
            "9999999": "無期限", "0000000": "なし"
        ]
        for (code, text) in cases { #expect(ResidencePeriod.text(code) == text, "\(code)") }
        for bad in ["050000", "05000000", "0512000", "05a0000"] { #expect(ResidencePeriod.text(bad) == nil, "\(bad)") }
        #expect(ResidentNumbers.isWellFormedResidenceCardNumber("AB12345678CD"))
        for bad in ["ab12345678cd", "AB1234567CD", "A112345678CD", "AB12345678C1", "ＡＢ12345678CD"] {
            #expect(!ResidentNumbers.isWellFormedResidenceCardNumber(bad), "\(bad)")
        }
    }
}
