import Foundation
import Hummingbird
import MadoguchiCore

/// The back office's filters and exports, shared by the API and `/staff/reservations`.
enum ReservationSearch {
    static func query(_ parameters: Parameters, user: StaffUser, layout: OfficeLayout, permission: Permission = .manageReservations) throws -> ReservationQuery
    {
        func value(_ name: String) -> String? { parameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let allowed = user.offices(for: permission, among: layout.offices.map(\.id))
        var offices = allowed
        if let office = value("office") {
            guard layout.office(office) != nil else { throw DomainError.officeNotFound(office) }
            guard allowed.contains(office) else { throw APIError.forbidden }
            offices = [office]
        }
        var from = value("from"), through = value("to")
        if let year = value("fiscal_year").flatMap(Int.init) {
            let range = FiscalYear.range(year)
            (from, through) = (range.from, range.to)
        }
        for date in [from, through].compactMap({ $0 }) where CityCalendar.date(ofBusinessDay: date) == nil {
            throw APIError(.unprocessableContent, code: "invalid_parameter", message: "日付「\(date)」は YYYY-MM-DD の実在する日付で指定してください。")
        }
        var statuses: [Reservation.Status] = []
        for name in (value("status") ?? "").split(separator: ",") + parameters.getAll("statuses").map { Substring($0) } {
            guard let status = Reservation.Status(rawValue: String(name)) else {
                throw APIError(
                    .unprocessableContent, code: "invalid_parameter",
                    message: "status は \(Reservation.Status.allCases.map(\.rawValue).joined(separator: ", ")) です。")
            }
            statuses.append(status)
        }
        guard let sort = ReservationQuery.Sort(rawValue: value("sort") ?? "start") else {
            throw APIError(.unprocessableContent, code: "invalid_parameter", message: "sort は start, created, code, status のいずれかです。")
        }
        return ReservationQuery(
            officeIDs: offices, procedureID: value("procedure"), from: from, through: through, statuses: statuses,
            text: value("q"), sort: sort, limit: min(value("limit").flatMap(Int.init) ?? 1000, 100_000))
    }

    /// Columns of CSV and xlsx exports (`columns=code,date,…`).
    enum Column: String, CaseIterable, Sendable {
        case code, procedure, office, date, time, status, reservationId, phone, email, bookedBy, createdAt, cancelledAt, cancelReason
        case checkedInAt, ticketNumber

        var japaneseName: String {
            switch self {
            case .code: "予約コード"
            case .procedure: "手続き"
            case .office: "窓口"
            case .date: "予約日"
            case .time: "時刻"
            case .status: "状態"
            case .reservationId: "予約番号"
            case .phone: "電話番号"
            case .email: "メールアドレス"
            case .bookedBy: "予約経路"
            case .createdAt: "予約日時"
            case .cancelledAt: "取消日時"
            case .cancelReason: "取消理由"
            case .checkedInAt: "受付日時"
            case .ticketNumber: "番号札"
            }
        }

        func value(_ r: Reservation, layout: OfficeLayout) -> String {
            func time(_ date: Date?) -> String { date.map { ClockText.dateTime($0) } ?? "" }
            switch self {
            case .code: return r.code
            case .procedure: return layout.reservations.procedure(r.procedureID)?.name ?? r.procedureID
            case .office: return layout.office(r.officeID)?.name ?? r.officeID
            case .date: return r.start.date
            case .time: return r.start.clockText
            case .status: return r.status.japanese
            case .reservationId: return r.reservationID ?? ""
            case .phone: return r.phone ?? (r.contactErased ? "（消去済）" : "")
            case .email: return r.email ?? (r.contactErased ? "（消去済）" : "")
            case .bookedBy: return r.bookedBy == "web" ? "ウェブ" : "職員（\(r.bookedBy)）"
            case .createdAt: return time(r.createdAt)
            case .cancelledAt: return time(r.cancelledAt)
            case .cancelReason: return r.cancelReason ?? ""
            case .checkedInAt: return time(r.checkedInAt)
            case .ticketNumber: return r.ticketNumber ?? ""
            }
        }

        static let standard: [Column] = [.code, .procedure, .office, .date, .time, .status, .reservationId, .phone, .email, .bookedBy, .cancelReason]
    }

    static func columns(_ parameters: Parameters) throws -> [Column] {
        let names = parameters["columns"].map { $0.split(separator: ",").map(String.init) } ?? parameters.getAll("column")
        guard !names.isEmpty else { return Column.standard }
        return try names.map { name in
            guard let column = Column(rawValue: name) else {
                throw APIError(.unprocessableContent, code: "invalid_parameter", message: "列「\(name)」はありません。")
            }
            return column
        }
    }

    static func export(_ found: [Reservation], columns: [Column], format: String, shiftJIS: Bool, layout: OfficeLayout) throws -> Response {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        let name = "madoguchi-reservations"
        switch format {
        case "csv":
            var text = CSVText.line(columns.map(\.japaneseName))
            for r in found { text += CSVText.line(columns.map { $0.value(r, layout: layout) }) }
            return CSVDownload.response(text, filename: "\(name).csv", shiftJIS: shiftJIS)
        case "xlsx":
            let data = try SpreadsheetExport.workbook(
                title: "予約一覧",
                sheets: [
                    SpreadsheetExport.Sheet(
                        name: "予約", header: columns.map(\.japaneseName),
                        rows: found.map { r in columns.map { .text($0.value(r, layout: layout)) } },
                        widths: columns.map { [.procedure, .office, .email, .cancelReason].contains($0) ? 30 : 16 })
                ])
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            headers[.contentDisposition] = "attachment; filename=\"\(name).xlsx\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
        default:
            throw APIError(.unprocessableContent, code: "invalid_parameter", message: "format は json, csv, xlsx のいずれかです。")
        }
    }
}
