import MadoguchiCore
import MadoguchiTestSupport
import Testing
@testable import MadoguchiWeb

@Suite("/admin/settings: weekly booking slots as a form beside the YAML (issue 15, item 17)")
struct SlotTemplateFormTests {
    @Test("the form shows each band as HH:MM with ticked weekdays; saving adds a band, removes one and keeps the rest")
    func editBands() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            let admin = try await h.signIn(role: .admin, offices: [])
            let page = try await h.page("/admin/settings", cookie: admin)
            // consult's one band: 10:00–10:30 on Monday to Friday, and an empty row to add one
            #expect(page.html.contains(#"id="slots-consult-1-from" name="slots-consult-1-from" value="10:00""#))
            #expect(page.html.contains(#"id="slots-consult-1-until" name="slots-consult-1-until" value="10:30""#))
            #expect(page.html.contains(#"id="slots-consult-1-day-2" name="slots-consult-1-day" value="2" checked>月"#))
            #expect(page.html.contains(#"id="slots-consult-1-day-1" name="slots-consult-1-day" value="1">日"#))
            #expect(page.html.contains(#"id="slots-consult-2-from" name="slots-consult-2-from" value="""#))
            // when the clerk adds Saturday 9:00–12:00 (typed with a full-width colon) and removes the weekday band
            let form = [
                "rows=2",
                "slots-consult-1-office=main", "slots-consult-1-day=2", "slots-consult-1-from=10%3A00", "slots-consult-1-until=10%3A30",
                "slots-consult-1-minutes=30", "slots-consult-1-capacity=50", "slots-consult-1-remove=1",
                "slots-consult-2-office=main", "slots-consult-2-day=7", "slots-consult-2-from=9%EF%BC%9A00", "slots-consult-2-until=12%3A00",
                "slots-consult-2-minutes=15", "slots-consult-2-capacity=3"
            ].joined(separator: "&")
            let saved = try await h.post(form: form, to: "/admin/settings/reservations/consult/slots", cookie: admin)
            #expect(saved.status == .seeOther)
            let consult = try #require(h.t.runtime.layout.current.reservations.procedure("consult"))
            #expect(consult.templates == [SlotTemplate(officeID: "main", weekdays: [7], from: 540, until: 720, slotMinutes: 15, capacity: 3)])
            // the other procedure is untouched
            #expect(h.t.runtime.layout.current.reservations.procedure("card")?.templates.count == 3)
        }
    }

    @Test("every fault of every row is named beside its field at once, what was typed stays, and nothing is saved")
    func faultsBesideFields() async throws {
        try await APITestHarness.run(layout: TestLayouts.cityWithReservations) { h in
            let admin = try await h.signIn(role: .admin, offices: [])
            let before = h.t.runtime.layout.current.reservations.procedure("consult")
            let form = [
                "rows=2",
                "slots-consult-1-office=main", "slots-consult-1-from=9%E6%99%82", "slots-consult-1-until=10%3A30",
                "slots-consult-1-minutes=30", "slots-consult-1-capacity=50",
                "slots-consult-2-office=main", "slots-consult-2-day=3", "slots-consult-2-from=12%3A00", "slots-consult-2-until=11%3A00",
                "slots-consult-2-minutes=30", "slots-consult-2-capacity=0"
            ].joined(separator: "&")
            let refused = try await h.post(form: form, to: "/admin/settings/reservations/consult/slots", cookie: admin)
            let html = String(decoding: refused.body, as: UTF8.self)
            #expect(refused.status == .unprocessableContent)
            #expect(html.contains("枠 1：曜日を1つ以上選んでください。") && html.contains("枠 1：開始時刻「9時」は 09:00 のように時:分で入力してください。"))
            #expect(html.contains("枠 2：定員は1から999の数で入力してください。") && html.contains("枠 2：終了時刻 11:00 は開始時刻 12:00 より後にしてください。"))
            // the faulty fields are marked and described by their row's message; typed values are kept
            #expect(html.contains(#"id="slots-consult-1-from" name="slots-consult-1-from" value="9時""#))
            #expect(
                html.contains(
                    #"value="9時" placeholder="09:00" inputmode="numeric" size="6" autocomplete="off" aria-invalid="true" aria-describedby="slots-consult-1-error""#
                ))
            #expect(html.contains(#"id="slots-consult-2-day-3" name="slots-consult-2-day" value="3" checked>"#))
            #expect(html.contains(#"<details class="settings-item slots" id="slots-consult" open>"#))
            #expect(h.t.runtime.layout.current.reservations.procedure("consult") == before)
        }
    }

    @Test("times are read as staff type them")
    func clockTimes() {
        #expect(ClockTime.minutes("09:30") == 570 && ClockTime.minutes("9:30") == 570 && ClockTime.minutes("０９：３０") == 570)
        #expect(ClockTime.minutes("24:00") == 1440 && ClockTime.minutes("24:01") == nil && ClockTime.minutes("9:5") == nil)
        #expect(ClockTime.minutes("9時") == nil && ClockTime.minutes("") == nil && ClockTime.minutes("12:60") == nil)
        #expect(ClockTime.text(570) == "09:30")
    }
}
