import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MadoguchiCore
import MadoguchiTestSupport
import Testing

/// The no-writing counter over HTTP: the JSON API's checks and codes, the staff form without JavaScript, masking
/// by role, attachments, export and reports.
@Suite("No-writing counter API and staff form (K3–K7)", .serialized)
struct CaseAPITests {
    static let household = """
        {"procedure":"move_in","movingDate":"2026-11-21","notificationDate":"2026-11-24","previousAddress":"埼玉県さいたま市浦和区高砂三丁目1番1号",
         "newAddress":"東京都練馬区豊玉北六丁目12番1号","householder":"髙橋　一郎","remarks":"","memo":"",
         "persons":[
          {"identity":{"source":"typed","familyName":"髙橋","givenName":"一郎","familyNameKana":"たかはし","givenNameKana":"いちろう","birthDate":"1985-04-12","sex":"male","address":"","myNumber":"123456789018"},
           "relationship":"世帯主","japanese":{"honseki":"東京都練馬区豊玉北六丁目12番","headOfRegistry":"髙橋　一郎"}},
          {"identity":{"source":"residence_card","familyName":"GARCIA","givenName":"MARIA","familyNameKana":"がるしあ","givenNameKana":"まりあ","birthDate":"1990-07-01","sex":"female","address":""},
           "relationship":"妻","foreign":{"nationality":"フィリピン","category":"mid_long_term","status":"日本人の配偶者等","periodCode":"0300000","expiryDate":"2029-07-01","cardNumber":"AB12345678CD"}}]}
        """

    func faults(_ answer: APITestHarness.Answer) -> [(field: String, severity: String)] {
        ((answer.object["faults"] as? [[String: Any]]) ?? []).map { ($0["field"] as? String ?? "", $0["severity"] as? String ?? "") }
    }

    @Test("validation names each fault's field: a Japanese person given 在留 items and a foreign resident without a card number")
    func validation() async throws {
        try await APITestHarness.run { h in
            let cookie = try await h.signIn(role: .staff)
            let mixed = Self.household
                .replacingOccurrences(
                    of: #""relationship":"世帯主","japanese""#,
                    with:
                        #""relationship":"世帯主","foreign":{"nationality":"日本","category":"mid_long_term","status":"永住者","periodCode":"9999999","expiryDate":"","cardNumber":"AB12345678CD"},"japanese""#
                )
                .replacingOccurrences(of: "AB12345678CD\"}}]", with: "X\"}}]")
                .replacingOccurrences(of: "123456789018", with: "123456789012")
            let answer = try await h.request(.post, "/api/v1/cases/validate", json: mixed, cookie: cookie)
            #expect(answer.status == .ok)
            let found = faults(answer).map(\.field)
            #expect(found.contains("persons[0].foreign"))
            #expect(found.contains("persons[0].identity.myNumber"))
            #expect(found.contains("persons[1].foreign.cardNumber"))
            #expect(try await h.request(.post, "/api/v1/cases/validate", json: Self.household, cookie: cookie).object["faults"] as? [Any] != nil)
            #expect(
                faults(try await h.request(.post, "/api/v1/cases/validate", json: Self.household, cookie: cookie)).filter { $0.severity == "error" }.isEmpty)
            let broken = try await h.request(.post, "/api/v1/cases/validate", json: #"{"procedure":"move_in"}"#, cookie: cookie)
            #expect(broken.status == .badRequest && broken.errorCode == "missing_field")
        }
    }

