import Foundation
import MadoguchiCore
import MadoguchiStorage
import MadoguchiTestSupport
import Synchronization
import Testing

@Suite("Postal addresses on the database (K3 i, j)", .serialized)
struct AddressDirectoryTests {
    @Test("a KEN_ALL import replaces the towns; lookups by postal code, by list and by first characters", arguments: TestDatabaseKind.available)
    func lookups(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let directory = SQLAddressDirectory(database: t.runtime.database)
            let first = try KenAllImport.parse(
                """
                13120,"176  ","1760002","ﾄｳｷｮｳﾄ","ﾈﾘﾏｸ","ｻｸﾗﾀﾞｲ","東京都","練馬区","桜台",0,0,1,0,0,0
                """
            ).get()
            try await directory.replace(with: first, progress: { _ in })
            let towns = try KenAllImport.parse(
                """
                13120,"176  ","1760001","ﾄｳｷｮｳﾄ","ﾈﾘﾏｸ","ﾈﾘﾏ","東京都","練馬区","練馬",0,0,1,0,0,0
                13120,"176  ","1760002","ﾄｳｷｮｳﾄ","ﾈﾘﾏｸ","ｻｸﾗﾀﾞｲ","東京都","練馬区","桜台",0,0,1,0,0,0
                13114,"164  ","1640001","ﾄｳｷｮｳﾄ","ﾅｶﾉｸ","ﾅｶﾉ","東京都","中野区","中野",0,0,1,0,0,0
                01101,"060  ","0600042","ﾎｯｶｲﾄﾞｳ","ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ","ｵｵﾄﾞｵﾘﾆｼ","北海道","札幌市中央区","大通西（１～１９丁目）",1,0,1,0,0,0
                11229,"351  ","3510114","ｻｲﾀﾏｹﾝ","ﾜｺｳｼ","ﾎﾝﾁｮｳ","埼玉県","和光市","本町",0,0,0,0,0,0
                """
            ).get()
            let fractions = Mutex<[Double]>([])
            try await directory.replace(with: towns, progress: { value in fractions.withLock { $0.append(value) } })
            #expect(fractions.withLock { $0.last } == 1)
            #expect(try await directory.count() == 5)
            #expect(try await directory.addresses(postalCode: "1760002").map(\.text) == ["東京都練馬区桜台"])
            #expect(try await directory.prefectures() == ["北海道", "埼玉県", "東京都"])  // Japan Post's order, not character order
            #expect(try await directory.cities(prefecture: "東京都") == ["中野区", "練馬区"])
            #expect(try await directory.towns(prefecture: "東京都", city: "練馬区").map(\.town) == ["練馬", "桜台"])
            #expect(try await directory.search(prefecture: "東", city: "練", town: "桜", limit: 10).map(\.postalCode) == ["1760002"])
            #expect(try await directory.search(prefecture: "", city: "", town: "大通", limit: 10).first?.townNote == "１～１９丁目")
            #expect(try await directory.search(prefecture: "%", city: "", town: "", limit: 10).isEmpty)  // wildcards are literal
        }
    }
}
