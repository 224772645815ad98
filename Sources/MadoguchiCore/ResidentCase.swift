import Foundation

/// The kinds of 住民異動届 (住民基本台帳法 22–25条) the no-writing counter takes (K3; reference/domain.md §7).
public enum MovingProcedure: String, CaseIterable, Codable, Sendable {
    /// 転入 from another municipality, with a 転出証明書.
    case moveIn = "move_in"
    /// 特例転入: the 転出 was done with the マイナンバーカード, so no 転出証明書.
    case moveInWithCard = "move_in_card"
    /// 転入 from abroad.
    case moveInFromAbroad = "move_in_abroad"
    /// 転居: a move inside the municipality.
    case moveWithin = "move_within"
    /// 転出: leaving the municipality (notified before the move).
    case moveOut = "move_out"
    /// 世帯変更: a change of 世帯 or 世帯主.
    case householdChange = "household_change"
    /// 職権記載: recorded by the municipality on its own authority.
    case officialEntry = "official_entry"

    public var japaneseName: String {
        switch self {
        case .moveIn: "転入（通常）"
        case .moveInWithCard: "転入（特例）"
        case .moveInFromAbroad: "転入（国外から）"
        case .moveWithin: "転居"
        case .moveOut: "転出"
        case .householdChange: "世帯変更"
        case .officialEntry: "職権記載"
        }
    }

    var isMoveIn: Bool { [.moveIn, .moveInWithCard, .moveInFromAbroad].contains(self) }
}

/// Where a person's identity data came from. Every source fills the same `IdentityData`, so the form does not care
/// whether a clerk typed it, a card was read or a citizen's pre-application code was scanned (later issues).
public enum IdentitySource: String, Codable, Sendable, CaseIterable {
    case typed, myNumberCard = "mynumber_card", driversLicense = "drivers_license", residenceCard = "residence_card", ocr
    case preApplication = "pre_application"

    public var japaneseName: String {
        switch self {
        case .typed: "手入力"
        case .myNumberCard: "マイナンバーカード"
        case .driversLicense: "運転免許証"
        case .residenceCard: "在留カード"
        case .ocr: "書類の読み取り"
        case .preApplication: "事前申請の2次元コード"
        }
    }
}

/// Who a person is, as any source delivers it.
public struct IdentityData: Codable, Sendable, Equatable {
    public var source: IdentitySource
    public var familyName: String
    public var givenName: String
    public var familyNameKana: String
    public var givenNameKana: String
    /// YYYY-MM-DD.
    public var birthDate: String
    public var sex: Sex
    public var address: String
    public var myNumber: String?

    public enum Sex: String, Codable, Sendable { case male, female }

    public init(
        source: IdentitySource = .typed, familyName: String, givenName: String, familyNameKana: String, givenNameKana: String,
        birthDate: String, sex: Sex, address: String = "", myNumber: String? = nil
    ) {
        self.source = source
        self.familyName = familyName
        self.givenName = givenName
        self.familyNameKana = familyNameKana
        self.givenNameKana = givenNameKana
        self.birthDate = birthDate
        self.sex = sex
        self.address = address
        self.myNumber = myNumber
    }
}

/// 法第30条の45に規定する区分 (reference/domain.md §7.3).
public enum ForeignResidentCategory: String, Codable, Sendable, CaseIterable {
    case midToLongTerm = "mid_long_term", specialPermanent = "special_permanent", temporaryRefuge = "temporary_refuge"
    case provisionalStay = "provisional_stay", transitionalByBirth = "transitional_birth", transitionalByLoss = "transitional_loss"

    public var japaneseName: String {
        switch self {
        case .midToLongTerm: "中長期在留者"
        case .specialPermanent: "特別永住者"
        case .temporaryRefuge: "一時庇護許可者"
        case .provisionalStay: "仮滞在許可者"
        case .transitionalByBirth: "出生による経過滞在者"
        case .transitionalByLoss: "国籍喪失による経過滞在者"
        }
    }
}

/// The items only a Japanese national has on the form: 本籍 and 筆頭者.
public struct JapaneseRegistry: Codable, Sendable, Equatable {
    public var honseki: String
    public var headOfRegistry: String
    public init(honseki: String, headOfRegistry: String) {
        self.honseki = honseki
        self.headOfRegistry = headOfRegistry
    }
}

/// The items only a foreign resident has on the form (住基法 30条の45).
public struct ForeignResidence: Codable, Sendable, Equatable {
    public var nationality: String
    public var category: ForeignResidentCategory
    public var status: String
    /// `YYMMDDD` (`0500000` = 5年); empty for 特別永住者.
    public var periodCode: String
    public var expiryDate: String
    /// 在留カード or 特別永住者証明書 number.
    public var cardNumber: String
    public init(
        nationality: String, category: ForeignResidentCategory, status: String = "", periodCode: String = "", expiryDate: String = "",
        cardNumber: String
    ) {
        self.nationality = nationality
        self.category = category
        self.status = status
        self.periodCode = periodCode
        self.expiryDate = expiryDate
        self.cardNumber = cardNumber
    }
}

