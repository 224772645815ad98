import MadoguchiCore

/// The weekly slot bands of one reservation procedure as a form beside the YAML (issue 15, item 17): times as
/// HH:MM, weekdays as check boxes, the slot length from the allowed list. A refused form comes back with what was
/// typed and each fault beside its row and field.
struct SlotTemplateForm: Sendable {
    /// One band as typed: every field as text, so a refused form shows exactly what was sent.
    struct Typed: Sendable, Equatable {
        var officeID: String
        var weekdays: [Int]
        var from: String
        var until: String
        var slotMinutes: String
        var capacity: String
        var remove = false

        init(officeID: String, weekdays: [Int], from: String, until: String, slotMinutes: String, capacity: String, remove: Bool = false) {
            self.officeID = officeID
            self.weekdays = weekdays
            self.from = from
            self.until = until
            self.slotMinutes = slotMinutes
            self.capacity = capacity
            self.remove = remove
        }

        init(_ band: SlotTemplate) {
            self.init(
                officeID: band.officeID, weekdays: band.weekdays, from: ClockTime.text(band.from), until: ClockTime.text(band.until),
                slotMinutes: String(band.slotMinutes), capacity: String(band.capacity))
        }

        var isBlank: Bool { from.isEmpty && until.isEmpty && weekdays.isEmpty }
    }

    /// Which field of a row a fault is about, so that field is marked invalid and described by the message.
    enum Field: Sendable { case office, weekdays, from, until, slotMinutes, capacity }
    struct RowFault: Sendable, Equatable { let row: Int; let field: Field; let message: String }

    struct Choice: Sendable { let value: String; let label: String; let selected: Bool }
    struct DayBox: Sendable { let domID: String; let name: String; let value: Int; let label: String; let checked: Bool }
    struct Row: Sendable {
        let prefix: String
        let legend: String
        let isNew: Bool
        let offices: [Choice]
        let days: [DayBox]
        let from: String
        let until: String
        let lengths: [Choice]
        let capacity: String
        let removeChecked: Bool
        let error: String
        let hasError: Bool
        let officeInvalid: Bool, weekdaysInvalid: Bool, fromInvalid: Bool, untilInvalid: Bool, minutesInvalid: Bool, capacityInvalid: Bool
    }

    let procedureID: String
    let procedureName: String
    let rows: [Row]
    let rowCount: Int
    /// Opened when it comes back with faults, so the clerk lands on them.
    let open: Bool

    static let weekdayNames = ["日", "月", "火", "水", "木", "金", "土"]

    /// The form for a procedure: its bands (or what was typed) and one empty row for a new band.
    init(_ procedure: ReservationProcedure, typed: [Typed]? = nil, faults: [RowFault] = [], officeName: (String) -> String) {
        let defaultOffice = procedure.offices.first ?? ""
        let bands =
            (typed ?? procedure.templates.map(Typed.init)).filter { !$0.isBlank }
            + [Typed(officeID: defaultOffice, weekdays: [], from: "", until: "", slotMinutes: "30", capacity: "")]
        procedureID = procedure.id
        procedureName = procedure.name
        rowCount = bands.count
        open = !faults.isEmpty
        rows = bands.enumerated().map { index, band in
            let prefix = "slots-\(procedure.id)-\(index + 1)"
            let mine = faults.filter { $0.row == index + 1 }
            let isNew = index == bands.count - 1
            return Row(
                prefix: prefix, legend: isNew ? "枠を追加する（使わないときは空のまま）" : "枠 \(index + 1)", isNew: isNew,
                offices: procedure.offices.map { Choice(value: $0, label: officeName($0), selected: $0 == band.officeID) },
                days: Self.weekdayNames.enumerated().map { day, name in
                    DayBox(domID: "\(prefix)-day-\(day + 1)", name: "\(prefix)-day", value: day + 1, label: name, checked: band.weekdays.contains(day + 1))
                },
                from: band.from, until: band.until,
                lengths: ReservationProcedure.slotLengths.map { Choice(value: String($0), label: "\($0)分", selected: String($0) == band.slotMinutes) },
                capacity: band.capacity, removeChecked: band.remove,
                error: mine.map(\.message).joined(separator: " "), hasError: !mine.isEmpty,
                officeInvalid: mine.contains { $0.field == .office }, weekdaysInvalid: mine.contains { $0.field == .weekdays },
                fromInvalid: mine.contains { $0.field == .from }, untilInvalid: mine.contains { $0.field == .until },
                minutesInvalid: mine.contains { $0.field == .slotMinutes }, capacityInvalid: mine.contains { $0.field == .capacity })
        }
    }

