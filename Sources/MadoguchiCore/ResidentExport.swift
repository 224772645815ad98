import Foundation

/// Completed cases for the core resident-records system (K6): one row per person, in the columns of
/// docs/NO-WRITING-COUNTER.md, modelled on the 中間標準レイアウト's 異動 records. For a Shift_JIS file every
/// character outside JIS X 0208 is substituted and each substitution is reported in the row's last column and in
/// `replacements`; in UTF-8 the characters stay and are reported the same way, so the receiving side knows which
/// rows carry 外字 either way.
public struct ResidentExport: Sendable {
    public struct Row: Codable, Sendable, Equatable {
        public var caseID: String
        public var officeID: String
        public var procedureCode: String
        public var procedure: String
        public var movingDate: String
        public var notificationDate: String
        public var completedAt: String
        public var personNumber: Int
        public var familyName: String
        public var givenName: String
        public var familyNameKana: String
        public var givenNameKana: String
        public var birthDate: String
        public var sex: String
        public var relationship: String
        public var householder: String
        public var newAddress: String
        public var previousAddress: String
        public var honseki: String
        public var headOfRegistry: String
        public var nationality: String
        public var foreignCategory: String
        public var residenceStatus: String
        public var residencePeriod: String
        public var residenceExpiry: String
        public var residenceCardNumber: String
        public var residentRecordCode: String
        public var myNumber: String
        public var identitySource: String
        /// `familyName:髙→高(U+9AD9)` for each character outside JIS X 0208.
        public var outsideJIS: String
    }

    public static let columns: [(key: String, header: String)] = [
        ("caseID", "受付番号"), ("officeID", "受付窓口"), ("procedureCode", "異動事由コード"), ("procedure", "異動事由"), ("movingDate", "異動日"),
        ("notificationDate", "届出日"), ("completedAt", "処理完了日時"), ("personNumber", "異動者番号"), ("familyName", "氏"), ("givenName", "名"),
        ("familyNameKana", "氏カナ"), ("givenNameKana", "名カナ"), ("birthDate", "生年月日"), ("sex", "性別"), ("relationship", "続柄"),
        ("householder", "世帯主"), ("newAddress", "住所"), ("previousAddress", "従前の住所"), ("honseki", "本籍"), ("headOfRegistry", "筆頭者"),
        ("nationality", "国籍・地域"), ("foreignCategory", "30条45規定区分"), ("residenceStatus", "在留資格"), ("residencePeriod", "在留期間コード"),
        ("residenceExpiry", "在留期間の満了の日"), ("residenceCardNumber", "在留カード等の番号"), ("residentRecordCode", "住民票コード"),
        ("myNumber", "個人番号"), ("identitySource", "本人確認の情報源"), ("outsideJIS", "JIS第1・第2水準外の文字")
    ]

    public var rows: [Row] = []
    public var replacements: [JISX0208Substitution.Replacement] = []
    /// Whether characters outside JIS X 0208 were replaced, so the CSV encodes in Shift_JIS.
    public let substituted: Bool
    /// How many cases the rows come from.
    public let caseCount: Int

    /// The JSON form: the rows and every character outside JIS X 0208.
    public struct Listing: Encodable, Sendable {
        public let rows: [Row]
        public let outsideJIS: [JISX0208Substitution.Replacement]
    }
    public var listing: Listing { Listing(rows: rows, outsideJIS: replacements) }

    /// `substituting`: replace characters outside JIS X 0208 (for a Shift_JIS file); otherwise only report them.
    public init(records: [CaseRecord], substitution: JISX0208Substitution = JISX0208Substitution(), substituting: Bool) {
        substituted = substituting
        caseCount = records.count
        let stamp = ISO8601DateFormatter()
        stamp.timeZone = CityCalendar.timeZone
        stamp.formatOptions = [.withInternetDateTime]
        for record in records {
            let c = record.residentCase
            for (index, person) in c.persons.enumerated() {
                let id = person.identity
                var row = Row(
                    caseID: record.id, officeID: record.officeID, procedureCode: c.procedure.rawValue, procedure: c.procedure.japaneseName,
                    movingDate: c.movingDate, notificationDate: c.notificationDate, completedAt: record.completedAt.map { stamp.string(from: $0) } ?? "",
                    personNumber: index + 1, familyName: id.familyName, givenName: id.givenName, familyNameKana: id.familyNameKana,
                    givenNameKana: id.givenNameKana, birthDate: id.birthDate, sex: id.sex == .male ? "1" : "2", relationship: person.relationship,
                    householder: c.householder, newAddress: c.newAddress, previousAddress: c.previousAddress,
                    honseki: person.japanese?.honseki ?? "", headOfRegistry: person.japanese?.headOfRegistry ?? "",
                    nationality: person.foreign?.nationality ?? "", foreignCategory: person.foreign?.category.japaneseName ?? "",
                    residenceStatus: person.foreign?.status ?? "", residencePeriod: person.foreign?.periodCode ?? "",
                    residenceExpiry: person.foreign?.expiryDate ?? "", residenceCardNumber: person.foreign?.cardNumber ?? "",
                    residentRecordCode: person.residentRecordCode ?? "", myNumber: id.myNumber ?? "", identitySource: id.source.rawValue, outsideJIS: "")
                var found: [JISX0208Substitution.Replacement] = []
                let textFields: [(String, WritableKeyPath<Row, String>)] = [
                    ("familyName", \.familyName), ("givenName", \.givenName), ("familyNameKana", \.familyNameKana), ("givenNameKana", \.givenNameKana),
                    ("relationship", \.relationship), ("householder", \.householder), ("newAddress", \.newAddress), ("previousAddress", \.previousAddress),
                    ("honseki", \.honseki), ("headOfRegistry", \.headOfRegistry), ("nationality", \.nationality), ("residenceStatus", \.residenceStatus)
                ]
                for (name, path) in textFields {
                    let result = substitution.substitute(row[keyPath: path], field: "\(record.id)/\(index + 1)/\(name)")
                    if substituting { row[keyPath: path] = result.text }
                    found += result.replacements
                }
                // In Shift_JIS the report itself must be encodable: it names the code point, not the character.
                row.outsideJIS = found.map { r in
                    let field = r.field.split(separator: "/").last.map(String.init) ?? r.field
                    return substituting ? "\(field):\(r.codePoint)→\(r.replacement)" : "\(field):\(r.character)(\(r.codePoint))"
                }.joined(separator: " ")
                replacements += found
                rows.append(row)
            }
        }
    }

