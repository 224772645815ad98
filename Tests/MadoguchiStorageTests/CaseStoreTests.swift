import Foundation
import MadoguchiCore
import MadoguchiStorage
import MadoguchiTestSupport
import SQLKit
import Testing

/// The no-writing counter's document store on SQLite and PostgreSQL (K5): sealed at rest, found again, worked
/// through its states, kept as PDF with masked copies, purged when its time is up.
@Suite("Resident cases on the database (K5)", .serialized)
struct CaseStoreTests {
    static let clerk = StaffUser(id: "u1", login: "clerk", role: .staff, officeIDs: ["main"], passwordHash: "")
    static let elsewhere = StaffUser(id: "u2", login: "branch", role: .staff, officeIDs: ["other"], passwordHash: "")
    static let admin = StaffUser(id: "u3", login: "root", role: .admin, officeIDs: [], passwordHash: "")

    static func filled(_ base: ResidentCase, family: String = "髙橋", kana: String = "たかはし", birth: String = "1985-04-12") -> ResidentCase {
        var c = base
        c.movingDate = "2026-11-21"
        c.previousAddress = "埼玉県さいたま市浦和区高砂三丁目1番1号"
        c.newAddress = "東京都練馬区豊玉北六丁目12番1号"
        c.householder = "\(family)　一郎"
        c.memo = "転出証明書は原本確認"
        c.persons = [
            CasePerson(
                identity: IdentityData(
                    familyName: family, givenName: "一郎", familyNameKana: kana, givenNameKana: "いちろう", birthDate: birth, sex: .male,
                    myNumber: "123456789018"),
                relationship: "世帯主", japanese: JapaneseRegistry(honseki: "東京都練馬区豊玉北六丁目12番", headOfRegistry: "\(family)　一郎"))
        ]
        return c
    }

