import Foundation
import MadoguchiCore

/// The staff form's fields ⇄ a `ResidentCase`. Input names are the element ids (`p1-familyName`), so a fault's
/// field path (`persons[1].identity.familyName`) leads straight to its input (K3 d).
enum CaseForm {
    /// The input a case field path belongs to.
    static func inputID(forPath path: String) -> String {
        guard path.hasPrefix("persons[") else { return path == "persons" ? "add-person" : "f-" + path }
        let index = path.dropFirst("persons[".count).prefix { $0.isNumber }
        var last = path.split(separator: ".").last.map(String.init) ?? ""
        if last.hasPrefix("persons[") || last == "japanese" || last == "foreign" { last = "kind" }
        if last == "identity" { last = "familyName" }
        return "p\(index)-\(last)"
    }

    /// Reads the posted form. A person row left entirely empty, or ticked for removal, is dropped; the group of the
    /// chosen kind (日本人 / 外国人住民) is read, and the other group's inputs are read only if filled in, so that
    /// entering both is refused by the case's checks rather than silently dropped.
    ///
    /// An input the post does not carry keeps its stored value: a partial post (a script, a form of an older page)
    /// never clears what it did not send.
    static func read(_ fields: FormFields, previous: ResidentCase) -> ResidentCase {
        let stored = values(of: previous)
        func value(_ name: String) -> String { CaseForm.value(name, fields, stored) }
        var c = previous
        c.procedure = MovingProcedure(rawValue: value("f-procedure")) ?? previous.procedure
        c.movingDate = DateEntry.normalized(value("f-movingDate"))
        c.notificationDate = DateEntry.normalized(value("f-notificationDate"))
        c.previousAddress = value("f-previousAddress")
        c.newAddress = value("f-newAddress")
        c.householder = value("f-householder")
        c.remarks = value("f-remarks")
        let phrase = value("f-phrase")
        if !phrase.isEmpty { c.remarks += (c.remarks.isEmpty ? "" : "\n") + phrase }
        c.memo = value("f-memo")
        let count = min(Int(value("person-count")) ?? previous.persons.count, 30)
        c.persons = (0..<count).compactMap { index in
            let p = "p\(index)-"
            // The inputs of the group not chosen (日本人 / 外国人住民) are disabled, and browsers do not post disabled
            // inputs: when the kind is posted, the other group's missing inputs are empty, not their stored values.
            let japaneseGroup: Set<String> = ["honseki", "headOfRegistry"]
            let foreignGroup: Set<String> = ["nationality", "category", "status", "periodCode", "expiryDate", "cardNumber"]
            let postedKind = fields.value(p + "kind")
            func value(_ name: String) -> String {
                guard name.hasPrefix(p), fields.value(name) == nil, let postedKind else { return CaseForm.value(name, fields, stored) }
                let field = String(name.dropFirst(p.count))
                let otherGroup = postedKind == "foreign" ? japaneseGroup : foreignGroup
                return otherGroup.contains(field) ? "" : CaseForm.value(name, fields, stored)
            }
            guard fields[p + "remove"].isEmpty else { return nil }
            let names = [
                "familyName", "givenName", "familyNameKana", "givenNameKana", "birthDate", "myNumber", "residentRecordCode", "honseki",
                "headOfRegistry", "nationality", "status", "periodCode", "expiryDate", "cardNumber"
            ]
            guard names.contains(where: { !value(p + $0).isEmpty }) else { return nil }
            let identity = IdentityData(
                source: IdentitySource(rawValue: value(p + "source")) ?? .typed, familyName: value(p + "familyName"), givenName: value(p + "givenName"),
                familyNameKana: value(p + "familyNameKana"), givenNameKana: value(p + "givenNameKana"),
                birthDate: DateEntry.normalized(value(p + "birthDate")), sex: value(p + "sex") == "female" ? .female : .male,
                myNumber: ResidentNumbers.digits(value(p + "myNumber")).isEmpty ? nil : ResidentNumbers.halfWidth(value(p + "myNumber")))
            let isForeign = value(p + "kind") == "foreign"
            let japaneseFilled = !value(p + "honseki").isEmpty || !value(p + "headOfRegistry").isEmpty
            let foreignFilled = ["nationality", "status", "periodCode", "expiryDate", "cardNumber"].contains { !value(p + $0).isEmpty }
            let japanese = (!isForeign || japaneseFilled) ? JapaneseRegistry(honseki: value(p + "honseki"), headOfRegistry: value(p + "headOfRegistry")) : nil
            let foreign =
                (isForeign || foreignFilled)
                ? ForeignResidence(
                    nationality: value(p + "nationality"), category: ForeignResidentCategory(rawValue: value(p + "category")) ?? .midToLongTerm,
                    status: value(p + "status"), periodCode: ResidentNumbers.halfWidth(value(p + "periodCode")),
                    expiryDate: DateEntry.normalized(value(p + "expiryDate")), cardNumber: ResidentNumbers.halfWidth(value(p + "cardNumber")).uppercased())
                : nil
            let code = ResidentNumbers.halfWidth(value(p + "residentRecordCode"))
            return CasePerson(
                identity: identity, relationship: value(p + "relationship"), residentRecordCode: code.isEmpty ? nil : code,
                japanese: japanese, foreign: foreign)
        }
        return c
    }

