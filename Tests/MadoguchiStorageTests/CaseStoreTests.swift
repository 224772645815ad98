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
            let opened = try await cases.open(officeID: "main", procedure: .moveIn, user: Self.clerk)
            try await cases.save(id: opened.id, residentCase: Self.filled(opened.residentCase), user: Self.clerk)
            _ = try await cases.attach(caseID: opened.id, fileName: "髙橋_転出証明書.pdf", data: Data("%PDF-1.4 髙橋 123456789018".utf8), user: Self.clerk)
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
            let read = try await cases.view(id: opened.id, user: Self.clerk)
            #expect(read.residentCase.persons[0].identity.myNumber == "123456789018")
            #expect(read.attachments.map(\.fileName) == ["髙橋_転出証明書.pdf"])
            #expect(
                try await cases.attachment(caseID: opened.id, attachmentID: read.attachments[0].id, user: Self.clerk).1 == Data("%PDF-1.4 髙橋 123456789018".utf8)
            )
        }
    }

    @Test("search by kana, name, birth date, date, procedure, status and memo, limited to the user's offices", arguments: TestDatabaseKind.available)
    func search(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let cases = t.runtime.cases
            let first = try await cases.open(officeID: "main", procedure: .moveIn, user: Self.clerk)
            try await cases.save(id: first.id, residentCase: Self.filled(first.residentCase), user: Self.clerk)
            t.clock.advance(seconds: 86_400)
            let second = try await cases.open(officeID: "main", procedure: .moveWithin, user: Self.clerk)
            try await cases.save(
                id: second.id, residentCase: Self.filled(second.residentCase, family: "鈴木", kana: "すずき", birth: "1970-01-02"), user: Self.clerk)
            let branch = try await cases.open(officeID: "other", procedure: .moveIn, user: Self.elsewhere)
            try await cases.save(id: branch.id, residentCase: Self.filled(branch.residentCase), user: Self.elsewhere)

            func ids(_ query: CaseQuery, as user: StaffUser = Self.clerk) async throws -> [String] { try await cases.search(query, user: user).map(\.id) }
            #expect(try await ids(CaseQuery(officeIDs: [], text: "タカハシ")) == [first.id])
            #expect(try await ids(CaseQuery(officeIDs: [], text: "鈴木")) == [second.id])
            #expect(try await ids(CaseQuery(officeIDs: [], text: "原本")) == [second.id, first.id])  // memo, newest first
            #expect(try await ids(CaseQuery(officeIDs: [], birthDate: "1970-01-02")) == [second.id])
            #expect(try await ids(CaseQuery(officeIDs: [], from: "2026-11-25", through: "2026-11-25")) == [second.id])
            #expect(try await ids(CaseQuery(officeIDs: [], procedure: .moveIn)) == [first.id])
            #expect(try await ids(CaseQuery(officeIDs: ["other"], text: "たかはし")) == [])  // not the clerk's office
            #expect(try await ids(CaseQuery(officeIDs: [], text: "たかはし"), as: Self.elsewhere) == [branch.id])
            #expect(try await ids(CaseQuery(officeIDs: [], text: "たかはし"), as: Self.admin).sorted() == [first.id, branch.id].sorted())
            _ = try await cases.changeStatus(id: first.id, to: .onHold, note: "転出証明書を待つ", user: Self.clerk)
            #expect(try await ids(CaseQuery(officeIDs: [], status: .onHold)) == [first.id])
            await #expect(throws: AccessError.forbidden) { try await cases.view(id: branch.id, user: Self.clerk) }
        }
    }

    @Test(
        "completion needs a case without errors, stores the original and the masked PDF, and happens once under concurrency",
        arguments: TestDatabaseKind.available)
    func completion(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let cases = t.runtime.cases
            let opened = try await cases.open(officeID: "main", procedure: .moveIn, user: Self.clerk)
            await #expect { try await cases.changeStatus(id: opened.id, to: .completed, note: "", user: Self.clerk) } throws: { error in
                guard case CaseError.invalid(let faults) = error else { return false }
                return faults.contains { $0.field == "persons[0].identity.familyName" }
            }
            try await cases.save(id: opened.id, residentCase: Self.filled(opened.residentCase), user: Self.clerk)
            let attempts = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        do { _ = try await cases.changeStatus(id: opened.id, to: .completed, note: "", user: Self.clerk); return true } catch CaseError
                            .notEditable
                        { return false }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(attempts.filter { $0 }.count == 1)
            let done = try await cases.view(id: opened.id, user: Self.clerk)
            #expect(done.status == .completed && done.completedAt != nil)
            #expect(done.history.map(\.status) == [.received, .completed])
            #expect(try await cases.store.documentForms(caseID: opened.id) == ["jumin-ido"])
            let original = try #require(try await cases.store.document(caseID: opened.id, form: "jumin-ido", variant: "original"))
            let masked = try #require(try await cases.store.document(caseID: opened.id, form: "jumin-ido", variant: "masked:admin"))
            #expect(original.starts(with: Data("%PDF-".utf8)) && masked.starts(with: Data("%PDF-".utf8)) && original != masked)
            #expect(try await cases.print(id: opened.id, forms: ["jumin-ido"], user: Self.admin) == masked)
            #expect(try await cases.print(id: opened.id, forms: ["jumin-ido"], user: Self.clerk) == original)
            await #expect(throws: CaseError.notEditable) { try await cases.save(id: opened.id, residentCase: opened.residentCase, user: Self.clerk) }
            await #expect(throws: AccessError.forbidden) { try await cases.save(id: opened.id, residentCase: opened.residentCase, user: Self.admin) }
        }
    }

    @Test("the purge erases personal data, files and PDFs of cases past retention; the counts for reports remain", arguments: TestDatabaseKind.available)
    func purge(kind: TestDatabaseKind) async throws {
        try await TestRuntime.with(kind) { t in
            let cases = t.runtime.cases
            let old = try await cases.open(officeID: "main", procedure: .moveIn, user: Self.clerk)
            try await cases.save(id: old.id, residentCase: Self.filled(old.residentCase), user: Self.clerk)
            _ = try await cases.attach(caseID: old.id, fileName: "a.png", data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1]), user: Self.clerk)
            t.clock.advance(seconds: 600)
            _ = try await cases.changeStatus(id: old.id, to: .completed, note: "", user: Self.clerk)
            t.clock.advance(seconds: 40 * 86_400)
            let recent = try await cases.open(officeID: "main", procedure: .moveOut, user: Self.clerk)

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
                user: StaffUser(id: "m", login: "m", role: .officeManager, officeIDs: ["main"], passwordHash: ""))
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