    @Test("a case is sealed at rest: neither name, number nor memo is readable in the database", arguments: TestDatabaseKind.available)
    func sealedAtRest(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let cases = t.runtime.cases
            let opened = try await cases.open(officeID: "main", procedure: .moveIn, by: .staff(Self.clerk, address: "test"))
            try await cases.save(id: opened.id, residentCase: Self.filled(opened.residentCase), by: .staff(Self.clerk, address: "test"))
            _ = try await cases.attach(
                caseID: opened.id, fileName: "髙橋_転出証明書.pdf", data: Data("%PDF-1.4 髙橋 123456789018".utf8), by: .staff(Self.clerk, address: "test"))
            let rows = try await t.runtime.database.withConnection { db in
                try await db.raw(
                    "SELECT payload_enc FROM resident_cases UNION ALL SELECT search_enc FROM resident_cases UNION ALL SELECT file_name_enc FROM resident_case_attachments UNION ALL SELECT data_enc FROM resident_case_attachments"
                ).all()
                    .map { try $0.decode(column: "payload_enc", as: String.self) }
            }
            #expect(rows.count == 4)
            for stored in rows {
                for secret in ["髙橋", "123456789018", "転出証明書", "たかはし"] { #expect(!stored.contains(secret)) }
                #expect(stored.hasPrefix("test:"))
            }
            let read = try await cases.view(id: opened.id, by: .staff(Self.clerk, address: "test"))
            #expect(read.residentCase.persons[0].identity.myNumber == "123456789018")
            #expect(read.attachments.map(\.fileName) == ["髙橋_転出証明書.pdf"])
            #expect(
                try await cases.attachment(caseID: opened.id, attachmentID: read.attachments[0].id, by: .staff(Self.clerk, address: "test")).1
                    == Data("%PDF-1.4 髙橋 123456789018".utf8)
            )
        }
    }

    @Test(
        "every read and change of a case is audited by its use case, the command line's export too; a refused read writes nothing",
        arguments: TestDatabaseKind.available)
    func auditedByTheUseCase(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            // Given a case the clerk filled in and completed at the counter
            let cases = t.runtime.cases
            let clerk = Operator.staff(Self.clerk, address: "192.0.2.7")
            let opened = try await cases.open(officeID: "main", procedure: .moveIn, by: clerk)
            try await cases.save(id: opened.id, residentCase: Self.filled(opened.residentCase), by: clerk)
            _ = try await cases.changeStatus(id: opened.id, to: .completed, note: "", by: clerk)
            // When it is read, printed, searched, and exported from the command line, and another office's clerk
            // tries to read it
            _ = try await cases.view(id: opened.id, by: clerk)
            _ = try await cases.print(id: opened.id, forms: ["jumin-ido"], by: clerk)
            _ = try await cases.search(CaseQuery(officeIDs: ["main"]), by: clerk)
            let exported = try await cases.export(
                from: "2026-01-01", through: "2027-12-31", officeIDs: [], shiftJIS: true, format: "csv", by: .commandLine)
            await #expect(throws: AccessError.forbidden) { try await cases.view(id: opened.id, by: .staff(Self.elsewhere, address: "192.0.2.9")) }
            // Then each step is in the log with who did it and from where, and the refused read is not
            let entries = try await t.runtime.audit.entries(AuditQuery()).filter { $0.action.hasPrefix("case.") }.sorted { $0.sequence! < $1.sequence! }
            #expect(
                entries.map(\.action) == ["case.created", "case.saved", "case.completed", "case.viewed", "case.printed", "case.searched", "case.exported"])
            #expect(entries.dropLast().allSatisfy { $0.actor == "clerk" && $0.address == "192.0.2.7" })
            #expect(entries.last?.actor == "cli" && entries.last?.address == "local")
            #expect(entries.last?.detail.contains("\(exported.rows.count)行") == true && exported.rows.count == 1)
            #expect(!entries.contains { $0.actor == "branch" })
        }
    }

    @Test("search by kana, name, birth date, date, procedure, status and memo, limited to the user's offices", arguments: TestDatabaseKind.available)
    func search(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let cases = t.runtime.cases
            let first = try await cases.open(officeID: "main", procedure: .moveIn, by: .staff(Self.clerk, address: "test"))
            try await cases.save(id: first.id, residentCase: Self.filled(first.residentCase), by: .staff(Self.clerk, address: "test"))
            t.clock.advance(seconds: 86_400)
            let second = try await cases.open(officeID: "main", procedure: .moveWithin, by: .staff(Self.clerk, address: "test"))
            try await cases.save(
                id: second.id, residentCase: Self.filled(second.residentCase, family: "鈴木", kana: "すずき", birth: "1970-01-02"),
                by: .staff(Self.clerk, address: "test"))
            let branch = try await cases.open(officeID: "other", procedure: .moveIn, by: .staff(Self.elsewhere, address: "test"))
            try await cases.save(id: branch.id, residentCase: Self.filled(branch.residentCase), by: .staff(Self.elsewhere, address: "test"))

            func ids(_ query: CaseQuery, as user: StaffUser = Self.clerk) async throws -> [String] {
                try await cases.search(query, by: .staff(user, address: "test")).map(\.id)
            }
            #expect(try await ids(CaseQuery(officeIDs: [], text: "タカハシ")) == [first.id])
            #expect(try await ids(CaseQuery(officeIDs: [], text: "鈴木")) == [second.id])
            #expect(try await ids(CaseQuery(officeIDs: [], text: "原本")) == [second.id, first.id])  // memo, newest first
            #expect(try await ids(CaseQuery(officeIDs: [], birthDate: "1970-01-02")) == [second.id])
            #expect(try await ids(CaseQuery(officeIDs: [], from: "2026-11-25", through: "2026-11-25")) == [second.id])
            #expect(try await ids(CaseQuery(officeIDs: [], procedure: .moveIn)) == [first.id])
            #expect(try await ids(CaseQuery(officeIDs: ["other"], text: "たかはし")) == [])  // not the clerk's office
            #expect(try await ids(CaseQuery(officeIDs: [], text: "たかはし"), as: Self.elsewhere) == [branch.id])
            #expect(try await ids(CaseQuery(officeIDs: [], text: "たかはし"), as: Self.admin).sorted() == [first.id, branch.id].sorted())
            _ = try await cases.changeStatus(id: first.id, to: .onHold, note: "転出証明書を待つ", by: .staff(Self.clerk, address: "test"))
            #expect(try await ids(CaseQuery(officeIDs: [], status: .onHold)) == [first.id])
            await #expect(throws: AccessError.forbidden) { try await cases.view(id: branch.id, by: .staff(Self.clerk, address: "test")) }
        }
    }

    @Test(
        "completion needs a case without errors, stores the original and the masked PDF, and happens once under concurrency",
        arguments: TestDatabaseKind.available)
    func completion(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let cases = t.runtime.cases
            let opened = try await cases.open(officeID: "main", procedure: .moveIn, by: .staff(Self.clerk, address: "test"))
            await #expect { try await cases.changeStatus(id: opened.id, to: .completed, note: "", by: .staff(Self.clerk, address: "test")) } throws: { error in
                guard case CaseError.invalid(let faults) = error else { return false }
                return faults.contains { $0.field == "persons[0].identity.familyName" }
            }
            try await cases.save(id: opened.id, residentCase: Self.filled(opened.residentCase), by: .staff(Self.clerk, address: "test"))
            let attempts = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        do {
                            _ = try await cases.changeStatus(id: opened.id, to: .completed, note: "", by: .staff(Self.clerk, address: "test")); return true
                        } catch CaseError
                            .notEditable
                        { return false }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(attempts.filter { $0 }.count == 1)
            let done = try await cases.view(id: opened.id, by: .staff(Self.clerk, address: "test"))
            #expect(done.status == .completed && done.completedAt != nil)
            #expect(done.history.map(\.status) == [.received, .completed])
            #expect(try await cases.store.documentForms(caseID: opened.id) == ["jumin-ido"])
            let original = try #require(try await cases.store.document(caseID: opened.id, form: "jumin-ido", variant: "original"))
            let masked = try #require(try await cases.store.document(caseID: opened.id, form: "jumin-ido", variant: "masked:admin"))
            #expect(original.starts(with: Data("%PDF-".utf8)) && masked.starts(with: Data("%PDF-".utf8)) && original != masked)
            #expect(try await cases.print(id: opened.id, forms: ["jumin-ido"], by: .staff(Self.admin, address: "test")) == masked)
            #expect(try await cases.print(id: opened.id, forms: ["jumin-ido"], by: .staff(Self.clerk, address: "test")) == original)
            await #expect(throws: CaseError.notEditable) {
                try await cases.save(id: opened.id, residentCase: opened.residentCase, by: .staff(Self.clerk, address: "test"))
            }
            await #expect(throws: AccessError.forbidden) {
                try await cases.save(id: opened.id, residentCase: opened.residentCase, by: .staff(Self.admin, address: "test"))
            }
        }
    }

    @Test("the purge erases personal data, files and PDFs of cases past retention; the counts for reports remain", arguments: TestDatabaseKind.available)
    func purge(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let cases = t.runtime.cases
            let old = try await cases.open(officeID: "main", procedure: .moveIn, by: .staff(Self.clerk, address: "test"))
            try await cases.save(id: old.id, residentCase: Self.filled(old.residentCase), by: .staff(Self.clerk, address: "test"))
            _ = try await cases.attach(
                caseID: old.id, fileName: "a.png", data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1]), by: .staff(Self.clerk, address: "test"))
            t.clock.advance(seconds: 600)
            _ = try await cases.changeStatus(id: old.id, to: .completed, note: "", by: .staff(Self.clerk, address: "test"))
            t.clock.advance(seconds: 40 * 86_400)
            let recent = try await cases.open(officeID: "main", procedure: .moveOut, by: .staff(Self.clerk, address: "test"))

            let purged = try await cases.store.purge(changedBefore: t.clock.now().addingTimeInterval(-30 * 86_400))
            #expect(purged == 1)
            #expect(try await cases.store.record(id: old.id) == nil)
            #expect(try await cases.store.record(id: recent.id) != nil)
            #expect(try await cases.store.document(caseID: old.id, form: "jumin-ido", variant: "original") == nil)
            let left = try await t.runtime.database.withConnection { db in
                try await db.raw(
                    "SELECT (SELECT COUNT(*) FROM resident_case_attachments) + (SELECT COUNT(*) FROM resident_case_history WHERE case_id = \(bind: old.id)) AS n"
                ).first()!
                .decode(column: "n", as: Int.self)
            }
            #expect(left == 0)
            let report = try await cases.report(
                from: "2026-11-01", through: "2027-01-31", by: .procedure, officeIDs: [],
                for: .staff(StaffUser(id: "m", login: "m", role: .officeManager, officeIDs: ["main"], passwordHash: ""), address: "test"))
            #expect(report.map(\.key) == ["move_in", "move_out"])
            #expect(report[0].completed == 1 && report[0].averageReceptionSeconds == 600)
            #expect(try await cases.store.purge(changedBefore: t.clock.now().addingTimeInterval(-30 * 86_400)) == 0)
        }
    }

    @Test("remark phrases are an office's own, replaced whole and kept in order", arguments: TestDatabaseKind.available)
    func phrases(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let store = t.runtime.cases.store
            try await store.setPhrases(["転出証明書を確認済み。", "代理人による届出。"], officeID: "main")
            try await store.setPhrases(["other office"], officeID: "other")
            try await store.setPhrases(["b", "a", "c"], officeID: "main")
            #expect(try await store.phrases(officeID: "main") == ["b", "a", "c"])
            #expect(try await store.phrases(officeID: "other") == ["other office"])
        }
    }
}
