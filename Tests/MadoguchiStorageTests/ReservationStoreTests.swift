import Foundation
import MadoguchiApp
import MadoguchiCore
import MadoguchiStorage
import MadoguchiTestSupport
import SQLKit
import Testing

@Suite("Reservations on the database: no overbooking, one booking per ID, reminders once, check-in (R4–R8, R10)", .serialized)
struct ReservationStoreTests {
    static func request(
        _ procedure: String = "consult", office: String = "main", start: String, id: String? = nil, n: Int = 0,
        birthDate: String? = nil
    ) -> BookingRequest {
        BookingRequest(
            procedureID: procedure, officeID: office, start: start, reservationID: id, birthDate: birthDate,
            phone: String(format: "090%08d", n), email: "visitor\(n)@example.jp", password: "1234")
    }

    static func with(_ kind: TestDatabaseKind, _ body: (TestRuntime) async throws -> Void) async throws {
        try await TestRuntime.with(kind, layout: TestLayouts.cityWithReservations, body)
    }

    /// Books every request at once, spread over the instances; returns the successes and the refusals' codes.
    static func burst(_ requests: [BookingRequest], on services: [ReservationService]) async -> (booked: [Reservation], refused: [String: Int]) {
        await withTaskGroup(of: Result<Reservation, any Error>.self) { group in
            for (index, request) in requests.enumerated() {
                let service = services[index % services.count]
                group.addTask { do { return .success(try await service.book(request)) } catch { return .failure(error) } }
            }
            var booked: [Reservation] = [], refused: [String: Int] = [:]
            for await result in group {
                switch result {
                case .success(let reservation): booked.append(reservation)
                case .failure(let error as ReservationRefusal): refused[error.code, default: 0] += 1
                case .failure(let error): refused["\(error)", default: 0] += 1
                }
            }
            return (booked, refused)
        }
    }

    func rows(_ t: TestRuntime, _ sql: SQLQueryString) async throws -> [any SQLRow] {
        try await t.runtime.database.withConnection { db in try await db.raw(sql).all() }
    }

    @Test(
        "1,000 simultaneous bookings of 50 seats: exactly 50 confirmed, the rest told the slot is full (two instances on PostgreSQL)",
        arguments: TestDatabaseKind.available)
    func noOverbooking(kind: TestDatabaseKind) async throws {
        try await Self.with(kind) { t in
            let requests = (0..<1000).map { Self.request(start: "2026-12-03T10:00", n: $0) }
            var result: (booked: [Reservation], refused: [String: Int]) = ([], [:])
            if kind == .postgres {
                try await t.withSecondInstance { second in result = await Self.burst(requests, on: [t.runtime.reservations, second.reservations]) }
            } else {
                result = await Self.burst(requests, on: [t.runtime.reservations])
            }
            #expect(result.booked.count == 50)
            #expect(result.refused == ["slot_full": 950])
            #expect(Set(result.booked.map(\.code)).count == 50)
            let counts = try await t.runtime.reservations.store.bookedCounts(
                procedureID: "consult", officeID: "main", from: "2026-12-03", through: "2026-12-03")
            #expect(counts == ["2026-12-03T10:00": 50])
            #expect(try await rows(t, "SELECT code FROM reservations WHERE status = 'booked'").count == 50)
            let marks = try await t.runtime.reservations.slotMarks(procedureID: "consult", officeID: "main", date: "2026-12-03")
            #expect(marks.map(\.mark) == [.full])
        }
    }

