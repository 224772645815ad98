import Foundation
import MadoguchiCore
import Testing

@Suite("住民異動届: required items per procedure, Japanese and foreign-resident items kept apart (K3)")
struct ResidentCaseTests {
    static let today = "2026-11-24"

    static var taro: CasePerson {
        CasePerson(
            identity: IdentityData(
                familyName: "練馬", givenName: "太郎", familyNameKana: "ねりま", givenNameKana: "たろう",
                birthDate: "1985-04-12", sex: .male, myNumber: "123456789018"),
            relationship: "世帯主", residentRecordCode: "24727059608",
            japanese: JapaneseRegistry(honseki: "東京都練馬区豊玉北六丁目12番", headOfRegistry: "練馬 太郎"))
    }

    static var mei: CasePerson {
        CasePerson(
            identity: IdentityData(
                source: .residenceCard, familyName: "WANG", givenName: "MEI", familyNameKana: "ワン", givenNameKana: "メイ",
                birthDate: "1990-07-01", sex: .female),
            relationship: "妻",
            foreign: ForeignResidence(
                nationality: "中国", category: .midToLongTerm, status: "家族滞在", periodCode: "0300000",
                expiryDate: "2028-03-31", cardNumber: "AB12345678CD"))
    }

    static func moveIn(_ persons: [CasePerson]) -> ResidentCase {
        ResidentCase(
            procedure: .moveIn, movingDate: "2026-11-20", notificationDate: today, previousAddress: "大阪府大阪市北区梅田1-1-1",
            newAddress: "東京都練馬区桜台1-2-3", householder: "練馬 太郎", persons: persons)
    }

    @Test("a mixed household moving in (one Japanese, one foreign resident) has no faults")
    func mixedHousehold() {
        #expect(Self.moveIn([Self.taro, Self.mei]).faults(today: Self.today) == [])
    }

    @Test("a Japanese person cannot get 在留 items and a foreign resident cannot get 本籍; each needs its own")
    func exclusiveFields() {
        var both = Self.taro
        both.foreign = Self.mei.foreign
        var neither = Self.mei
        neither.foreign = nil
        let faults = Self.moveIn([both, neither]).faults(today: Self.today)
        #expect(faults.map(\.field) == ["persons[0].foreign", "persons[1].japanese"])
        #expect(faults[0].message.contains("同時に入力できません"))
    }

    @Test("required items per procedure, each fault with its field and a Japanese message")
    func requiredByProcedure() {
        var empty = Self.taro
        empty.japanese = JapaneseRegistry(honseki: "", headOfRegistry: "")
        var moveIn = Self.moveIn([empty])
        moveIn.previousAddress = ""
        #expect(moveIn.faults(today: Self.today).map(\.field) == ["previousAddress", "persons[0].japanese.honseki", "persons[0].japanese.headOfRegistry"])
        // 転居 does not ask for 本籍 again; 転出 needs the destination; 職権記載 its reason; 世帯変更 the new householder.
        var within = moveIn
        within.procedure = .moveWithin
        within.previousAddress = "東京都練馬区練馬1-1-1"
        #expect(within.faults(today: Self.today) == [])
        var out = ResidentCase(procedure: .moveOut, movingDate: "2026-12-01", notificationDate: Self.today, householder: "練馬 太郎", persons: [Self.taro])
        #expect(out.faults(today: Self.today).map(\.field) == ["newAddress"])
        out.newAddress = "北海道札幌市中央区大通西1"
        #expect(out.faults(today: Self.today) == [])
        let official = ResidentCase(
            procedure: .officialEntry, movingDate: "2026-11-01", notificationDate: Self.today, householder: "練馬 太郎",
            persons: [Self.taro])
        #expect(official.faults(today: Self.today).map(\.field) == ["remarks"])
        let change = ResidentCase(procedure: .householdChange, movingDate: "2026-11-20", notificationDate: Self.today, persons: [Self.taro])
        #expect(change.faults(today: Self.today).map(\.field) == ["householder"])
    }

    @Test("wrong numbers, impossible dates, kana and late notifications")
    func checks() {
        var person = Self.mei
        person.identity.birthDate = "1990-02-30"
        person.identity.myNumber = "123456789012"
        person.identity.familyNameKana = "WANG"
        person.foreign?.cardNumber = "AB1234567CD"
        person.foreign?.periodCode = "0512000"
        var late = Self.moveIn([person])
        late.movingDate = "2026-11-01"
        let faults = late.faults(today: Self.today)
        #expect(
            faults.map(\.field) == [
                "movingDate", "persons[0].identity.familyNameKana", "persons[0].identity.birthDate",
                "persons[0].identity.myNumber", "persons[0].foreign.cardNumber", "persons[0].foreign.periodCode"
            ])
        #expect(faults[0].severity == .warning && faults.dropFirst().allSatisfy { $0.severity == .error })
        var code = Self.taro
        code.residentRecordCode = "25208017644"
        let warning = Self.moveIn([code]).faults(today: Self.today)
        #expect(warning.map(\.severity) == [.warning] && warning[0].field == "persons[0].residentRecordCode")
        var future = Self.moveIn([Self.taro])
        future.movingDate = "2026-11-30"
        #expect(future.faults(today: Self.today).map(\.field) == ["movingDate"])
    }

    @Test("every source fills the same identity shape, and a case survives JSON")
    func identityShape() throws {
        let data = try JSONEncoder().encode(Self.moveIn([Self.taro, Self.mei]))
        let back = try JSONDecoder().decode(ResidentCase.self, from: data)
        #expect(back == Self.moveIn([Self.taro, Self.mei]))
        #expect(back.persons.map(\.identity.source) == [.typed, .residenceCard])
    }
}