    /// The posted value of an input, else its stored value, trimmed.
    static func value(_ name: String, _ fields: FormFields, _ stored: [String: String]) -> String {
        (fields.value(name) ?? stored[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The case as the form's inputs hold it, by input name: what an input left out of a post keeps.
    static func values(of c: ResidentCase) -> [String: String] {
        var values = [
            "f-procedure": c.procedure.rawValue, "f-movingDate": c.movingDate, "f-notificationDate": c.notificationDate,
            "f-previousAddress": c.previousAddress, "f-newAddress": c.newAddress, "f-householder": c.householder, "f-remarks": c.remarks,
            "f-memo": c.memo, "person-count": String(c.persons.count)
        ]
        for (index, person) in c.persons.enumerated() {
            let p = "p\(index)-", identity = person.identity
            let entries: [String: String?] = [
                "source": identity.source.rawValue, "familyName": identity.familyName, "givenName": identity.givenName,
                "familyNameKana": identity.familyNameKana, "givenNameKana": identity.givenNameKana, "birthDate": identity.birthDate,
                "sex": identity.sex == .female ? "female" : "male", "myNumber": identity.myNumber, "relationship": person.relationship,
                "residentRecordCode": person.residentRecordCode, "kind": person.foreign != nil && person.japanese == nil ? "foreign" : "japanese",
                "honseki": person.japanese?.honseki, "headOfRegistry": person.japanese?.headOfRegistry, "nationality": person.foreign?.nationality,
                "category": person.foreign?.category.rawValue, "status": person.foreign?.status, "periodCode": person.foreign?.periodCode,
                "expiryDate": person.foreign?.expiryDate, "cardNumber": person.foreign?.cardNumber
            ]
            for (name, value) in entries { if let value { values[p + name] = value } }
        }
        return values
    }

    /// A new member offered what the household shares: family name and its kana, and 本籍・筆頭者 or nationality
    /// (K3 k: what was entered once is not typed again).
    static func newMember(after persons: [CasePerson]) -> CasePerson {
        let first = persons.first
        let identity = IdentityData(
            familyName: first?.identity.familyName ?? "", givenName: "", familyNameKana: first?.identity.familyNameKana ?? "",
            givenNameKana: "", birthDate: "", sex: .female)
        return CasePerson(
            identity: identity, relationship: "",
            japanese: first?.foreign == nil ? (first?.japanese ?? JapaneseRegistry(honseki: "", headOfRegistry: "")) : nil,
            foreign: first?.foreign.map { ForeignResidence(nationality: $0.nationality, category: .midToLongTerm, cardNumber: "") })
    }
}

/// One input of the staff form, with its fault.
struct FormInput: Sendable {
    let id: String
    let label: String
    let value: String
    let hint: String
    let error: String
    let hasError: Bool
    let warning: String
    let hasWarning: Bool
    let list: String
    let wide: Bool
    let inputmode: String
    let address: Bool
    let readonly: Bool

    init(
        _ id: String, _ label: String, _ value: String, faults: [String: [CaseFault]], hint: String = "", list: String = "", wide: Bool = false,
        inputmode: String = "", address: Bool = false, readonly: Bool
    ) {
        self.id = id
        self.label = label
        self.value = value
        self.hint = hint
        let mine = faults[id] ?? []
        error = mine.filter { $0.severity == .error }.map(\.message).joined(separator: " ")
        hasError = !error.isEmpty
        warning = mine.filter { $0.severity == .warning }.map(\.message).joined(separator: " ")
        hasWarning = !warning.isEmpty
        self.list = list
        self.wide = wide
        self.inputmode = inputmode
        self.address = address
        self.readonly = readonly
    }
}

struct FormChoice: Sendable {
    let value: String
    let label: String
    let selected: Bool
}

struct FormSelect: Sendable {
    let id: String
    let label: String
    let options: [FormChoice]
    let error: String
    let hasError: Bool
    let readonly: Bool
    init(_ id: String, _ label: String, _ options: [(String, String)], selected: String, faults: [String: [CaseFault]], readonly: Bool) {
        self.id = id
        self.label = label
        self.options = options.map { FormChoice(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        error = (faults[id] ?? []).filter { $0.severity == .error }.map(\.message).joined(separator: " ")
        hasError = !error.isEmpty
        self.readonly = readonly
    }
}

/// The inputs of one member of the household.
struct PersonInputs: Sendable {
    let index: Int
    let number: Int
    let heading: String
    let kind: FormSelect
    let source: FormSelect
    let sex: FormSelect
    let identity: [FormInput]
    let japanese: [FormInput]
    let foreign: [FormInput]
    let category: FormSelect
    let isForeign: Bool
    let kindError: String
    let hasKindError: Bool
    let readonly: Bool

    init(_ person: CasePerson, index: Int, faults: [String: [CaseFault]], today: String, readonly: Bool) {
        let p = "p\(index)-", id = person.identity
        self.index = index
        number = index + 1
        heading = "異動者 \(index + 1)" + (id.familyName.isEmpty ? "" : "（\(id.familyName)\(id.givenName)）")
        isForeign = person.foreign != nil && person.japanese == nil
        kind = FormSelect(
            p + "kind", "区分", [("japanese", "日本人"), ("foreign", "外国人住民")], selected: isForeign ? "foreign" : "japanese",
            faults: faults, readonly: readonly)
        let kindFaults = (faults[p + "kind"] ?? []).map(\.message).joined(separator: " ")
        kindError = kindFaults
        hasKindError = !kindFaults.isEmpty
        source = FormSelect(
            p + "source", "本人確認の情報源", IdentitySource.allCases.map { ($0.rawValue, $0.japaneseName) }, selected: id.source.rawValue,
            faults: faults, readonly: readonly)
        sex = FormSelect(p + "sex", "性別", [("male", "男"), ("female", "女")], selected: id.sex.rawValue, faults: faults, readonly: readonly)
        let birthHint =
            WarekiDate(gregorian: id.birthDate).map { "\($0.text)" + (LegalAge.age(birth: id.birthDate, on: today).map { "・\($0)歳" } ?? "") }
            ?? "例: S60.4.12、昭和60年4月12日、1985-04-12"
        identity = [
            FormInput(p + "familyName", "氏", id.familyName, faults: faults, list: "family-names", readonly: readonly),
            FormInput(p + "givenName", "名", id.givenName, faults: faults, readonly: readonly),
            FormInput(p + "familyNameKana", "氏（ふりがな）", id.familyNameKana, faults: faults, readonly: readonly),
            FormInput(p + "givenNameKana", "名（ふりがな）", id.givenNameKana, faults: faults, readonly: readonly),
            FormInput(p + "birthDate", "生年月日", id.birthDate, faults: faults, hint: birthHint, readonly: readonly),
            FormInput(p + "relationship", "続柄", person.relationship, faults: faults, hint: "世帯主・妻・夫・子・父・母 など", list: "relationships", readonly: readonly),
            FormInput(p + "residentRecordCode", "住民票コード（転入のみ）", person.residentRecordCode ?? "", faults: faults, inputmode: "numeric", readonly: readonly),
            FormInput(p + "myNumber", "個人番号", id.myNumber ?? "", faults: faults, inputmode: "numeric", readonly: readonly)
        ]
        let registry = person.japanese
        japanese = [
            FormInput(p + "honseki", "本籍", registry?.honseki ?? "", faults: faults, list: "addresses", wide: true, address: true, readonly: readonly),
            FormInput(p + "headOfRegistry", "筆頭者", registry?.headOfRegistry ?? "", faults: faults, list: "family-names", readonly: readonly)
        ]
        let residence = person.foreign
        let periodHint = residence.flatMap { ResidencePeriod.text($0.periodCode) }.map { "＝ \($0)" } ?? "7桁のコード（0500000 = 5年）"
        foreign = [
            FormInput(p + "nationality", "国籍・地域", residence?.nationality ?? "", faults: faults, readonly: readonly),
            FormInput(p + "status", "在留資格", residence?.status ?? "", faults: faults, list: "statuses", readonly: readonly),
            FormInput(p + "periodCode", "在留期間等", residence?.periodCode ?? "", faults: faults, hint: periodHint, inputmode: "numeric", readonly: readonly),
            FormInput(
                p + "expiryDate", "在留期間の満了の日", residence?.expiryDate ?? "", faults: faults,
                hint: residence.flatMap { WarekiDate(gregorian: $0.expiryDate)?.text } ?? "", readonly: readonly),
            FormInput(p + "cardNumber", "在留カード等の番号", residence?.cardNumber ?? "", faults: faults, hint: "例: AB12345678CD", readonly: readonly)
        ]
        category = FormSelect(
            p + "category", "法第30条の45に規定する区分", ForeignResidentCategory.allCases.map { ($0.rawValue, $0.japaneseName) },
            selected: residence?.category.rawValue ?? ForeignResidentCategory.midToLongTerm.rawValue, faults: faults, readonly: readonly)
        self.readonly = readonly
    }
}