/// One member of the household the notification is for.
public struct CasePerson: Codable, Sendable, Equatable {
    public var identity: IdentityData
    /// 続柄 (世帯主, 妻, 子, 夫, 父, 母 …).
    public var relationship: String
    public var residentRecordCode: String?
    /// Exactly one of these two: a Japanese national has 本籍, a foreign resident has 在留 items.
    public var japanese: JapaneseRegistry?
    public var foreign: ForeignResidence?

    public init(
        identity: IdentityData, relationship: String, residentRecordCode: String? = nil, japanese: JapaneseRegistry? = nil,
        foreign: ForeignResidence? = nil
    ) {
        self.identity = identity
        self.relationship = relationship
        self.residentRecordCode = residentRecordCode
        self.japanese = japanese
        self.foreign = foreign
    }
}

/// A 住民異動届 as the counter builds it.
public struct ResidentCase: Codable, Sendable, Equatable {
    public var procedure: MovingProcedure
    /// 異動日 (転出: the planned date).
    public var movingDate: String
    /// 届出日.
    public var notificationDate: String
    /// 従前の住所 (転入: the previous municipality or the country; 転出: the current address).
    public var previousAddress: String
    /// 新しい住所 (転出: 転出先).
    public var newAddress: String
    public var householder: String
    public var persons: [CasePerson]
    public var remarks: String
    public var memo: String

    public init(
        procedure: MovingProcedure, movingDate: String, notificationDate: String, previousAddress: String = "", newAddress: String = "",
        householder: String = "", persons: [CasePerson], remarks: String = "", memo: String = ""
    ) {
        self.procedure = procedure
        self.movingDate = movingDate
        self.notificationDate = notificationDate
        self.previousAddress = previousAddress
        self.newAddress = newAddress
        self.householder = householder
        self.persons = persons
        self.remarks = remarks
        self.memo = memo
    }
}

/// A fault of a case: the field it concerns (`persons[1].foreign.cardNumber`) and what to do, in Japanese. Errors
/// stop the case; warnings are shown for the clerk to decide.
public struct CaseFault: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning }
    public var field: String
    public var message: String
    public var severity: Severity
    public init(_ field: String, _ message: String, severity: Severity = .error) {
        self.field = field
        self.message = message
        self.severity = severity
    }
    public var description: String { "\(field): \(message)" }
}

extension ResidentCase {
    /// Every fault of the case on `today` (YYYY-MM-DD): required items per procedure, real dates, kana, check digits,
    /// and Japanese and foreign-resident items kept apart.
    public func faults(today: String) -> [CaseFault] {
        var faults: [CaseFault] = []
        func date(_ field: String, _ value: String, _ label: String) -> Bool {
            guard !value.isEmpty else { faults.append(CaseFault(field, "\(label)を入力してください。")); return false }
            guard CityCalendar.date(ofBusinessDay: value) != nil else {
                faults.append(CaseFault(field, "\(label)「\(value)」は実在する日付ではありません。"))
                return false
            }
            return true
        }
        if date("notificationDate", notificationDate, "届出日"), notificationDate > today {
            faults.append(CaseFault("notificationDate", "届出日が未来の日付です。"))
        }
        if date("movingDate", movingDate, procedure == .moveOut ? "転出予定日" : "異動日"), CityCalendar.date(ofBusinessDay: notificationDate) != nil {
            let days = ReservationRules.days(from: movingDate, to: notificationDate)
            if procedure == .moveOut {
                if days < -30 { faults.append(CaseFault("movingDate", "転出予定日が30日以上先です。予定日の確認をしてください。", severity: .warning)) }
                if days > 14 { faults.append(CaseFault("movingDate", "転出後14日を過ぎた届出です。", severity: .warning)) }
            } else if procedure != .officialEntry {
                if days < 0 { faults.append(CaseFault("movingDate", "異動日が届出日より後です。転入・転居は移った後に届け出ます。")) }
                if days > 14 { faults.append(CaseFault("movingDate", "異動から14日を過ぎた届出です（届出期間経過）。", severity: .warning)) }
            }
        }
        switch procedure {
        case .moveIn, .moveInWithCard, .moveInFromAbroad, .moveWithin:
            if previousAddress.isEmpty {
                faults.append(CaseFault("previousAddress", procedure == .moveInFromAbroad ? "従前の住所（国名）を入力してください。" : "従前の住所を入力してください。"))
            }
            if newAddress.isEmpty { faults.append(CaseFault("newAddress", "新しい住所を入力してください。")) }
        case .moveOut:
            if newAddress.isEmpty { faults.append(CaseFault("newAddress", "転出先を入力してください。")) }
        case .householdChange:
            if householder.isEmpty { faults.append(CaseFault("householder", "変更後の世帯主を入力してください。")) }
        case .officialEntry:
            if remarks.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { faults.append(CaseFault("remarks", "職権記載の理由を備考に入力してください。")) }
        }
        if householder.isEmpty, procedure != .householdChange { faults.append(CaseFault("householder", "世帯主の氏名を入力してください。")) }
        if persons.isEmpty { faults.append(CaseFault("persons", "届出の対象者を1人以上入力してください。")) }
        for (index, person) in persons.enumerated() { faults += person.faults(at: "persons[\(index)]", procedure: procedure, today: today) }
        return faults
    }
}

