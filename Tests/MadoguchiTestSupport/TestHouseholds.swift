import MadoguchiCore

/// The household the no-writing counter's tests fill in: a Japanese householder whose name has a 戸籍統一文字
/// outside JIS X 0208 (髙), his foreign-resident wife whose surname is outside it too (𠮷), and the child each test
/// needs (`child(...)`), moving in on 2026-11-28.
public enum TestHouseholds {
    public static let honseki = JapaneseRegistry(honseki: "東京都練馬区豊玉北六丁目12番", headOfRegistry: "髙橋　一郎")

    public static func takahashi(children: [CasePerson]) -> ResidentCase {
        ResidentCase(
            procedure: .moveIn, movingDate: "2026-11-28", notificationDate: "2026-12-01", previousAddress: "埼玉県さいたま市浦和区高砂三丁目1番1号",
            newAddress: "東京都練馬区豊玉北六丁目12番1号", householder: "髙橋　一郎",
            persons: [
                CasePerson(
                    identity: IdentityData(
                        familyName: "髙橋", givenName: "一郎", familyNameKana: "たかはし", givenNameKana: "いちろう",
                        birthDate: "1985-04-12", sex: .male, myNumber: "123456789018"),
                    relationship: "世帯主", residentRecordCode: "12345678901", japanese: honseki),
                CasePerson(
                    identity: IdentityData(
                        source: .residenceCard, familyName: "𠮷田", givenName: "MARIA", familyNameKana: "よしだ", givenNameKana: "まりあ",
                        birthDate: "1990-07-01", sex: .female),
                    relationship: "妻",
                    foreign: ForeignResidence(
                        nationality: "フィリピン", category: .midToLongTerm, status: "日本人の配偶者等",
                        periodCode: "0300000", expiryDate: "2029-07-01", cardNumber: "AB12345678CD"))
            ] + children)
    }

    /// A child of the householder with the family's 本籍.
    public static func child(_ givenName: String, kana: String, born: String, sex: IdentityData.Sex) -> CasePerson {
        CasePerson(
            identity: IdentityData(familyName: "髙橋", givenName: givenName, familyNameKana: "たかはし", givenNameKana: kana, birthDate: born, sex: sex),
            relationship: "子", japanese: honseki)
    }
}