    @Test(
        "one reservation ID holds one active booking, also when 20 try at once on two instances; cancelling or the date passing frees it",
        arguments: TestDatabaseKind.available)
    func oneBookingPerID(kind: TestDatabaseKind) async throws {
        try await Self.with(kind) { t in
            let store = t.runtime.reservations.store
            let imported = try await store.importIDs(
                [
                    ImportedReservationID(id: "ABCD1234", officeCode: "0001"),
                    ImportedReservationID(id: "EFGH5678", officeCode: "0002", birthDate: "1980-04-01")
                ], at: t.clock.now())
            #expect(imported == (2, 0))
            // Re-importing updates, never duplicates.
            #expect(try await store.importIDs([ImportedReservationID(id: "ABCD1234", officeCode: "0001")], at: t.clock.now()) == (0, 1))

            let slots = ["2026-12-01T09:00", "2026-12-01T09:30", "2026-12-01T10:00", "2026-12-02T09:00", "2026-12-02T10:30"]
            let requests = (0..<20).map { Self.request("card", start: slots[$0 % slots.count], id: "abcd1234", n: $0) }
            var result: (booked: [Reservation], refused: [String: Int]) = ([], [:])
            try await t.withSecondInstance { second in result = await Self.burst(requests, on: [t.runtime.reservations, second.reservations]) }
            #expect(result.booked.count == 1)
            #expect(result.refused == ["id_already_booked": 19])
            let seats = try await rows(t, "SELECT CAST(SUM(booked) AS BIGINT) AS n FROM reservation_slots")
            #expect(try seats[0].decode(column: "n", as: Int.self) == 1)  // the refused ones gave their seats back

            let service = t.runtime.reservations
            // The ID's office is main: other refuses it on a weekday, main takes it on Saturday for the other office's ID.
            await #expect(throws: ReservationRefusal.wrongOffice) {
                try await service.book(Self.request("card", office: "other", start: "2026-12-03T09:00", id: "ABCD1234", n: 90))
            }
            // A wrong date of birth is answered exactly as an unknown ID: the answer is no oracle of which IDs exist.
            await #expect(throws: ReservationRefusal.unknownID) {
                try await service.book(Self.request("card", office: "main", start: "2026-12-05T09:00", id: "EFGH5678", n: 91, birthDate: "1980-04-02"))
            }
            let saturday = try await service.book(Self.request("card", office: "main", start: "2026-12-05T09:00", id: "EFGH5678", n: 91, birthDate: "19800401"))
            #expect(saturday.reservationID == "EFGH5678")
            await #expect(throws: ReservationRefusal.unknownID) {
                try await service.book(Self.request("card", start: "2026-12-03T09:00", id: "ZZZZ9999", n: 92))
            }

            let first = result.booked[0]
            _ = try await service.cancel(code: first.code, reason: "")
            let again = try await service.book(Self.request("card", start: "2026-12-03T09:00", id: "ABCD1234", n: 93))
            // After its date has passed, the booking no longer holds the ID.
            t.clock.set(CityCalendar.date(ofBusinessDay: "2026-12-04")!.addingTimeInterval(9 * 3600))
            let later = try await service.book(Self.request("card", start: "2026-12-15T09:00", id: "ABCD1234", n: 94))
            #expect(try await store.reservation(code: again.code)?.status == .lapsed)
            #expect(try await store.activeReservation(reservationID: "ABCD1234")?.code == later.code)
        }
    }

    @Test(
        "changing moves the seat, cancelling frees it and is kept with its reason; five wrong passwords lock the booking",
        arguments: TestDatabaseKind.available)
    func changeAndCancel(kind: TestDatabaseKind) async throws {
        try await Self.with(kind) { t in
            let service = t.runtime.reservations
            let booked = try await service.book(Self.request(start: "2026-12-03T10:00", n: 1))
            #expect(try await service.authenticate(codeOrID: booked.code.lowercased(), password: "1234").code == booked.code)
            await #expect(throws: ReservationRefusal.wrongPassword) { try await service.authenticate(codeOrID: booked.code, password: "9999") }
            let moved = try await service.change(code: booked.code, to: "2026-12-04T10:00")
            #expect(moved.start.description == "2026-12-04T10:00")
            let store = service.store
            #expect(
                try await store.bookedCounts(procedureID: "consult", officeID: "main", from: "2026-12-03", through: "2026-12-04")
                    == ["2026-12-03T10:00": 0, "2026-12-04T10:00": 1])
            let cancelled = try await service.cancel(code: booked.code, reason: "都合が悪くなった", staff: "clerk")
            #expect(cancelled.status == .cancelled && cancelled.cancelReason == "都合が悪くなった" && cancelled.cancelledBy == "clerk")
            #expect(
                try await store.bookedCounts(procedureID: "consult", officeID: "main", from: "2026-12-04", through: "2026-12-04") == ["2026-12-04T10:00": 0])
            await #expect(throws: ReservationRefusal.notActive) { try await service.cancel(code: booked.code, reason: "") }
            #expect(try await store.search(ReservationQuery(statuses: [.cancelled])).map(\.code) == [booked.code])

            let other = try await service.book(Self.request(start: "2026-12-03T10:00", n: 2))
            for _ in 0..<4 {
                await #expect(throws: ReservationRefusal.wrongPassword) { try await service.authenticate(codeOrID: other.code, password: "0000") }
            }
            await #expect(throws: ReservationRefusal.wrongPassword) { try await service.authenticate(codeOrID: other.code, password: "0000") }
            await #expect(throws: ReservationRefusal.locked) { try await service.authenticate(codeOrID: other.code, password: "1234") }
            t.clock.advance(seconds: 31 * 60)
            #expect(try await service.authenticate(codeOrID: other.code, password: "1234").code == other.code)
        }
    }

    @Test(
        "contacts and dates of birth are stored sealed, the password only as a keyed digest, and contacts are erased after the set days",
        arguments: TestDatabaseKind.available)
    func privacy(kind: TestDatabaseKind) async throws {
        try await Self.with(kind) { t in
            let service = t.runtime.reservations
            _ = try await service.store.importIDs([ImportedReservationID(id: "EFGH5678", officeCode: "0001", birthDate: "1980-04-01")], at: t.clock.now())
            let booked = try await service.book(Self.request("card", start: "2026-12-03T09:00", id: "EFGH5678", n: 7, birthDate: "1980-04-01"))
            let stored = try await rows(t, "SELECT phone_enc, email_enc, password_digest FROM reservations")[0]
            for column in ["phone_enc", "email_enc", "password_digest"] {
                let value = try stored.decode(column: column, as: String.self)
                #expect(!value.contains("09000000007") && !value.contains("visitor7") && !value.contains("1234"))
            }
            let birth = try await rows(t, "SELECT birth_date_enc FROM reservation_ids")[0]
            #expect(try birth.decode(column: "birth_date_enc", as: String.self).contains("1980") == false)
            let outbox = try await rows(t, "SELECT recipient_enc, subject FROM outbox")
            #expect(outbox.count == 1)
            let recipient = try outbox[0].decode(column: "recipient_enc", as: String.self)
            #expect(!recipient.contains("visitor7"))

            // 30 days after the date (the procedure's purgeAfterDays), the contacts go; the booking stays for statistics.
            t.clock.set(CityCalendar.date(ofBusinessDay: "2027-01-02")!.addingTimeInterval(10 * 3600))
            try await service.expire()
            #expect(try await service.store.reservation(code: booked.code)?.email == "visitor7@example.jp")
            t.clock.set(CityCalendar.date(ofBusinessDay: "2027-01-03")!.addingTimeInterval(10 * 3600))
            try await service.expire()
            let erased = try #require(try await service.store.reservation(code: booked.code))
            #expect(erased.email == nil && erased.phone == nil && erased.contactErased && erased.status == .lapsed)
        }
    }

    @Test("the day-before reminder is queued once even when two instances run the job at the same time", arguments: TestDatabaseKind.available)
    func remindersOnce(kind: TestDatabaseKind) async throws {
        try await Self.with(kind) { t in
            let service = t.runtime.reservations
            for n in 0..<3 { _ = try await service.book(Self.request(start: "2026-12-03T10:00", n: n)) }
            _ = try await service.book(Self.request(start: "2026-12-04T10:00", n: 9))
            t.clock.set(CityCalendar.date(ofBusinessDay: "2026-12-02")!.addingTimeInterval(8 * 3600))
            #expect(try await service.queueReminders() == 0)  // before the reminder hour (9:00)
            t.clock.set(CityCalendar.date(ofBusinessDay: "2026-12-02")!.addingTimeInterval(10 * 3600))
            try await t.withSecondInstance { second in
                async let a = service.queueReminders()
                async let b = second.reservations.queueReminders()
                let total = try await a + b
                #expect(total == 3)
                #expect(try await second.reservations.queueReminders() == 0)
            }
            let reminders = try await rows(t, "SELECT subject FROM outbox WHERE kind = 'reservation_reminder'")
            #expect(reminders.count == 3)
            #expect(try reminders.allSatisfy { try $0.decode(column: "subject", as: String.self).contains("12月3日（木）") })
        }
    }

    @Test("check-in issues a priority ticket that is called before the visitors already waiting (R10)", arguments: TestDatabaseKind.available)
    func checkIn(kind: TestDatabaseKind) async throws {
        try await Self.with(kind) { t in
            let service = t.runtime.reservations
            // Staff book today's slot for a caller (the web window has closed for today), without a password.
            var request = Self.request(start: "2026-11-24T10:00", n: 5)
            request.password = ""
            request.email = ""
            let booked = try await service.book(request, staff: "clerk")
            #expect(!booked.hasPassword && booked.email == nil)
            await #expect(throws: ReservationRefusal.self) { try await service.book(Self.request(start: "2026-11-24T10:00", n: 6)) }
            let earlier = try await t.queue.issueTicket(officeID: "main", serviceID: "a")
            _ = try await t.queue.issueTicket(officeID: "main", serviceID: "a")
            let (checkedIn, ticket) = try await service.checkIn(code: booked.code)
            #expect(ticket.priority && ticket.serviceID == "a" && checkedIn.status == .checkedIn && checkedIn.ticketNumber == ticket.displayNumber)
            await #expect(throws: ReservationRefusal.notActive) { try await service.checkIn(code: booked.code) }
            try await t.queue.setCounterOpen(counterID: "c1", open: true)
            let called = try await t.queue.callNext(counterID: "c1")
            #expect(called?.id == ticket.id)
            #expect(called?.id != earlier.id)
            let counts = try await service.store.counts(from: "2026-11-01", through: "2026-11-30", byMonth: true, officeIDs: ["main"])
            #expect(counts == [ReservationCount(period: "2026-11", procedureID: "consult", officeID: "main", checkedIn: 1)])
        }
    }

    @Test(
        "a chosen time is held: holds count against capacity, a booking takes over its hold's seat, and holds run out",
        arguments: TestDatabaseKind.available)
    func holds(kind: TestDatabaseKind) async throws {
        try await Self.with(kind) { t in
            let service = t.runtime.reservations
            let store = service.store
            let seats = { try await store.bookedCounts(procedureID: "card", officeID: "main", from: "2026-12-03", through: "2026-12-03")["2026-12-03T09:00"] }
            var holds: [String] = []
            for _ in 0..<8 { holds.append(try await service.hold(procedureID: "card", officeID: "main", start: "2026-12-03T09:00").code) }
            #expect(try await seats() == 8)
            await #expect(throws: ReservationRefusal.slotFull) { try await service.hold(procedureID: "card", officeID: "main", start: "2026-12-03T09:00") }
            #expect(try await service.slotMarks(procedureID: "card", officeID: "main", date: "2026-12-03").first?.mark == .full)
            _ = try await store.importIDs(
                [ImportedReservationID(id: "ABCD1234", officeCode: "0001"), ImportedReservationID(id: "EFGH5678", officeCode: "0001")],
                at: t.clock.now())
            await #expect(throws: ReservationRefusal.slotFull) {
                try await service.book(Self.request("card", start: "2026-12-03T09:00", id: "EFGH5678", n: 2))
            }
            var request = Self.request("card", start: "2026-12-03T09:00", id: "ABCD1234", n: 1)
            request.holdCode = holds[0]
            let booked = try await service.book(request)
            #expect(try await seats() == 8)  // the hold's seat, not another
            #expect(try await store.search(ReservationQuery()).map(\.code) == [booked.code])  // holds are not bookings
            #expect(try await store.reservation(code: holds[1]) == nil)
            try await service.releaseHold(code: holds[1])
            #expect(try await seats() == 7)
            // Ten minutes later the other holds run out and their seats come back.
            t.clock.advance(seconds: 11 * 60)
            try await service.expire()
            #expect(try await seats() == 1)
            var late = Self.request("card", start: "2026-12-03T09:00", id: "EFGH5678", n: 2)
            late.holdCode = holds[2]  // ran out: a fresh seat is taken instead
            _ = try await service.book(late)
            #expect(try await seats() == 2)
        }
    }

    @Test("e-mails are written in the language the visitor booked in, with the procedure's own texts for Japanese")
    func mailLanguage() async throws {
        try await Self.with(.sqlite) { t in
            var english = Self.request(start: "2026-12-03T10:00", n: 1)
            english.language = .en
            _ = try await t.runtime.reservations.book(english)
            var korean = Self.request(start: "2026-12-03T10:00", n: 2)
            korean.language = .ko
            _ = try await t.runtime.reservations.book(korean)
            _ = try await t.runtime.reservations.book(Self.request(start: "2026-12-03T10:00", n: 3))
            let subjects = try await rows(t, "SELECT subject, body FROM outbox ORDER BY id").map { try $0.decode(column: "subject", as: String.self) }
            // The test procedure has no translated name, so its Japanese name stands in.
            #expect(subjects == ["Booking confirmed: 相談, Thu 3 Dec 10:00", "【예약 완료】相談 12월 3일 (목) 10:00", "【予約完了】相談 12月3日（木） 10:00"])
        }
    }

    @Test("deleting the data of listed IDs removes their bookings and frees their seats", arguments: TestDatabaseKind.available)
    func deleteByID(kind: TestDatabaseKind) async throws {
        try await Self.with(kind) { t in
            let service = t.runtime.reservations
            _ = try await service.store.importIDs(
                [
                    ImportedReservationID(id: "ABCD1234", officeCode: "0001"),
                    ImportedReservationID(id: "KEEP0001", officeCode: "0001")
                ], at: t.clock.now())
            _ = try await service.book(Self.request("card", start: "2026-12-03T09:00", id: "ABCD1234", n: 1))
            let kept = try await service.book(Self.request("card", start: "2026-12-03T09:00", id: "KEEP0001", n: 2))
            #expect(try await service.store.deleteData(ofIDs: ["ABCD1234", "NONE0000"], at: t.clock.now()) == 1)
            #expect(try await service.store.importedID("ABCD1234") == nil)
            #expect(try await service.store.search(ReservationQuery()).map(\.code) == [kept.code])
            #expect(
                try await service.store.bookedCounts(procedureID: "card", officeID: "main", from: "2026-12-03", through: "2026-12-03")
                    == ["2026-12-03T09:00": 1])
        }
    }
}