extension CasePerson {
    static func isKana(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { (0x3041...0x309F).contains($0.value) || (0x30A0...0x30FF).contains($0.value) || $0 == " " || $0 == "　" }
    }

    func faults(at path: String, procedure: MovingProcedure, today: String) -> [CaseFault] {
        var faults: [CaseFault] = []
        let id = identity
        if id.familyName.isEmpty { faults.append(CaseFault("\(path).identity.familyName", "氏を入力してください。")) }
        if id.familyNameKana.isEmpty {
            faults.append(CaseFault("\(path).identity.familyNameKana", "氏のふりがなを入力してください。"))
        } else if !Self.isKana(id.familyNameKana + id.givenNameKana) {
            faults.append(CaseFault("\(path).identity.familyNameKana", "ふりがなは、ひらがなかカタカナで入力してください。"))
        }
        if CityCalendar.date(ofBusinessDay: id.birthDate) == nil {
            faults.append(CaseFault("\(path).identity.birthDate", id.birthDate.isEmpty ? "生年月日を入力してください。" : "生年月日「\(id.birthDate)」は実在する日付ではありません。"))
        } else if id.birthDate > today {
            faults.append(CaseFault("\(path).identity.birthDate", "生年月日が未来の日付です。"))
        }
        if let number = id.myNumber, !number.isEmpty, !ResidentNumbers.isValidMyNumber(number) {
            faults.append(CaseFault("\(path).identity.myNumber", "個人番号の検査用数字が合いません。12桁を確かめてください。"))
        }
        if let code = residentRecordCode, !code.isEmpty, !ResidentNumbers.residentRecordCodeLooksValid(code) {
            faults.append(CaseFault("\(path).residentRecordCode", "住民票コードの検査用数字が合いません（確認してください）。", severity: .warning))
        }
        if relationship.isEmpty { faults.append(CaseFault("\(path).relationship", "続柄を入力してください。")) }
        switch (japanese, foreign) {
        case (nil, nil):
            faults.append(CaseFault("\(path).japanese", "日本人は本籍・筆頭者を、外国人住民は国籍・在留資格などを入力してください。"))
        case (.some, .some):
            faults.append(CaseFault("\(path).foreign", "日本人の欄（本籍・筆頭者）と外国人住民の欄（国籍・在留資格など）は同時に入力できません。"))
        case (.some(let registry), nil):
            if procedure.isMoveIn || procedure == .officialEntry {
                if registry.honseki.isEmpty { faults.append(CaseFault("\(path).japanese.honseki", "本籍を入力してください。")) }
                if registry.headOfRegistry.isEmpty { faults.append(CaseFault("\(path).japanese.headOfRegistry", "筆頭者を入力してください。")) }
            }
        case (nil, .some(let residence)):
            if residence.nationality.isEmpty { faults.append(CaseFault("\(path).foreign.nationality", "国籍・地域を入力してください。")) }
            if !ResidentNumbers.isWellFormedResidenceCardNumber(residence.cardNumber) {
                faults.append(CaseFault("\(path).foreign.cardNumber", "在留カード等の番号は英字2桁・数字8桁・英字2桁の12文字です（例: AB12345678CD）。"))
            }
            if residence.category == .midToLongTerm {
                if residence.status.isEmpty { faults.append(CaseFault("\(path).foreign.status", "在留資格を入力してください。")) }
                if ResidencePeriod.text(residence.periodCode) == nil {
                    faults.append(CaseFault("\(path).foreign.periodCode", "在留期間は7桁のコード（例: 0500000 = 5年）で入力してください。"))
                }
                if CityCalendar.date(ofBusinessDay: residence.expiryDate) == nil {
                    faults.append(CaseFault("\(path).foreign.expiryDate", "在留期間の満了の日を実在する日付で入力してください。"))
                } else if residence.expiryDate < today {
                    faults.append(CaseFault("\(path).foreign.expiryDate", "在留期間の満了の日が過ぎています。在留カードを確認してください。"))
                }
            }
        }
        return faults
    }
}
