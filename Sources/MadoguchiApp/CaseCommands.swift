import ArgumentParser
import Foundation
import MadoguchiCore
import MadoguchiDocuments
import MadoguchiStorage

struct FormsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forms", abstract: "書かない窓口の帳票を扱います。", subcommands: [List.self, Sample.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "使える帳票（同梱と MADOGUCHI_FORMS_DIR の市の帳票）を表示します。")
        @OptionGroup var settingsOptions: SettingsOptions
        func run() async throws {
            let forms = try FormLibrary.load(cityDirectory: try await settingsOptions.settings().formsDirectory)
            for form in forms.layouts { print("\(form.id)\t\(form.title)") }
        }
    }

    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "見本のデータ（日本人と外国人住民の世帯）を記入した帳票をPDFで書き出します。")
        @Option(help: "帳票のID（madoguchi forms list）。複数指定すると1つのPDFにまとめます。") var form: [String] = [FormCatalogue.mainFormID]
        @Option(help: "書き出すPDFファイル") var out: String
        @OptionGroup var settingsOptions: SettingsOptions

        func run() async throws {
            let forms = try FormLibrary.load(cityDirectory: try await settingsOptions.settings().formsDirectory)
            let today = CityCalendar.businessDate(of: Date())
            let values = CaseFormValues(case: DemoCases.sample(today: today), caseID: "SAMPLE01", officeName: "練馬区民事務所")
            var pages: [ComposedPage] = []
            for id in form {
                guard let layout = forms.layout(id) else {
                    throw ValidationError("帳票「\(id)」はありません。使える帳票: \(forms.layouts.map(\.id).joined(separator: ", "))")
                }
                pages += layout.compose(values)
            }
            let pdf = try PDFFormRenderer().pdf(pages)
            try pdf.write(to: URL(fileURLWithPath: out))
            print("\(out) に書き出しました（\(pages.count) ページ、\(pdf.count) バイト）")
        }
    }
}

struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cases", abstract: "書かない窓口の届出を扱います。", subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "完了した届出を住民記録システム向けの CSV / JSON に書き出します（JIS第1・第2水準外の文字は報告します）。")
        @OptionGroup var settingsOptions: SettingsOptions
        @Option(help: "完了日 から（YYYY-MM-DD）") var from: String
        @Option(help: "完了日 まで（YYYY-MM-DD）") var to: String
        @Option(help: "utf-8 または shift_jis（JIS X 0208 に置換）") var encoding = "shift_jis"
        @Option(help: "csv または json") var format = "csv"
        @Option(help: "書き出すファイル（既定は標準出力）") var out: String?

        func run() async throws {
            guard CityCalendar.date(ofBusinessDay: from) != nil, CityCalendar.date(ofBusinessDay: to) != nil, from <= to else {
                throw ValidationError("--from と --to は YYYY-MM-DD で、from ≦ to になるよう指定してください。")
            }
            guard ["utf-8", "shift_jis"].contains(encoding), ["csv", "json"].contains(format) else {
                throw ValidationError("--encoding は utf-8 か shift_jis、--format は csv か json です。")
            }
            let settings = try await settingsOptions.settings()
            let url = settings.database
            let cipher: ContactCipher
            do { cipher = try DataKeys.cipher(for: settings) } catch let error as CustomStringConvertible & Error {
                throw ValidationError(error.description)
            }
            try await MadoguchiRuntime.using(url, migrate: false, cipher: cipher) { runtime in
                let shiftJIS = encoding == "shift_jis" && format == "csv"
                let exported = try await runtime.cases.export(from: from, through: to, officeIDs: [], shiftJIS: shiftJIS, format: format, by: .commandLine)
                let data: Data
                if format == "json" {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    data = try encoder.encode(exported.listing)
                } else {
                    data = exported.csvData
                }
                if let out { try data.write(to: URL(fileURLWithPath: out)) } else { FileHandle.standardOutput.write(data) }
                // The report goes to standard error so it never mixes with the file on standard output.
                var report = "書き出し: \(exported.rows.count) 行（届出 \(exported.caseCount) 件）、JIS第1・第2水準外の文字 \(exported.replacements.count) 件\n"
                for r in exported.replacements {
                    report += "  \(r.field): \(r.character)（\(r.codePoint)）→ \(shiftJIS ? r.replacement : "そのまま")\(r.fromTable ? "（置換表）" : "")\n"
                }
                FileHandle.standardError.write(Data(report.utf8))
            }
        }
    }
}

/// The demo's remark phrases and the sample household `forms sample` fills in: a Japanese householder whose name
/// has a 戸籍統一文字 outside JIS X 0208 (髙), a foreign-resident spouse and two children.
enum DemoCases {
    static let phrases = [
        "転出証明書を確認済み。", "マイナンバーカードによる特例転入。", "在留カードの住居地を裏面に記載済み。", "代理人による届出（委任状あり）。",
        "国民健康保険の加入手続きを案内済み。", "児童手当の認定請求を案内済み。", "転校の手続きを案内済み。"
    ]

    static func sample(today: String) -> ResidentCase {
        let day = CityCalendar.date(ofBusinessDay: today) ?? Date()
        let moved = CityCalendar.businessDate(of: day.addingTimeInterval(-3 * 86_400))
        let expiry = CityCalendar.businessDate(of: day.addingTimeInterval(3 * 365 * 86_400))
        return ResidentCase(
            procedure: .moveIn, movingDate: moved, notificationDate: today, previousAddress: "埼玉県さいたま市浦和区高砂三丁目1番1号",
            newAddress: "東京都練馬区豊玉北六丁目12番1号", householder: "髙橋　一郎",
            persons: [
                CasePerson(
                    identity: IdentityData(
                        familyName: "髙橋", givenName: "一郎", familyNameKana: "たかはし", givenNameKana: "いちろう",
                        birthDate: "1985-04-12", sex: .male, myNumber: "123456789018"),
                    relationship: "世帯主", japanese: JapaneseRegistry(honseki: "東京都練馬区豊玉北六丁目12番", headOfRegistry: "髙橋　一郎")),
                CasePerson(
                    identity: IdentityData(
                        source: .residenceCard, familyName: "GARCIA", givenName: "MARIA", familyNameKana: "がるしあ",
                        givenNameKana: "まりあ", birthDate: "1990-07-01", sex: .female),
                    relationship: "妻",
                    foreign: ForeignResidence(
                        nationality: "フィリピン", category: .midToLongTerm, status: "日本人の配偶者等",
                        periodCode: "0300000", expiryDate: expiry, cardNumber: "AB12345678CD")),
                CasePerson(
                    identity: IdentityData(
                        familyName: "髙橋", givenName: "花", familyNameKana: "たかはし", givenNameKana: "はな",
                        birthDate: "2016-05-20", sex: .female),
                    relationship: "子", japanese: JapaneseRegistry(honseki: "東京都練馬区豊玉北六丁目12番", headOfRegistry: "髙橋　一郎")),
                CasePerson(
                    identity: IdentityData(
                        familyName: "髙橋", givenName: "蓮", familyNameKana: "たかはし", givenNameKana: "れん",
                        birthDate: "2022-01-15", sex: .male),
                    relationship: "子", japanese: JapaneseRegistry(honseki: "東京都練馬区豊玉北六丁目12番", headOfRegistry: "髙橋　一郎"))
            ],
            remarks: "転出証明書を確認済み。")
    }
}
