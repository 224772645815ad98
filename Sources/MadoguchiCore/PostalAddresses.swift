import Foundation

/// One town (町域) of Japan Post's postal-code data, for entering addresses and 本籍 without writing (K3 i, j).
public struct PostalAddress: Sendable, Equatable, Codable {
    /// 全国地方公共団体コード (5 digits).
    public var jisCode: String
    /// 7 digits, no hyphen.
    public var postalCode: String
    public var prefecture: String
    public var city: String
    /// The town without Japan Post's notes in brackets; empty for 「以下に掲載がない場合」 and the like.
    public var town: String
    /// What Japan Post wrote in brackets after the town (「１～１９丁目」, 「次のビルを除く」…), if anything.
    public var townNote: String
    public var prefectureKana: String
    public var cityKana: String
    public var townKana: String

    public init(
        jisCode: String, postalCode: String, prefecture: String, city: String, town: String, townNote: String = "",
        prefectureKana: String = "", cityKana: String = "", townKana: String = ""
    ) {
        self.jisCode = jisCode
        self.postalCode = postalCode
        self.prefecture = prefecture
        self.city = city
        self.town = town
        self.townNote = townNote
        self.prefectureKana = prefectureKana
        self.cityKana = cityKana
        self.townKana = townKana
    }

    /// `東京都練馬区桜台`.
    public var text: String { prefecture + city + town }
    /// `176-0002`.
    public var postalCodeText: String { postalCode.count == 7 ? "\(postalCode.prefix(3))-\(postalCode.suffix(4))" : postalCode }
}

/// Japan Post's KEN_ALL.CSV (reference/domain.md §9): 15 columns, no header, one town per record — except that a long
/// town name is split over several records (an opening 「（」 without its 「）」), which are joined here. All or
/// nothing: every fault is reported with its line and column. The caller decodes Shift_JIS (or UTF-8 for
/// utf_ken_all.csv).
public enum KenAllImport {
    public typealias Fault = ReservationIDImport.Fault

    public struct Rejected: Error, Sendable {
        public var faults: [Fault]
    }

    /// Town names that stand for "the rest of the city" or "the block number follows": no town to enter.
    static let placeholders = ["以下に掲載がない場合", "の次に番地がくる場合"]

    /// Splits one CSV line, honouring double quotes.
    static func fields(_ line: Substring) -> [String] {
        var fields: [String] = [], current = "", quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if character == "\"" {
                quoted.toggle()
            } else if character == ",", !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    public static func parse(_ text: String, progress: (Double) -> Void = { _ in }) -> Result<[PostalAddress], Rejected> {
        var faults: [Fault] = []
        var addresses: [PostalAddress] = []
        var open: (address: PostalAddress, line: Int)?
        let lines = text.replacingOccurrences(of: "\u{FEFF}", with: "").split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        let total = max(lines.count, 1)
        for (index, raw) in lines.enumerated() {
            if index % 5_000 == 0 { progress(Double(index) / Double(total)) }
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let number = index + 1
            let f = fields(line)
            guard f.count == 15 else {
                faults.append(Fault(line: number, column: 1, message: "項目が15個ではありません（\(f.count)個）。KEN_ALL.CSV の形式か確かめてください。"))
                continue
            }
            var lineFaults: [Fault] = []
            if f[0].count != 5 || !f[0].allSatisfy({ $0.isASCII && $0.isNumber }) {
                lineFaults.append(Fault(line: number, column: 1, message: "全国地方公共団体コード「\(f[0])」は数字5桁ではありません。"))
            }
            if f[2].count != 7 || !f[2].allSatisfy({ $0.isASCII && $0.isNumber }) {
                lineFaults.append(Fault(line: number, column: 3, message: "郵便番号「\(f[2])」は数字7桁ではありません。"))
            }
            if f[6].isEmpty { lineFaults.append(Fault(line: number, column: 7, message: "都道府県名がありません。")) }
            if f[7].isEmpty { lineFaults.append(Fault(line: number, column: 8, message: "市区町村名がありません。")) }
            for column in 9...14 where !["0", "1", "2", "3", "4", "5", "6"].contains(f[column]) {
                lineFaults.append(Fault(line: number, column: column + 1, message: "フラグ「\(f[column])」は数字1桁ではありません。"))
            }
            faults += lineFaults
            guard lineFaults.isEmpty else { continue }
            let record = PostalAddress(
                jisCode: f[0], postalCode: f[2], prefecture: f[6], city: f[7], town: f[8],
                prefectureKana: f[3], cityKana: f[4], townKana: f[5])
            // A continuation of a town name split over records: same postal code, joined until the bracket closes.
            if var pending = open {
                guard record.postalCode == pending.address.postalCode else {
                    faults.append(Fault(line: pending.line, column: 9, message: "町域名「\(pending.address.town)」の「（」が閉じていません。"))
                    open = nil
                    continue
                }
                pending.address.town += record.town
                pending.address.townKana += record.townKana
                if pending.address.town.contains("）") {
                    addresses.append(finish(pending.address))
                    open = nil
                } else {
                    open = pending
                }
                continue
            }
            if record.town.contains("（"), !record.town.contains("）") {
                open = (record, number)
                continue
            }
            addresses.append(finish(record))
        }
        if let pending = open {
            faults.append(Fault(line: pending.line, column: 9, message: "町域名「\(pending.address.town)」の「（」が閉じていません。"))
        }
        if addresses.isEmpty, faults.isEmpty { faults.append(Fault(line: 1, column: 1, message: "住所が1件もありません。")) }
        progress(1)
        return faults.isEmpty ? .success(addresses) : .failure(Rejected(faults: faults))
    }

    /// Moves Japan Post's bracketed notes out of the town name and blanks placeholder towns.
    static func finish(_ record: PostalAddress) -> PostalAddress {
        var address = record
        if let open = address.town.firstIndex(of: "（") {
            address.townNote = String(address.town[address.town.index(after: open)...]).replacingOccurrences(of: "）", with: "")
            address.town = String(address.town[..<open])
        }
        if let open = address.townKana.firstIndex(where: { $0 == "(" || $0 == "（" }) { address.townKana = String(address.townKana[..<open]) }
        if placeholders.contains(where: { address.town.hasSuffix($0) }) {
            address.townNote = address.town
            address.town = ""
            address.townKana = ""
        }
        return address
    }
}

/// Where addresses are looked up: by postal code, by list from 都道府県 down (K3 i), or by the first characters of
/// each level (K3 j).
public protocol AddressDirectory: Sendable {
    /// Replaces every address in one transaction; `progress` gets 0…1.
    func replace(with addresses: [PostalAddress], progress: @Sendable (Double) -> Void) async throws
    func addresses(postalCode: String) async throws -> [PostalAddress]
    func prefectures() async throws -> [String]
    func cities(prefecture: String) async throws -> [String]
    func towns(prefecture: String, city: String) async throws -> [PostalAddress]
    /// Addresses whose prefecture, city and town begin with the given texts (any may be empty), at most `limit`.
    func search(prefecture: String, city: String, town: String, limit: Int) async throws -> [PostalAddress]
    func count() async throws -> Int
}