    /// CSV text (RFC 4180, CRLF), with the Japanese header line.
    public var csv: String {
        var text = CSVText.line(Self.columns.map(\.header))
        for row in rows {
            text += CSVText.line([
                row.caseID, row.officeID, row.procedureCode, row.procedure, row.movingDate, row.notificationDate, row.completedAt, String(row.personNumber),
                row.familyName, row.givenName, row.familyNameKana, row.givenNameKana, row.birthDate, row.sex, row.relationship, row.householder,
                row.newAddress, row.previousAddress, row.honseki, row.headOfRegistry, row.nationality, row.foreignCategory, row.residenceStatus,
                row.residencePeriod, row.residenceExpiry, row.residenceCardNumber, row.residentRecordCode, row.myNumber, row.identitySource, row.outsideJIS
            ])
        }
        return text
    }

    /// The CSV file: Shift_JIS when substituted (every character is then inside JIS X 0208, so it encodes), UTF-8
    /// otherwise.
    public var csvData: Data { substituted ? (csv.data(using: .shiftJIS) ?? Data()) : Data(csv.utf8) }
}

/// Operation reports of the no-writing counter (K7): cases and average reception time (from opening a case to its
/// completion) per day, month, hour band, procedure or office.
public enum CaseReport {
    public enum Grouping: String, Sendable, CaseIterable {
        case day, month, hour, procedure, office

        public var japaneseName: String {
            switch self {
            case .day: "日別"
            case .month: "月別"
            case .hour: "時間帯別"
            case .procedure: "届出の種類別"
            case .office: "窓口（所属）別"
            }
        }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var key: String
        public var label: String
        public var cases: Int
        public var completed: Int
        /// Average seconds from reception to completion over completed cases; nil when none is completed.
        public var averageReceptionSeconds: Int?
    }

    public static func rows(_ facts: [CaseFact], by grouping: Grouping, officeNames: [String: String] = [:]) -> [Row] {
        var groups: [String: (label: String, cases: Int, completed: Int, seconds: Double)] = [:]
        for fact in facts {
            let date = CityCalendar.businessDate(of: fact.createdAt)
            let key: String, label: String
            switch grouping {
            case .day: (key, label) = (date, date)
            case .month: (key, label) = (String(date.prefix(7)), String(date.prefix(7)))
            case .hour:
                let hour = CityCalendar.gregorian.component(.hour, from: fact.createdAt)
                (key, label) = (String(format: "%02d", hour), String(format: "%02d:00–%02d:59", hour, hour))
            case .procedure: (key, label) = (fact.procedure.rawValue, fact.procedure.japaneseName)
            case .office: (key, label) = (fact.officeID, officeNames[fact.officeID] ?? fact.officeID)
            }
            var group = groups[key] ?? (label, 0, 0, 0)
            group.cases += 1
            if let done = fact.completedAt {
                group.completed += 1
                group.seconds += done.timeIntervalSince(fact.createdAt)
            }
            groups[key] = group
        }
        let order = grouping == .procedure ? MovingProcedure.allCases.map(\.rawValue) : []
        return groups.map { key, g in
            Row(
                key: key, label: g.label, cases: g.cases, completed: g.completed,
                averageReceptionSeconds: g.completed > 0 ? Int((g.seconds / Double(g.completed)).rounded()) : nil)
        }.sorted { a, b in
            if !order.isEmpty { return (order.firstIndex(of: a.key) ?? 99) < (order.firstIndex(of: b.key) ?? 99) }
            return a.key < b.key
        }
    }
}
