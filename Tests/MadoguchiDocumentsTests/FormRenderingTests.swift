import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import MadoguchiDocuments
import Testing

/// The shipped layouts load and draw into real PDFs: poppler's pdftotext reads every value back and pdffonts
/// shows IPAmj Mincho embedded (K4, K6).
@Suite("Form layouts and PDF")
struct FormRenderingTests {
    static func household() -> ResidentCase {
        TestHouseholds.takahashi(children: [TestHouseholds.child("花", kana: "はな", born: "2016-05-20", sex: .female)])
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) failed")
        return String(decoding: output, as: UTF8.self)
    }

    static func write(_ pdf: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-form-\(UUID().uuidString).pdf")
        try pdf.write(to: url)
        return url
    }

    @Test("every shipped layout loads, names only known values and has a title")
    func shippedLayouts() throws {
        let catalogue = try FormLibrary.load()
        #expect(catalogue.layouts.map(\.id) == ["jumin-ido", "juminhyo-request", "inkan-registration", "kokuho", "jido-teate", "tenko"])
        for layout in catalogue.layouts {
            #expect(layout.faults(knownKeys: CaseFormValues.knownKeys).isEmpty, "\(layout.id)")
            #expect(!layout.title.isEmpty)
        }
    }

    @Test("the 住民異動届 PDF holds each value, the 戸籍統一文字 included, in embedded IPAmj Mincho")
    func mainFormPDF() throws {
        let catalogue = try FormLibrary.load()
        let values = CaseFormValues(case: Self.household(), caseID: "K0001", officeName: "練馬区民事務所")
        let pdf = try PDFFormRenderer().pdf(catalogue.layout("jumin-ido")!.compose(values))
        #expect(pdf.starts(with: Data("%PDF-".utf8)))
        let file = try Self.write(pdf)
        defer { try? FileManager.default.removeItem(at: file) }
        let text = try Self.run("pdftotext", ["-enc", "UTF-8", file.path, "-"])
        for value in [
            "住民異動届", "髙橋", "𠮷田", "たかはし", "昭和60年4月12日", "東京都練馬区豊玉北六丁目12番1号", "埼玉県さいたま市浦和区高砂三丁目1番1号",
            "フィリピン", "日本人の配偶者等", "3年", "AB12345678CD", "中長期在留者", "123456789018", "令和8年12月1日"
        ] {
            #expect(text.replacingOccurrences(of: " ", with: "").contains(value.replacingOccurrences(of: " ", with: "")), "missing \(value)")
        }
        let fonts = try Self.run("pdffonts", [file.path])
        #expect(fonts.contains("IPAmjMincho"))
        #expect(fonts.split(separator: "\n").filter { $0.contains("IPAmjMincho") }.allSatisfy { $0.contains(" yes ") }, "IPAmj Mincho is embedded")
    }

    @Test("a household larger than the form's rows continues on a second page")
    func continuationPages() throws {
        var big = Self.household()
        big.persons += big.persons + big.persons  // 9 people on a form with 4 rows
        let pages = try FormLibrary.load().layout("jumin-ido")!.compose(CaseFormValues(case: big))
        #expect(pages.count == 3)
        #expect(pages[2].texts.contains { $0.text == "（3／3枚目）" })
        #expect(pages[2].texts.contains { $0.text == "9" })
    }

    @Test("related forms draw from the same case: children and pupils are chosen by legal age on the moving date")
    func relatedForms() throws {
        let catalogue = try FormLibrary.load()
        let values = CaseFormValues(case: Self.household())
        #expect(values.lists["children"]?.map { $0["name"]?.text } == ["髙橋　花"])
        #expect(values.lists["pupils"]?.map { $0["name"]?.text } == ["髙橋　花"])
        let pdf = try PDFFormRenderer().pdf(
            try ["juminhyo-request", "kokuho", "jido-teate", "tenko", "inkan-registration"].flatMap {
                catalogue.layout($0)!.compose(values)
            })
        let file = try Self.write(pdf)
        defer { try? FileManager.default.removeItem(at: file) }
        let text = try Self.run("pdftotext", ["-enc", "UTF-8", file.path, "-"]).replacingOccurrences(of: " ", with: "")
        for title in ["住民票の写し等交付請求書", "国民健康保険の届出書", "児童手当認定請求書", "転校の届出", "印鑑登録申請書"] {
            #expect(text.contains(title), "missing \(title)")
        }
        #expect(text.contains("髙橋") && text.contains("花") && text.contains("平成28年5月20日"))
    }

    @Test("a city's layout file replaces a shipped one; a faulty one is refused with its file and fault")
    func cityLayouts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-forms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let own =
            #"{"id":"kokuho","title":"国保の届（市の様式）","pageWidth":210,"pageHeight":148,"texts":[],"boxes":[],"lines":[],"#
            + #""fields":[{"key":"householder","x":10,"y":10,"w":100,"h":10,"size":12}]}"#
        try Data(own.utf8).write(to: directory.appendingPathComponent("kokuho.json"))
        let catalogue = try FormLibrary.load(cityDirectory: directory.path)
        #expect(catalogue.layout("kokuho")?.title == "国保の届（市の様式）")
        #expect(catalogue.layouts.count == 6)

        let broken = own.replacingOccurrences(of: #""id":"kokuho""#, with: #""id":"broken""#).replacingOccurrences(of: "householder", with: "favouriteColour")
        try Data(broken.utf8).write(to: directory.appendingPathComponent("broken.json"))
        try Data("{\"id\": \"x\"".utf8).write(to: directory.appendingPathComponent("truncated.json"))
        #expect {
            try FormLibrary.load(cityDirectory: directory.path)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("broken.json: 項目「favouriteColour」はありません。") && text.contains("truncated.json")
        }
    }
}
