import Foundation
import HTTPTypes
import MadoguchiCore
import MadoguchiTestSupport
import MadoguchiWeb
import Testing

@Suite("Reservation API and booking pages (R2–R8)", .serialized)
struct ReservationAPITests {
    static func booking(
        _ procedure: String = "consult", office: String = "main", start: String = "2026-12-03T10:00", id: String? = nil,
        email: String = "hanako@example.jp", password: String = "2468"
    ) -> String {
        let idField = id.map { #","reservationId":"\#($0)""# } ?? ""
        return
            #"{"procedure":"\#(procedure)","office":"\#(office)","start":"\#(start)","phone":"090-1234-5678","email":"\#(email)","password":"\#(password)"\#(idField)}"#
    }

    @Test("procedures, month and day availability with ○/△/× only, never counts")
    func availability() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            let procedures = try await h.request(.get, "/api/v1/reservations/procedures?lang=en")
            let list = try #require(procedures.json as? [[String: Any]])
            #expect(list.map { $0["id"] as? String } == ["card", "consult"])
            #expect(list[0]["requiresReservationId"] as? Bool == true && list[0]["offices"] as? [String] == ["main", "other"])
            let cookie = try await staff(h)
            for _ in 0..<49 { #expect(try await h.request(.post, "/api/v1/staff/reservations", json: Self.booking(), cookie: cookie).status == .created) }
            let month = try await h.request(.get, "/api/v1/reservations/availability?procedure=consult&office=main&month=2026-12")
            let days = try #require(month.object["days"] as? [[String: Any]])
            #expect(days.count == 31)
            let marks = Dictionary(uniqueKeysWithValues: days.map { ($0["date"] as! String, $0["mark"] as! String) })
            #expect(marks["2026-12-03"] == "△" && marks["2026-12-04"] == "○" && marks["2026-12-05"] == "×")
            let day = try await h.request(.get, "/api/v1/reservations/availability?procedure=consult&office=main&date=2026-12-03")
            let slots = try #require(day.object["slots"] as? [[String: Any]])
            #expect(slots.count == 1 && slots[0]["start"] as? String == "2026-12-03T10:00:00+09:00" && slots[0]["mark"] as? String == "△")
            #expect(Set(slots[0].keys) == ["start", "end", "mark"])
            let wrong = try await h.request(.get, "/api/v1/reservations/availability?procedure=nothing&office=main&month=2026-12")
            #expect(wrong.status == .notFound && wrong.errorCode == "procedure_not_found")
        }
    }

