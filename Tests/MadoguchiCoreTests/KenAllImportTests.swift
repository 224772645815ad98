import Foundation
import MadoguchiCore
import Testing

@Suite("Japan Post KEN_ALL import (reference/domain.md §9)")
struct KenAllImportTests {
    static let sample = """
        13120,"176  ","1760000","ﾄｳｷｮｳﾄ","ﾈﾘﾏｸ","ｲｶﾆｹｲｻｲｶﾞﾅｲﾊﾞｱｲ","東京都","練馬区","以下に掲載がない場合",0,0,0,0,0,0\r
        13120,"176  ","1760002","ﾄｳｷｮｳﾄ","ﾈﾘﾏｸ","ｻｸﾗﾀﾞｲ","東京都","練馬区","桜台",0,0,1,0,0,0\r
        01101,"060  ","0600042","ﾎｯｶｲﾄﾞｳ","ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ","ｵｵﾄﾞｵﾘﾆｼ(1-19ﾁｮｳﾒ)","北海道","札幌市中央区","大通西（１～１９丁目）",1,0,1,0,0,0\r
        13103,"105  ","1056090","ﾄｳｷｮｳﾄ","ﾐﾅﾄｸ","ﾄﾗﾉﾓﾝﾋﾙｽﾞﾓﾘﾀﾜｰ(ﾁｶｲ・ｶｲｿｳﾌﾒｲ)","東京都","港区","虎ノ門ヒルズ森タワー（地階・階層不明",0,0,0,0,0,0\r
        13103,"105  ","1056090","ﾄｳｷｮｳﾄ","ﾐﾅﾄｸ","","東京都","港区","）",0,0,0,0,0,0\r

        """

    @Test("records become towns: split names joined, notes in brackets set apart, placeholders blank")
    func parse() throws {
        let towns = try KenAllImport.parse(Self.sample).get()
        #expect(towns.count == 4)
        #expect(towns[0].postalCode == "1760000" && towns[0].town == "" && towns[0].townNote == "以下に掲載がない場合")
        #expect(towns[1].text == "東京都練馬区桜台" && towns[1].postalCodeText == "176-0002" && towns[1].townKana == "ｻｸﾗﾀﾞｲ")
        #expect(towns[2].jisCode == "01101" && towns[2].town == "大通西" && towns[2].townNote == "１～１９丁目" && towns[2].townKana == "ｵｵﾄﾞｵﾘﾆｼ")
        #expect(towns[3].town == "虎ノ門ヒルズ森タワー" && towns[3].townNote == "地階・階層不明")
    }

    @Test("every fault is reported with its line and column, and nothing is returned")
    func faults() {
        let bad = """
            13120,"176  ","1760002","ﾄｳｷｮｳﾄ","ﾈﾘﾏｸ","ｻｸﾗﾀﾞｲ","東京都","練馬区","桜台",0,0,1,0,0,0
            1312,"176  ","176002","ﾄｳｷｮｳﾄ","ﾈﾘﾏｸ","ｻｸﾗﾀﾞｲ","東京都","","桜台",0,0,1,0,0,0
            13120,"176  ","1760002","ﾄｳｷｮｳﾄ"
            13120,"176  ","1760003","ﾄｳｷｮｳﾄ","ﾈﾘﾏｸ","ﾊｻﾞﾜ","東京都","練馬区","羽沢",0,0,1,0,x,0
            13103,"105  ","1056090","ﾄｳｷｮｳﾄ","ﾐﾅﾄｸ","","東京都","港区","森タワー（地階",0,0,0,0,0,0
            """
        guard case .failure(let rejected) = KenAllImport.parse(bad) else {
            Issue.record("a faulty file was accepted")
            return
        }
        #expect(rejected.faults.map { "\($0.line):\($0.column)" } == ["2:1", "2:3", "2:8", "3:1", "4:14", "5:9"])
    }
}
