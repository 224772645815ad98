import Foundation

/// A reservation ID the city imported for MyNumber-card pickup (R4).
public struct ImportedReservationID: Sendable, Equatable {
    public var id: String
    public var officeCode: String
    /// YYYY-MM-DD; when present, booking asks for it (identity check).
    public var birthDate: String?
    public init(id: String, officeCode: String, birthDate: String? = nil) {
        self.id = id
        self.officeCode = officeCode
        self.birthDate = birthDate
    }
}

/// The CSV of reservation IDs the city imports (R4), documented in docs/RESERVATIONS.md: UTF-8 (a BOM is allowed;
/// the caller converts Shift_JIS), an optional header line, then `予約番号,窓口コード[,生年月日]` — 8 letters or
/// digits, 4 digits, YYYY-MM-DD or YYYYMMDD. All or nothing: every fault is reported with its line and column.
public enum ReservationIDImport {
    public struct Fault: Sendable, Equatable, CustomStringConvertible, Codable {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "\(line)行\(column)列: \(message)" }
        public init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }
    }

    public static func isReservationID(_ text: String) -> Bool {
        text.count == 8 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// Every fault of a rejected file.
    public struct Rejected: Error, Sendable {
        public var faults: [Fault]
    }

    public static func parse(_ text: String, knownOfficeCodes: Set<String>) -> Result<[ImportedReservationID], Rejected> {
        var faults: [Fault] = []
        var ids: [ImportedReservationID] = []
        var seen: [String: Int] = [:]
        let lines = text.replacingOccurrences(of: "\u{FEFF}", with: "").replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let lineNumber = index + 1
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = raw.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            if ids.isEmpty, faults.isEmpty, seen.isEmpty, !isReservationID(fields[0]), fields[0].contains("予約") || fields[0].lowercased().contains("id") {
                continue  // the header
            }
            guard fields.count == 2 || fields.count == 3 else {
                faults.append(
                    Fault(
                        line: lineNumber, column: 1,
                        message: "項目は「予約番号,窓口コード,生年月日（任意）」の2つか3つです（\(fields.count)個あります）。"))
                continue
            }
            let id = fields[0].uppercased()
            if !isReservationID(id) {
                faults.append(Fault(line: lineNumber, column: 1, message: "予約番号「\(fields[0])」は英数字8桁ではありません。"))
            } else if let first = seen[id] {
                faults.append(Fault(line: lineNumber, column: 1, message: "予約番号「\(id)」は\(first)行目と重複しています。"))
            }
            let code = fields[1]
            if code.count != 4 || !code.allSatisfy({ $0.isASCII && $0.isNumber }) {
                faults.append(Fault(line: lineNumber, column: 2, message: "窓口コード「\(code)」は数字4桁ではありません。"))
            } else if !knownOfficeCodes.contains(code) {
                faults.append(Fault(line: lineNumber, column: 2, message: "窓口コード「\(code)」は予約の設定にありません。"))
            }
            var birthDate: String?
            if fields.count == 3, !fields[2].isEmpty {
                let digits = fields[2].replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "/", with: "")
                let formatted =
                    digits.count == 8 && digits.allSatisfy(\.isNumber)
                    ? "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))" : fields[2]
                if CityCalendar.date(ofBusinessDay: formatted) == nil {
                    faults.append(Fault(line: lineNumber, column: 3, message: "生年月日「\(fields[2])」は実在する日付（YYYY-MM-DD）ではありません。"))
                } else {
                    birthDate = formatted
                }
            }
            if seen[id] == nil { seen[id] = lineNumber }
            ids.append(ImportedReservationID(id: id, officeCode: code, birthDate: birthDate))
        }
        if ids.isEmpty, faults.isEmpty { faults.append(Fault(line: 1, column: 1, message: "予約番号が1件もありません。")) }
        return faults.isEmpty ? .success(ids) : .failure(Rejected(faults: faults))
    }
}