    @Test("a case is created, refused completion while faulty with case_invalid, completed, then read masked by an administrator")
    func lifecycle() async throws {
        try await APITestHarness.run { h in
            let staff = try await h.signIn(role: .staff)
            let empty = try await h.request(.post, "/api/v1/cases", json: #"{"office":"main","procedure":"move_in"}"#, cookie: staff)
            #expect(empty.status == .created)
            let id = try #require(empty.object["id"] as? String)
            let refused = try await h.request(.post, "/api/v1/cases/\(id)/status", json: #"{"status":"completed"}"#, cookie: staff)
            #expect(refused.status == .unprocessableContent && refused.errorCode == "case_invalid")
            #expect(refused.errorMessage?.hasPrefix("誤りが") == true && refused.errorMessage?.contains("完了にできません") == true)
            let saved = try await h.request(.put, "/api/v1/cases/\(id)", json: Self.household, cookie: staff)
            #expect(saved.status == .ok)
            let done = try await h.request(.post, "/api/v1/cases/\(id)/status", json: #"{"status":"completed","note":"確認済み"}"#, cookie: staff)
            #expect(done.status == .ok && done.object["status"] as? String == "completed")
            let again = try await h.request(.put, "/api/v1/cases/\(id)", json: Self.household, cookie: staff)
            #expect(again.status == .conflict && again.errorCode == "case_not_editable")

            let admin = try await h.signIn(role: .admin, offices: [])
            let seen = try await h.request(.get, "/api/v1/cases/\(id)", cookie: admin)
            let persons = try #require((seen.object["case"] as? [String: Any])?["persons"] as? [[String: Any]])
            #expect((persons[0]["identity"] as? [String: Any])?["myNumber"] as? String == "＊＊＊＊")
            #expect((persons[0]["japanese"] as? [String: Any])?["honseki"] as? String == "＊＊＊＊")
            #expect((persons[1]["foreign"] as? [String: Any])?["cardNumber"] as? String == "＊＊＊＊")
            let pdf = try await h.request(.get, "/api/v1/cases/\(id)/pdf?form=jumin-ido&form=kokuho", cookie: admin)
            #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf" && pdf.body.starts(with: Data("%PDF-".utf8)))
            let unknown = try await h.request(.get, "/api/v1/cases/\(id)/pdf?form=nonexistent", cookie: staff)
            #expect(unknown.status == .unprocessableContent && unknown.errorCode == "unknown_form")
            #expect(try await h.request(.get, "/api/v1/cases/not-a-case", cookie: staff).errorCode == "case_not_found")

            let search = try await h.request(.get, "/api/v1/cases?q=%E3%82%AC%E3%83%AB%E3%82%B7%E3%82%A2", cookie: staff)  // ガルシア
            #expect(((search.object["cases"] as? [[String: Any]]) ?? []).map { $0["id"] as? String } == [id])
            let badStatus = try await h.request(.get, "/api/v1/cases?status=finished", cookie: staff)
            #expect(badStatus.status == .unprocessableContent && badStatus.errorCode == "invalid_status")
            let audited = try await h.t.runtime.audit.entries(AuditQuery())
            #expect(audited.contains { $0.action == "case.printed" && $0.target == id && $0.detail == "jumin-ido,kokuho" })
            #expect(audited.contains { $0.action == "case.viewed" && $0.target == id })
        }
    }

    @Test("attachments: a PNG is kept, a file that is not PDF, JPEG or PNG is refused by its bytes")
    func attachments() async throws {
        try await APITestHarness.run { h in
            let staff = try await h.signIn(role: .staff)
            let id = try #require(
                try await h.request(.post, "/api/v1/cases", json: #"{"office":"main","procedure":"move_in"}"#, cookie: staff).object["id"] as? String)
            let kept = try await h.upload(
                "/api/v1/cases/\(id)/attachments?name=card.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00]), cookie: staff)
            #expect(kept.status == .created && kept.object["contentType"] as? String == "image/png")
            let script = try await h.upload("/api/v1/cases/\(id)/attachments?name=evil.pdf", Data("<script>alert(1)</script>".utf8), cookie: staff)
            #expect(script.status == .unprocessableContent && script.errorCode == "attachment_rejected")
            let record = try await h.request(.get, "/api/v1/cases/\(id)", cookie: staff)
            #expect(((record.object["attachments"] as? [[String: Any]]) ?? []).map { $0["fileName"] as? String } == ["card.png"])
        }
    }

    @Test("the staff form works without JavaScript: fields posted, a member added with the household's name, faults shown by their inputs")
    func formWithoutScript() async throws {
        try await APITestHarness.run { h in
            let staff = try await h.signIn(role: .staff)
            let opened = try await h.post(form: "office=main&procedure=move_in", to: "/staff/forms", cookie: staff)
            #expect(opened.status == .seeOther)
            let location = try #require(opened.headers[.location])
            let id = String(location.dropFirst("/staff/forms/".count).prefix { $0 != "#" })
            func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
            let fields = [
                ("person-count", "1"), ("f-procedure", "move_in"), ("f-movingDate", "R8.11.21"), ("f-notificationDate", "2026-11-24"),
                ("f-householder", "髙橋　一郎"), ("f-newAddress", "東京都練馬区豊玉北六丁目12番1号"), ("f-previousAddress", "埼玉県さいたま市"),
                ("p0-kind", "japanese"), ("p0-familyName", "髙橋"), ("p0-givenName", "一郎"), ("p0-familyNameKana", "タカハシ"), ("p0-givenNameKana", "イチロウ"),
                ("p0-birthDate", "S60.4.12"), ("p0-sex", "male"), ("p0-relationship", "世帯主"), ("p0-honseki", "東京都練馬区"), ("p0-headOfRegistry", "髙橋　一郎"),
                ("f-phrase", "転出証明書を確認済み。"), ("action", "add-person")
            ]
            let added = try await h.post(form: fields.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&"), to: "/staff/forms/\(id)", cookie: staff)
            #expect(added.status == .seeOther && added.headers[.location] == "/staff/forms/\(id)#p1-givenName")
            let stored = try #require(try await h.t.runtime.cases.store.record(id: id))
            #expect(stored.residentCase.movingDate == "2026-11-21" && stored.residentCase.persons[0].identity.birthDate == "1985-04-12")
            #expect(stored.residentCase.remarks == "転出証明書を確認済み。")
            #expect(stored.residentCase.persons.count == 2 && stored.residentCase.persons[1].identity.familyName == "髙橋")
            #expect(stored.residentCase.persons[1].japanese?.honseki == "東京都練馬区")

            let page = try await h.page("/staff/forms/\(id)", cookie: staff)
            #expect(page.status == .ok)
            #expect(page.html.contains(#"id="err-p1-givenName""#) && page.html.contains("続柄を入力してください。"))
            #expect(page.html.contains(##"<a href="#p0-familyName" class="form-value" data-input="p0-familyName">"##))  // the preview leads to the input
            #expect(page.html.contains("昭和60年4月12日"))

            // The live check answers faults and a fresh preview without storing anything.
            var request = fields.filter { $0.0 != "action" && $0.0 != "f-phrase" }
            request.append(("p0-myNumber", "123456789012"))
            let checked = try await h.post(
                form: request.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&"), to: "/staff/forms/\(id)/check", cookie: staff)
            let answer = checked.object
            let checkFaults = (answer["faults"] as? [[String: Any]] ?? []).map { $0["input"] as? String }
            #expect(checkFaults.contains("p0-myNumber"))
            #expect((answer["preview"] as? String)?.contains("<svg") == true)
            #expect((try await h.t.runtime.cases.store.record(id: id))?.residentCase.persons[0].identity.myNumber == nil)

            // A later case is offered the addresses and family names entered before (K3 k).
            let later = try await h.post(form: "office=main&procedure=move_within", to: "/staff/forms", cookie: staff)
            let laterID = String(try #require(later.headers[.location]).dropFirst("/staff/forms/".count).prefix { $0 != "#" })
            let laterPage = try await h.page("/staff/forms/\(laterID)", cookie: staff).html
            #expect(laterPage.contains(#"<datalist id="addresses"><option value="東京都練馬区豊玉北六丁目12番1号"></option>"#))
            #expect(laterPage.contains(#"<option value="髙橋"></option>"#))

            // 保留 from the same form keeps what was typed with it.
            var held = fields.filter { $0.0 != "action" && $0.0 != "f-phrase" }
            held += [("p0-myNumber", "123456789018"), ("note", "転出証明書の原本待ち"), ("action", "status-on_hold")]
            let onHold = try await h.post(form: held.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&"), to: "/staff/forms/\(id)", cookie: staff)
            #expect(onHold.status == .seeOther)
            let heldRecord = try #require(try await h.t.runtime.cases.store.record(id: id))
            #expect(heldRecord.status == .onHold && heldRecord.history.last?.note == "転出証明書の原本待ち")
            #expect(heldRecord.residentCase.persons[0].identity.myNumber == "123456789018")

            let admin = try await h.signIn(role: .admin, offices: [])
            let readOnly = try await h.page("/staff/forms/\(id)", cookie: admin)
            #expect(readOnly.html.contains("閲覧のみ") && !readOnly.html.contains(#"id="save-case""#))
            let refused = try await h.post(form: "person-count=1&f-procedure=move_in", to: "/staff/forms/\(id)", cookie: admin)
            #expect(refused.status == .forbidden)
        }
    }

    @Test("export and report parameters are checked with their own codes")
    func exportAndReportParameters() async throws {
        try await APITestHarness.run { h in
            let manager = try await h.signIn(role: .officeManager)
            #expect(try await h.request(.get, "/api/v1/cases/export?from=2026-11-24&to=2026-11-01", cookie: manager).errorCode == "invalid_period")
            #expect(
                try await h.request(.get, "/api/v1/cases/export?from=2026-11-24&to=2026-11-24&encoding=latin1", cookie: manager).errorCode == "invalid_encoding"
            )
            #expect(try await h.request(.get, "/api/v1/cases/export?from=2026-11-24&to=2026-11-24&format=xml", cookie: manager).errorCode == "invalid_format")
            let empty = try await h.request(.get, "/api/v1/cases/export?from=2026-11-24&to=2026-11-24&format=json", cookie: manager)
            #expect(empty.status == .ok && (empty.object["rows"] as? [Any])?.isEmpty == true)
            #expect(try await h.request(.get, "/api/v1/cases/report?from=2026-11-01&to=2026-11-30&by=weekday", cookie: manager).errorCode == "invalid_grouping")
            let report = try await h.request(.get, "/api/v1/cases/report?from=2026-11-01&to=2026-11-30&by=procedure&format=csv", cookie: manager)
            #expect(report.status == .ok && String(decoding: report.body, as: UTF8.self).contains("区分,件数,完了,平均受付時間（秒）"))
        }
    }
}

extension APITestHarness {
    /// A file as the form's script sends it: the raw bytes as the request body.
    func upload(_ uri: String, _ data: Data, cookie: String) async throws -> Answer {
        try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie], body: ByteBuffer(data: data)) { response in
            Answer(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }
}