    /// The rows a post carries, as typed.
    static func typed(from fields: FormFields, procedureID: String) -> [Typed] {
        let count = min(Int(fields["rows"]) ?? 0, 200)
        guard count > 0 else { return [] }
        return (1...count).map { index in
            let prefix = "slots-\(procedureID)-\(index)"
            return Typed(
                officeID: fields["\(prefix)-office"], weekdays: fields.all("\(prefix)-day").compactMap { Int($0) }.filter { (1...7).contains($0) }.sorted(),
                from: fields["\(prefix)-from"].trimmingCharacters(in: .whitespaces), until: fields["\(prefix)-until"].trimmingCharacters(in: .whitespaces),
                slotMinutes: fields["\(prefix)-minutes"], capacity: fields["\(prefix)-capacity"].trimmingCharacters(in: .whitespaces),
                remove: fields["\(prefix)-remove"] == "1")
        }
    }

    /// The bands the typed rows stand for, or every fault found (all rows, all fields at once). Blank rows and rows
    /// ticked for removal are left out.
    static func bands(_ rows: [Typed], procedure: ReservationProcedure) -> Result<[SlotTemplate], RowFaults> {
        var bands: [SlotTemplate] = [], faults: [RowFault] = []
        for (index, row) in rows.enumerated() where !row.remove && !row.isBlank {
            let number = index + 1
            func fault(_ field: Field, _ message: String) { faults.append(RowFault(row: number, field: field, message: "枠 \(number)：\(message)")) }
            if !procedure.offices.contains(row.officeID) { fault(.office, "窓口を選んでください。") }
            if row.weekdays.isEmpty { fault(.weekdays, "曜日を1つ以上選んでください。") }
            let from = ClockTime.minutes(row.from), until = ClockTime.minutes(row.until)
            if from == nil { fault(.from, row.from.isEmpty ? "開始時刻を入力してください（例 09:00）。" : "開始時刻「\(row.from)」は 09:00 のように時:分で入力してください。") }
            if until == nil { fault(.until, row.until.isEmpty ? "終了時刻を入力してください（例 12:00）。" : "終了時刻「\(row.until)」は 12:00 のように時:分で入力してください。") }
            let minutes = Int(row.slotMinutes).flatMap { ReservationProcedure.slotLengths.contains($0) ? $0 : nil }
            if minutes == nil { fault(.slotMinutes, "1枠の長さを一覧から選んでください。") }
            let capacity = Int(row.capacity.precomposedStringWithCompatibilityMapping)
            if capacity.map({ !(1...999).contains($0) }) ?? true { fault(.capacity, "定員は1から999の数で入力してください。") }
            if let from, let until, let minutes {
                if from >= until {
                    fault(.until, "終了時刻 \(row.until) は開始時刻 \(row.from) より後にしてください。")
                } else if from + minutes > until {
                    fault(.until, "\(row.from)〜\(row.until) には\(minutes)分の枠が1つも入りません。")
                }
            }
            if let from, let until, let minutes, let capacity, faults.allSatisfy({ $0.row != number }) {
                bands.append(SlotTemplate(officeID: row.officeID, weekdays: row.weekdays, from: from, until: until, slotMinutes: minutes, capacity: capacity))
            }
        }
        return faults.isEmpty ? .success(bands) : .failure(RowFaults(faults: faults))
    }

    struct RowFaults: Error, Sendable { let faults: [RowFault] }
}
