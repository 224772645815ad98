import Foundation
import HTTPTypes
import MadoguchiCore
import MadoguchiTestSupport
import Testing
@testable import MadoguchiWeb

@Suite("Booking confirmation: what to bring, a calendar file, cancel asks once more, a change shows old and new (issue 15, item 15)", .serialized)
struct BookingConfirmationTests {
    static var layout: OfficeLayout {
        var configuration = CityConfiguration(TestLayouts.cityWithReservations)
        let index = configuration.reservations!.procedures.firstIndex { $0.id == "consult" }!
        configuration.reservations!.procedures[index].bring = LocalizedText(ja: "本人確認書類\n転出証明書", en: "Proof of identity\nCertificate of moving out")
        return configuration.layout
    }

    static func book(_ h: APITestHarness) async throws -> (code: String, html: String) {
        let done = try await h.post(
            form: "office=main&start=2026-12-03T10:00&lang=en&phone=0312345678&email=a%40example.jp&password=1234",
            to: "/reserve/consult/book")
        let html = String(decoding: done.body, as: UTF8.self)
        #expect(done.status == .ok)
        let code = try #require(html.firstMatch(of: #/id="booking-code">([A-Z0-9]+)</#)).1
        return (String(code), html)
    }

    static func calendarHref(_ html: String) throws -> String {
        String(try #require(html.firstMatch(of: #/href="(/reserve/calendar/[^"]+)"/#)).1).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("the confirmation lists what to bring and links an .ics entry at the booked time; a forged link finds nothing")
    func bringAndCalendar() async throws {
        try await APITestHarness.run(layout: Self.layout) { h in
            // when a visitor books in English
            let (code, html) = try await Self.book(h)
            // then the page says what to bring
            #expect(html.contains("Please bring") && html.contains("<li>Proof of identity</li>") && html.contains("<li>Certificate of moving out</li>"))
            // and its calendar file holds the booked time (10:00 in Japan is 01:00 UTC), the procedure and the code
            let ics = try await h.request(.get, try Self.calendarHref(html))
            let text = String(decoding: ics.body, as: UTF8.self)
            #expect(ics.status == .ok && ics.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(
                text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.contains("\r\nDTSTART:20261203T010000Z\r\n") && text.contains("\r\nDTEND:20261203T013000Z\r\n"))
            #expect(text.contains("SUMMARY:") && text.replacingOccurrences(of: "\r\n ", with: "").contains(code))
            #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
            // a link with another key, or for another code, is not found
            #expect(try await h.request(.get, "/reserve/calendar/\(code)?k=forged").status == .notFound)
            #expect(try await h.request(.get, "/reserve/calendar/RNOSUCH1?k=forged").status == .notFound)
        }
    }

    @Test("cancelling asks once more; a post without the confirmation cancels nothing; a change shows the time before and after")
    func cancelAndChange() async throws {
        try await APITestHarness.run(layout: Self.layout) { h in
            let (code, html) = try await Self.book(h)
            let signIn = try await h.post(form: "key=\(code)&password=1234&lang=en", to: "/reserve/manage")
            let cookie = String(try #require(signIn.headers[.setCookie]).split(separator: ";")[0])
            // when a change to another time is being confirmed, then the page shows the old time beside the new one
            let change = try await h.page("/reserve/manage/change?start=2026-12-03T10:30&lang=en", cookie: cookie)
            #expect(change.html.contains(#"<dt>Before</dt><dd id="summary-previous"><del>"#) && change.html.contains("10:00</del>"))
            #expect(change.html.contains("<dt>After</dt>") && change.html.contains("10:30"))
            // when the cancel button's form is posted without the confirmation, then nothing is cancelled and the question is asked
            let unconfirmed = try await h.post(form: "", to: "/reserve/manage/cancel", cookie: cookie)
            #expect(unconfirmed.status == .seeOther && unconfirmed.headers[.location] == "/reserve/manage/cancel?lang=ja")
            #expect(try await h.t.runtime.reservations.store.reservation(code: code)?.status == .booked)
            let question = try await h.page("/reserve/manage/cancel?lang=en", cookie: cookie)
            #expect(question.html.contains("Cancel this booking?") && question.html.contains(#"name="confirmed" value="1""#))
            #expect(question.html.contains("Keep my booking"))
            // when it is confirmed, then the booking is cancelled and its calendar file is gone
            let confirmed = try await h.post(form: "lang=en&confirmed=1", to: "/reserve/manage/cancel", cookie: cookie)
            #expect(confirmed.status == .seeOther && confirmed.headers[.location] == "/reserve/manage?lang=en&notice=cancelled")
            #expect(try await h.t.runtime.reservations.store.reservation(code: code)?.status == .cancelled)
            #expect(try await h.request(.get, try Self.calendarHref(html)).status == .notFound)
        }
    }
}
