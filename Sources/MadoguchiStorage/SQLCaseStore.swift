import Foundation
import MadoguchiCore
import SQLKit

/// The no-writing counter's document store on SQLite or PostgreSQL. The case itself, workflow notes, attachment
/// names and files, and stored PDFs are sealed with the data key; searches narrow by the readable metadata and then
/// open the candidates (text, kana and birth date cannot be searched in the database without storing them readable).
public struct SQLCaseStore: CaseStore {
    let database: Database
    let cipher: ContactCipher
    /// How many of the newest matching cases a text search opens at most.
    public var scanLimit = 20_000

    public init(database: Database, cipher: ContactCipher) {
        self.database = database
        self.cipher = cipher
    }

    func seal(_ c: ResidentCase) throws -> String {
        try cipher.seal(String(decoding: try JSONEncoder().encode(c), as: UTF8.self))
    }

    public func create(_ record: CaseRecord) async throws {
        let payload = try seal(record.residentCase), search = try cipher.seal(CaseRecord.searchText(of: record.residentCase))
        let notes = try record.history.map { ($0, try cipher.seal($0.note)) }
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO resident_cases (id, office_id, procedure, status, created_at, updated_at, completed_at, created_by, payload_enc, search_enc)
                VALUES (\(bind: record.id), \(bind: record.officeID), \(bind: record.residentCase.procedure.rawValue), \(bind: record.status.rawValue),
                        \(bind: Timestamp.micros(record.createdAt)), \(bind: Timestamp.micros(record.updatedAt)),
                        \(bind: record.completedAt.map(Timestamp.micros)), \(bind: record.createdBy), \(bind: payload), \(bind: search))
                """
            ).run()
            for (entry, note) in notes {
                try await db.raw(
                    """
                    INSERT INTO resident_case_history (case_id, at, actor, status, note_enc)
                    VALUES (\(bind: record.id), \(bind: Timestamp.micros(entry.at)), \(bind: entry.actor), \(bind: entry.status.rawValue), \(bind: note))
                    """
                ).run()
            }
        }
    }

    public func update(id: String, residentCase: ResidentCase, at: Date) async throws {
        let payload = try seal(residentCase), search = try cipher.seal(CaseRecord.searchText(of: residentCase))
        try await database.transaction { db in
            guard let row = try await db.raw("SELECT status FROM resident_cases WHERE id = \(bind: id) AND purged_at IS NULL").first() else {
                throw CaseError.notFound
            }
            guard CaseStatus(rawValue: try row.decode(column: "status", as: String.self))?.isEditable == true else { throw CaseError.notEditable }
            try await db.raw(
                """
                UPDATE resident_cases SET payload_enc = \(bind: payload), search_enc = \(bind: search), procedure = \(bind: residentCase.procedure.rawValue),
                  updated_at = \(bind: Timestamp.micros(at)) WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    public func setStatus(id: String, entry: CaseHistoryEntry, documents: [CaseDocument]) async throws {
        let note = try cipher.seal(entry.note)
        let sealedDocuments = try documents.map { ($0, try cipher.seal(data: $0.pdf)) }
        try await database.transaction { db in
            // The status condition makes two clerks completing the same case at once finish it only once.
            let changed = try await db.raw(
                """
                UPDATE resident_cases SET status = \(bind: entry.status.rawValue), updated_at = \(bind: Timestamp.micros(entry.at)),
                  completed_at = \(bind: entry.status == .completed ? Timestamp.micros(entry.at) : nil)
                WHERE id = \(bind: id) AND status <> 'completed' AND purged_at IS NULL RETURNING id
                """
            ).all()
            guard !changed.isEmpty else { throw CaseError.notEditable }
            try await db.raw(
                """
                INSERT INTO resident_case_history (case_id, at, actor, status, note_enc)
                VALUES (\(bind: id), \(bind: Timestamp.micros(entry.at)), \(bind: entry.actor), \(bind: entry.status.rawValue), \(bind: note))
                """
            ).run()
            for (document, pdf) in sealedDocuments {
                try await db.raw(
                    """
                    INSERT INTO resident_case_documents (case_id, form, variant, pdf_enc)
                    VALUES (\(bind: id), \(bind: document.form), \(bind: document.variant), \(bind: pdf))
                    """
                ).run()
            }
        }
    }

    func decodeRecord(_ row: any SQLRow) throws -> CaseRecord? {
        guard let payload = try row.decode(column: "payload_enc", as: String?.self) else { return nil }
        let residentCase = try JSONDecoder().decode(ResidentCase.self, from: Data(try cipher.open(payload).utf8))
        return CaseRecord(
            id: try row.decode(column: "id", as: String.self), officeID: try row.decode(column: "office_id", as: String.self),
            status: CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .received,
            createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: Int64.self)),
            completedAt: try row.decode(column: "completed_at", as: Int64?.self).map(Timestamp.date),
            createdBy: try row.decode(column: "created_by", as: String.self), residentCase: residentCase)
    }

    public func record(id: String) async throws -> CaseRecord? {
        try await database.withConnection { db in
            guard let row = try await db.raw("SELECT * FROM resident_cases WHERE id = \(bind: id) AND purged_at IS NULL").first(),
                var record = try decodeRecord(row)
            else { return nil }
            record.history = try await db.raw("SELECT * FROM resident_case_history WHERE case_id = \(bind: id) ORDER BY id").all().map { row in
                CaseHistoryEntry(
                    at: Timestamp.date(try row.decode(column: "at", as: Int64.self)), actor: try row.decode(column: "actor", as: String.self),
                    status: CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .received,
                    note: try cipher.open(try row.decode(column: "note_enc", as: String.self)))
            }
            record.attachments = try await db.raw(
                """
                SELECT id, file_name_enc, content_type, bytes, at, actor FROM resident_case_attachments WHERE case_id = \(bind: id) ORDER BY at, id
                """
            ).all().map { row in
                CaseAttachment(
                    id: try row.decode(column: "id", as: String.self), fileName: try cipher.open(try row.decode(column: "file_name_enc", as: String.self)),
                    contentType: try row.decode(column: "content_type", as: String.self), bytes: try row.decode(column: "bytes", as: Int.self),
                    at: Timestamp.date(try row.decode(column: "at", as: Int64.self)), actor: try row.decode(column: "actor", as: String.self))
            }
            return record
        }
    }

    /// Newest first; history and attachments are read with `record(id:)`.
    public func search(_ query: CaseQuery) async throws -> [CaseRecord] {
        guard !query.officeIDs.isEmpty else { return [] }
        let column = query.datesOfCompletion ? "completed_at" : "created_at"
        var conditions: [SQLQueryString] = ["office_id IN (\(binds: query.officeIDs))", "purged_at IS NULL"]
        if let start = CityCalendar.date(ofBusinessDay: query.from) { conditions.append("\(ident: column) >= \(bind: Timestamp.micros(start))") }
        if let end = CityCalendar.date(ofBusinessDay: query.through) {
            conditions.append("\(ident: column) < \(bind: Timestamp.micros(end.addingTimeInterval(86_400)))")
        }
        if let procedure = query.procedure { conditions.append("procedure = \(bind: procedure.rawValue)") }
        if let status = query.status { conditions.append("status = \(bind: status.rawValue)") }
        let condition = conditions.joined(separator: " AND ")
        guard query.searchesSealedText else {
            return try await database.withReadConnection { db in
                try await db.raw("SELECT * FROM resident_cases WHERE \(condition) ORDER BY \(ident: column) DESC, id LIMIT \(literal: max(1, query.limit))")
                    .all()
            }.compactMap(decodeRecord)
        }
        // Open only the short sealed search text of the newest candidates, then the matching cases themselves.
        let candidates = try await database.withReadConnection { db in
            try await db.raw("SELECT id, search_enc FROM resident_cases WHERE \(condition) ORDER BY \(ident: column) DESC, id LIMIT \(literal: scanLimit)")
                .all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "search_enc", as: String?.self)) }
        }
        var matched: [String] = []
        for (id, sealed) in candidates {
            guard let sealed, query.matches(searchText: try cipher.open(sealed)) else { continue }
            matched.append(id)
            if matched.count >= query.limit { break }
        }
        guard !matched.isEmpty else { return [] }
        let order = Dictionary(uniqueKeysWithValues: matched.enumerated().map { ($1, $0) })
        return try await database.withReadConnection { db in
            try await db.raw("SELECT * FROM resident_cases WHERE id IN (\(binds: matched))").all()
        }.compactMap(decodeRecord).sorted { order[$0.id, default: 0] < order[$1.id, default: 0] }
    }

    public func addAttachment(caseID: String, attachment: CaseAttachment, data: Data) async throws {
        let name = try cipher.seal(attachment.fileName), sealed = try cipher.seal(data: data)
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO resident_case_attachments (id, case_id, file_name_enc, content_type, bytes, at, actor, data_enc)
                VALUES (\(bind: attachment.id), \(bind: caseID), \(bind: name), \(bind: attachment.contentType), \(bind: attachment.bytes),
                        \(bind: Timestamp.micros(attachment.at)), \(bind: attachment.actor), \(bind: sealed))
                """
            ).run()
            try await db.raw("UPDATE resident_cases SET updated_at = \(bind: Timestamp.micros(attachment.at)) WHERE id = \(bind: caseID)").run()
        }
    }

    public func attachmentData(caseID: String, attachmentID: String) async throws -> Data? {
        let sealed = try await database.withConnection { db in
            try await db.raw("SELECT data_enc FROM resident_case_attachments WHERE case_id = \(bind: caseID) AND id = \(bind: attachmentID)").first()?
                .decode(column: "data_enc", as: String.self)
        }
        return try sealed.map(cipher.openData)
    }

    public func document(caseID: String, form: String, variant: String) async throws -> Data? {
        let sealed = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT pdf_enc FROM resident_case_documents WHERE case_id = \(bind: caseID) AND form = \(bind: form) AND variant = \(bind: variant)
                """
            ).first()?.decode(column: "pdf_enc", as: String.self)
        }
        return try sealed.map(cipher.openData)
    }

    public func documentForms(caseID: String) async throws -> [String] {
        try await database.withConnection { db in
            try await db.raw("SELECT DISTINCT form FROM resident_case_documents WHERE case_id = \(bind: caseID) ORDER BY form").all()
                .map { try $0.decode(column: "form", as: String.self) }
        }
    }

    public func facts(from: Date, to: Date, officeIDs: [String]) async throws -> [CaseFact] {
        guard !officeIDs.isEmpty else { return [] }
        return try await database.withReadConnection { db in
            try await db.raw(
                """
                SELECT office_id, procedure, created_at, completed_at FROM resident_cases
                WHERE office_id IN (\(binds: officeIDs)) AND created_at >= \(bind: Timestamp.micros(from)) AND created_at < \(bind: Timestamp.micros(to))
                ORDER BY created_at
                """
            ).all().compactMap { row in
                guard let procedure = MovingProcedure(rawValue: try row.decode(column: "procedure", as: String.self)) else { return nil }
                return CaseFact(
                    officeID: try row.decode(column: "office_id", as: String.self), procedure: procedure,
                    createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)),
                    completedAt: try row.decode(column: "completed_at", as: Int64?.self).map(Timestamp.date))
            }
        }
    }

    public func phrases(officeID: String) async throws -> [String] {
        try await database.withConnection { db in
            try await db.raw("SELECT text FROM office_case_phrases WHERE office_id = \(bind: officeID) ORDER BY position").all()
                .map { try $0.decode(column: "text", as: String.self) }
        }
    }

    public func setPhrases(_ phrases: [String], officeID: String) async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM office_case_phrases WHERE office_id = \(bind: officeID)").run()
            for (position, text) in phrases.enumerated() {
                try await db.raw(
                    """
                    INSERT INTO office_case_phrases (office_id, position, text) VALUES (\(bind: officeID), \(bind: position), \(bind: text))
                    """
                ).run()
            }
        }
    }

    /// Keeps the metadata row (office, procedure, times) for the reports; everything personal goes.
    public func purge(changedBefore cutoff: Date) async throws -> Int {
        try await database.transaction { db in
            let ids = try await db.raw(
                """
                SELECT id FROM resident_cases WHERE purged_at IS NULL AND updated_at < \(bind: Timestamp.micros(cutoff))
                """
            ).all().map { try $0.decode(column: "id", as: String.self) }
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                try await db.raw("DELETE FROM resident_case_documents WHERE case_id IN (\(binds: chunk))").run()
                try await db.raw("DELETE FROM resident_case_attachments WHERE case_id IN (\(binds: chunk))").run()
                try await db.raw("DELETE FROM resident_case_history WHERE case_id IN (\(binds: chunk))").run()
                try await db.raw(
                    """
                    UPDATE resident_cases SET payload_enc = NULL, search_enc = NULL, purged_at = \(bind: Timestamp.micros(Date())) WHERE id IN (\(binds: chunk))
                    """
                ).run()
            }
            return ids.count
        }
    }
}
