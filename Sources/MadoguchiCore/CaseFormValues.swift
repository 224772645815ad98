import Foundation

/// The values a case puts on its forms, by name, each with the case field it came from. Every form — the 住民異動届
/// and the related forms — draws from this one dictionary, so a new form needs a layout file only (K4).
public struct CaseFormValues: Sendable {
    public struct Value: Sendable, Equatable {
        public var text: String
        public var path: String?
        public init(_ text: String, path: String? = nil) {
            self.text = text
            self.path = path
        }
    }

    public var values: [String: Value]
    /// `persons`, `children` (under 18 on the moving date) and `pupils` (6 to 15): one dictionary per person with
    /// the `person.` keys without their prefix.
    public var lists: [String: [[String: Value]]]

    /// Names a layout may use: case keys, and `person.KEY` inside rows.
    public static let caseKeys: [String: String] = [
        "procedure": "届出の種類", "movingDate": "異動日（和暦）", "movingDateGregorian": "異動日（西暦）", "notificationDate": "届出日（和暦）",
        "previousAddress": "従前の住所", "newAddress": "新しい住所", "householder": "世帯主", "remarks": "備考", "officeName": "受付窓口",
        "caseID": "受付番号", "personCount": "異動者の人数", "applicant.name": "届出人（筆頭の異動者）の氏名", "applicant.kana": "届出人のふりがな",
        "applicant.birthDate": "届出人の生年月日", "applicant.address": "届出人の住所", "applicant.sex": "届出人の性別",
        "check.move_in": "○ 転入（通常）", "check.move_in_card": "○ 転入（特例）", "check.move_in_abroad": "○ 国外転入", "check.move_within": "○ 転居",
        "check.move_out": "○ 転出", "check.household_change": "○ 世帯変更", "check.official_entry": "○ 職権記載"
    ]
    public static let personKeys: [String: String] = [
        "name": "氏名", "kana": "ふりがな", "birthDate": "生年月日（和暦）", "birthDateGregorian": "生年月日（西暦）", "age": "年齢", "sex": "性別",
        "relationship": "続柄", "residentRecordCode": "住民票コード", "myNumber": "個人番号", "honseki": "本籍", "headOfRegistry": "筆頭者",
        "nationality": "国籍・地域", "category": "30条45規定区分", "status": "在留資格", "period": "在留期間等", "expiryDate": "在留期間の満了の日",
        "cardNumber": "在留カード等の番号", "index": "番号"
    ]
    public static var knownKeys: Set<String> { Set(caseKeys.keys).union(personKeys.keys.map { "person." + $0 }) }

    /// `WarekiDate` text for a real date (`昭和60年4月12日`), the text as given otherwise.
    static func wareki(_ date: String) -> String { WarekiDate(gregorian: date)?.text ?? date }

    public init(case c: ResidentCase, caseID: String = "", officeName: String = "") {
        var values: [String: Value] = [
            "procedure": Value(c.procedure.japaneseName, path: "procedure"),
            "movingDate": Value(Self.wareki(c.movingDate), path: "movingDate"),
            "movingDateGregorian": Value(c.movingDate, path: "movingDate"),
            "notificationDate": Value(Self.wareki(c.notificationDate), path: "notificationDate"),
            "previousAddress": Value(c.previousAddress, path: "previousAddress"),
            "newAddress": Value(c.newAddress, path: "newAddress"),
            "householder": Value(c.householder, path: "householder"),
            "remarks": Value(c.remarks, path: "remarks"),
            "officeName": Value(officeName), "caseID": Value(caseID), "personCount": Value("\(c.persons.count)人"),
            "check.\(c.procedure.rawValue)": Value("○", path: "procedure")
        ]
        let people = c.persons.enumerated().map { index, person in Self.personValues(person, index: index, on: c.movingDate) }
        if let first = people.first {
            for key in ["name", "kana", "birthDate", "sex"] { values["applicant." + key] = first[key] }
            values["applicant.address"] = Value(
                c.procedure == .moveOut ? c.previousAddress : c.newAddress,
                path: c.procedure == .moveOut ? "previousAddress" : "newAddress")
        }
        self.values = values
        let ages = c.persons.map { LegalAge.age(birth: $0.identity.birthDate, on: c.movingDate) }
        lists = [
            "persons": people,
            "children": people.indices.filter { (ages[$0] ?? 99) < 18 }.map { people[$0] },
            "pupils": people.indices.filter { (6...15).contains(ages[$0] ?? 99) }.map { people[$0] }
        ]
    }