    @Test("/staff/reservations lists upcoming bookings by default, not today's only (issue 15, item 19)")
    func upcomingByDefault() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            // given a booking on a later day
            let booked = try await h.request(.post, "/api/v1/reservations", json: Self.booking(start: "2026-12-04T10:00"))
            let code = try #require(booked.object["code"] as? String)
            // when staff open the list without choosing a period
            let page = try await h.request(.get, "/staff/reservations", cookie: try await staff(h))
            // then it is listed
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(page.status == .ok && html.contains(code) && !html.contains("id=\"no-reservations\""))
        }
    }

    /// A reservation-staff session at main.
    func staff(_ h: APITestHarness) async throws -> String { try await h.signIn(role: .reservationStaff, offices: ["main"]) }

    @Test("booking answers 201 with a code, 409 slot_full and id_already_booked, 422 outside_window, wrong_office and unknown_id")
    func bookingCodes() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            let imported = try await h.request(
                .post, "/api/v1/staff/reservation-ids", json: "予約番号,窓口コード\nABCD1234,0001\nEFGH5678,0002\n",
                cookie: try await h.signIn(role: .admin, offices: []))
            #expect(imported.status == .ok && imported.object["added"] as? Int == 2)
            let booked = try await h.request(.post, "/api/v1/reservations", json: Self.booking("card", id: "abcd1234"))
            #expect(booked.status == .created)
            let code = try #require(booked.object["code"] as? String)
            #expect(code.count == 8 && booked.object["start"] as? String == "2026-12-03T10:00:00+09:00" && booked.object["phone"] == nil)
            let twice = try await h.request(.post, "/api/v1/reservations", json: Self.booking("card", start: "2026-12-04T10:00", id: "ABCD1234"))
            #expect(twice.status == .conflict && twice.errorCode == "id_already_booked")
            let wrongOffice = try await h.request(.post, "/api/v1/reservations", json: Self.booking("card", office: "main", id: "EFGH5678"))
            #expect(wrongOffice.status == .unprocessableContent && wrongOffice.errorCode == "wrong_office")
            let unknown = try await h.request(.post, "/api/v1/reservations", json: Self.booking("card", id: "NOPE0000"))
            #expect(unknown.status == .unprocessableContent && unknown.errorCode == "unknown_id")
            let tooSoon = try await h.request(.post, "/api/v1/reservations", json: Self.booking(start: "2026-11-26T10:00"))
            #expect(tooSoon.status == .unprocessableContent && tooSoon.errorCode == "outside_window")
            let tooFar = try await h.request(.post, "/api/v1/reservations", json: Self.booking(start: "2027-01-15T10:00"))
            #expect(tooFar.errorCode == "outside_window")
            let badPhone = try await h.request(.post, "/api/v1/reservations", json: Self.booking().replacingOccurrences(of: "090-1234-5678", with: "12"))
            #expect(badPhone.status == .unprocessableContent && badPhone.errorCode == "invalid_field" && badPhone.errorMessage?.contains("電話番号") == true)
            let badPassword = try await h.request(.post, "/api/v1/reservations", json: Self.booking(password: "12a4"))
            #expect(badPassword.errorCode == "invalid_field" && badPassword.errorMessage?.contains("4桁") == true)
            let cookie = try await staff(h)
            for _ in 0..<50 { _ = try await h.request(.post, "/api/v1/staff/reservations", json: Self.booking(start: "2026-12-07T10:00"), cookie: cookie) }
            let full = try await h.request(.post, "/api/v1/reservations", json: Self.booking(start: "2026-12-07T10:00"))
            #expect(full.status == .conflict && full.errorCode == "slot_full")
        }
    }

    @Test("a visitor looks up, changes and cancels with the password; a wrong password is refused and nothing changes")
    func changeAndCancel() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            let code = try #require(try await h.request(.post, "/api/v1/reservations", json: Self.booking()).object["code"] as? String)
            let wrong = try await h.request(.delete, "/api/v1/reservations/\(code)", json: #"{"password":"1111"}"#)
            #expect(wrong.status == .forbidden && wrong.errorCode == "wrong_password")
            let found = try await h.request(.post, "/api/v1/reservations/lookup", json: #"{"key":"\#(code)","password":"2468"}"#)
            #expect(found.status == .ok && found.object["status"] as? String == "booked")
            let changed = try await h.request(.patch, "/api/v1/reservations/\(code)", json: #"{"password":"2468","start":"2026-12-04T10:00"}"#)
            #expect(changed.status == .ok && changed.object["start"] as? String == "2026-12-04T10:00:00+09:00")
            let cancelled = try await h.request(.delete, "/api/v1/reservations/\(code)", json: #"{"password":"2468"}"#)
            #expect(cancelled.status == .noContent)
            let again = try await h.request(.delete, "/api/v1/reservations/\(code)", json: #"{"password":"2468"}"#)
            #expect(again.status == .conflict && again.errorCode == "reservation_not_active")
            let list = try await h.request(.get, "/api/v1/staff/reservations?from=2026-12-01&to=2026-12-31&status=cancelled", cookie: try await staff(h))
            let rows = try #require(list.object["reservations"] as? [[String: Any]])
            #expect(rows.count == 1 && rows[0]["cancelReason"] as? String == "ご本人によるウェブでの取消" && rows[0]["email"] as? String == "hanako@example.jp")
        }
    }

    @Test("an ID file with faults is refused whole with each line and column; Shift_JIS files are read")
    func idFile() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            let admin = try await h.signIn(role: .admin, offices: [])
            let bad = try await h.request(.post, "/api/v1/staff/reservation-ids", json: "GOOD0001,0001\nBAD,0001\nGOOD0002,9999,1990-01-01\n", cookie: admin)
            #expect(bad.status == .unprocessableContent && bad.errorCode == "invalid_file")
            let faults = try #require((bad.object["error"] as? [String: Any])?["faults"] as? [[String: Any]])
            #expect(faults.map { "\($0["line"]!):\($0["column"]!)" } == ["2:1", "3:2"])
            #expect(try await h.t.runtime.reservations.store.importedID("GOOD0001") == nil)
            let sjis = try #require("予約番号,窓口コード,生年月日\r\nGOOD0001,0001,1990-01-01\r\n".data(using: .shiftJIS))
            var headers = HTTPFields()
            headers[.cookie] = admin
            let status = try await h.client.execute(uri: "/api/v1/staff/reservation-ids", method: .post, headers: headers, body: .init(data: sjis)) {
                $0.status
            }
            #expect(status == .ok)
            #expect(try await h.t.runtime.reservations.store.importedID("GOOD0001")?.birthDate == "1990-01-01")
            // Reservation staff of the other office may not import IDs of main.
            let other = try await h.signIn(role: .reservationStaff, offices: ["other"])
            #expect(try await h.request(.post, "/api/v1/staff/reservation-ids", json: "GOOD0003,0001\n", cookie: other).status == .forbidden)
        }
    }

    @Test("exports: CSV with a BOM and the chosen columns, Shift_JIS, and a real xlsx; each export audited")
    func exports() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            _ = try await h.request(.post, "/api/v1/reservations", json: Self.booking())
            let cookie = try await staff(h)
            let csv = try await h.request(
                .get, "/api/v1/staff/reservations?from=2026-12-01&to=2026-12-31&format=csv&columns=code,date,time,email", cookie: cookie)
            #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = String(decoding: csv.body.dropFirst(3), as: UTF8.self).split(separator: "\r\n")
            #expect(lines.first == "予約コード,予約日,時刻,メールアドレス" && lines.count == 2 && lines[1].hasSuffix(",2026-12-03,10:00,hanako@example.jp"))
            let sjis = try await h.request(.get, "/api/v1/staff/reservations?from=2026-12-01&to=2026-12-31&format=csv&encoding=shift_jis", cookie: cookie)
            #expect(String(data: sjis.body, encoding: .shiftJIS)?.hasPrefix("予約コード,手続き") == true)
            let xlsx = try await h.request(.get, "/api/v1/staff/reservations?fiscal_year=2026&format=xlsx", cookie: cookie)
            #expect(Array(xlsx.body.prefix(2)) == Array("PK".utf8) && xlsx.headers[.contentType]?.contains("spreadsheetml") == true)
            let audit = try await h.t.runtime.audit.entries(AuditQuery(action: "reservations.export"))
            #expect(audit.count == 3)
        }
    }

    @Test("the booking pages work without JavaScript in the visitor's language")
    func pages() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            let home = try await h.page("/reserve?lang=en")
            #expect(home.status == .ok && home.html.contains("Counter reservations") && home.html.contains("/reserve/consult?lang=en"))
            let calendar = try await h.page("/reserve/consult?lang=ja&month=2026-12")
            #expect(calendar.html.contains("2026年12月") && calendar.html.contains("aria-label=\"12月3日（木） 空きあり\""))
            let times = try await h.page("/reserve/consult?office=main&date=2026-12-03&lang=ja")
            // a time is a button that posts (choosing holds a seat), not a link a prefetcher could follow
            #expect(times.html.contains("action=\"/reserve/consult/details\"") && times.html.contains("value=\"2026-12-03T10:00\""))
            #expect(!times.html.contains("/reserve/consult/details?"))
            let idPage = try await h.page("/reserve/card?lang=ko")
            #expect(idPage.html.contains("예약번호") && idPage.html.contains("action=\"/reserve/card/id\""))
            let unknown = try await h.post(form: "reservationId=NOPE0000&lang=ko", to: "/reserve/card/id")
            #expect(unknown.status == .seeOther && unknown.headers[.location] == "/reserve/card?lang=ko&error=unknown_id")
            let confirm = try await h.post(
                form: "office=main&start=2026-12-03T10:00&lang=ja&phone=0312345678&email=a%40example.jp&password=1234&passwordAgain=1235",
                to: "/reserve/consult/confirm")
            #expect(String(decoding: confirm.body, as: UTF8.self).contains("確認のパスワードが一致しません"))
            let done = try await h.post(
                form: "office=main&start=2026-12-03T10:00&lang=ja&phone=0312345678&email=a%40example.jp&password=1234",
                to: "/reserve/consult/book")
            let html = String(decoding: done.body, as: UTF8.self)
            #expect(done.status == .ok && html.contains("予約が完了しました") && html.contains("booking-code"))
        }
    }
}