    static func personValues(_ person: CasePerson, index: Int, on date: String) -> [String: Value] {
        let p = "persons[\(index)]", id = person.identity
        var v: [String: Value] = [
            "index": Value("\(index + 1)"),
            "name": Value([id.familyName, id.givenName].filter { !$0.isEmpty }.joined(separator: "　"), path: "\(p).identity.familyName"),
            "kana": Value([id.familyNameKana, id.givenNameKana].filter { !$0.isEmpty }.joined(separator: "　"), path: "\(p).identity.familyNameKana"),
            "birthDate": Value(person.foreign != nil ? id.birthDate : wareki(id.birthDate), path: "\(p).identity.birthDate"),
            "birthDateGregorian": Value(id.birthDate, path: "\(p).identity.birthDate"),
            "sex": Value(id.sex == .male ? "男" : "女", path: "\(p).identity.sex"),
            "relationship": Value(person.relationship, path: "\(p).relationship"),
            "residentRecordCode": Value(person.residentRecordCode ?? "", path: "\(p).residentRecordCode"),
            "myNumber": Value(id.myNumber ?? "", path: "\(p).identity.myNumber")
        ]
        if let age = LegalAge.age(birth: id.birthDate, on: date) { v["age"] = Value("\(age)歳", path: "\(p).identity.birthDate") }
        if let registry = person.japanese {
            v["honseki"] = Value(registry.honseki, path: "\(p).japanese.honseki")
            v["headOfRegistry"] = Value(registry.headOfRegistry, path: "\(p).japanese.headOfRegistry")
        }
        if let residence = person.foreign {
            v["nationality"] = Value(residence.nationality, path: "\(p).foreign.nationality")
            v["category"] = Value(residence.category.japaneseName, path: "\(p).foreign.category")
            v["status"] = Value(residence.status, path: "\(p).foreign.status")
            v["period"] = Value(ResidencePeriod.text(residence.periodCode) ?? residence.periodCode, path: "\(p).foreign.periodCode")
            v["expiryDate"] = Value(wareki(residence.expiryDate), path: "\(p).foreign.expiryDate")
            v["cardNumber"] = Value(residence.cardNumber, path: "\(p).foreign.cardNumber")
        }
        return v
    }
}

/// Items a role must not see of a case (K5 u–w): masked on screen, in the API, and in the stored copy it is given.
public enum MaskableItem: String, Codable, Sendable, CaseIterable {
    case myNumber, residentRecordCode, residenceCardNumber, honseki, birthDate

    public var japaneseName: String {
        switch self {
        case .myNumber: "個人番号"
        case .residentRecordCode: "住民票コード"
        case .residenceCardNumber: "在留カード等の番号"
        case .honseki: "本籍・筆頭者"
        case .birthDate: "生年月日"
        }
    }
}

/// Which role sees which items masked. A role with anything masked may read cases but not change them, so a
/// masked value can never be saved over the real one.
public struct CaseMaskingPolicy: Sendable, Equatable {
    public var masks: [Role: Set<MaskableItem>]
    public init(masks: [Role: Set<MaskableItem>]) { self.masks = masks }

    /// Counter staff and office managers work the cases; an administrator sees them for support with the numbers
    /// and the 本籍 masked.
    public static let standard = CaseMaskingPolicy(masks: [.admin: [.myNumber, .residentRecordCode, .residenceCardNumber, .honseki]])

    public func masked(for role: Role) -> Set<MaskableItem> { masks[role] ?? [] }

    /// `admin=myNumber,honseki;office_manager=myNumber`; nil with a Japanese reason when the text is not one.
    public static func parse(_ text: String) -> Result<CaseMaskingPolicy, CaseMaskingError> {
        var masks: [Role: Set<MaskableItem>] = [:]
        for entry in text.split(separator: ";") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let role = parts.first.flatMap(Role.init(rawValue:)) else { return .failure(CaseMaskingError(text: String(entry))) }
            var items: Set<MaskableItem> = []
            for name in (parts.count > 1 ? parts[1] : "").split(separator: ",") {
                guard let item = MaskableItem(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    return .failure(CaseMaskingError(text: String(name)))
                }
                items.insert(item)
            }
            masks[role] = items
        }
        return .success(CaseMaskingPolicy(masks: masks))
    }

    public static let maskText = "＊＊＊＊"

    /// The case as `role` may see it.
    public func apply(_ c: ResidentCase, for role: Role) -> ResidentCase {
        let items = masked(for: role)
        guard !items.isEmpty else { return c }
        var copy = c
        for index in copy.persons.indices {
            if items.contains(.myNumber), copy.persons[index].identity.myNumber?.isEmpty == false { copy.persons[index].identity.myNumber = Self.maskText }
            if items.contains(.residentRecordCode), copy.persons[index].residentRecordCode?.isEmpty == false {
                copy.persons[index].residentRecordCode = Self.maskText
            }
            if items.contains(.birthDate) { copy.persons[index].identity.birthDate = Self.maskText }
            if items.contains(.residenceCardNumber) { copy.persons[index].foreign?.cardNumber = Self.maskText }
            if items.contains(.honseki), copy.persons[index].japanese != nil {
                copy.persons[index].japanese = JapaneseRegistry(honseki: Self.maskText, headOfRegistry: Self.maskText)
            }
        }
        return copy
    }

    /// The stored copy a role gets: `original`, or `masked:ROLE` for a role with anything masked.
    public func documentVariant(for role: Role) -> String { masked(for: role).isEmpty ? "original" : "masked:\(role.rawValue)" }

    /// Roles that need a masked copy stored beside the original.
    public var maskedRoles: [Role] { Role.allCases.filter { !masked(for: $0).isEmpty } }
}

public struct CaseMaskingError: Error, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "MADOGUCHI_CASE_MASKS の「\(text)」が読めません。「admin=myNumber,honseki;office_manager=myNumber」の形で、項目は \(MaskableItem.allCases.map(\.rawValue).joined(separator: ", ")) から選びます。"
    }
}
