import Foundation

/// The no-writing counter's use cases (K3–K7): open and save a case, move it through the workflow, print its forms,
/// find it again, hand completed cases to the core system and count them. Every read is masked for the reader's
/// role; a role that sees anything masked may not change a case. Every read and change of a case is audited here,
/// whichever entry point (page, API, command line) asks.
public struct ResidentCaseService: Sendable {
    public let store: any CaseStore
    public let forms: FormCatalogue
    public let renderer: any FormRenderer
    public let masking: CaseMaskingPolicy
    public let layout: LayoutSource
    public let clock: any WallClock
    let audit: AuditTrail
    public var substitution = JISX0208Substitution()

    public init(
        store: any CaseStore, forms: FormCatalogue, renderer: any FormRenderer, masking: CaseMaskingPolicy = .standard,
        layout: LayoutSource, audit: any AuditLog, clock: any WallClock
    ) {
        self.audit = AuditTrail(log: audit, clock: clock)
        self.store = store
        self.forms = forms
        self.renderer = renderer
        self.masking = masking
        self.layout = layout
        self.clock = clock
    }

    var today: String { CityCalendar.businessDate(of: clock.now()) }

    public func mayEdit(_ user: StaffUser, officeID: String) -> Bool {
        mayEdit(.staff(user, address: ""), officeID: officeID)
    }

    func mayEdit(_ actor: Operator, officeID: String) -> Bool {
        actor.may(.handleResidentCases, at: officeID) && masked(for: actor).isEmpty
    }

    /// The items hidden from the operator's role (none from the command line).
    public func masked(for actor: Operator) -> Set<MaskableItem> { actor.role.map { masking.masked(for: $0) } ?? [] }

    func shown(_ record: CaseRecord, to actor: Operator) -> CaseRecord {
        var copy = record
        if let role = actor.role { copy.residentCase = masking.apply(record.residentCase, for: role) }
        return copy
    }

    func check(_ actor: Operator, _ permission: Permission, officeID: String) throws {
        guard actor.may(permission, at: officeID) else { throw AccessError.forbidden }
    }

    /// The stored case, after the operator's permission for it was checked.
    func stored(_ id: String, by actor: Operator, needs permission: Permission) async throws -> CaseRecord {
        guard let record = try await store.record(id: id) else { throw CaseError.notFound }
        try check(actor, permission, officeID: record.officeID)
        return record
    }

    /// A changeable case the operator may edit.
    func editable(_ id: String, by actor: Operator) async throws -> CaseRecord {
        guard let record = try await store.record(id: id) else { throw CaseError.notFound }
        guard mayEdit(actor, officeID: record.officeID) else { throw AccessError.forbidden }
        guard record.status.isEditable else { throw CaseError.notEditable }
        return record
    }

    /// A new, empty case of `procedure` at an office, dated today, with one person to fill in.
    public func open(officeID: String, procedure: MovingProcedure, by actor: Operator) async throws -> CaseRecord {
        guard layout.current.office(officeID) != nil else { throw CaseError.notFound }
        guard mayEdit(actor, officeID: officeID) else { throw AccessError.forbidden }
        let now = clock.now()
        let blank = CasePerson(
            identity: IdentityData(familyName: "", givenName: "", familyNameKana: "", givenNameKana: "", birthDate: "", sex: .male),
            relationship: "世帯主", japanese: JapaneseRegistry(honseki: "", headOfRegistry: ""))
        let record = CaseRecord(
            id: UUID().uuidString.lowercased(), officeID: officeID, createdAt: now, updatedAt: now, createdBy: actor.login,
            residentCase: ResidentCase(procedure: procedure, movingDate: today, notificationDate: today, persons: [blank]),
            history: [CaseHistoryEntry(at: now, actor: actor.login, status: .received, note: "受付")])
        try await store.create(record)
        try await audit.record("case.created", by: actor, target: record.id, detail: procedure.rawValue)
        return record
    }

    /// The case as the operator may see it; the read is audited.
    public func view(id: String, by actor: Operator) async throws -> CaseRecord {
        let record = shown(try await stored(id, by: actor, needs: .viewResidentCases), to: actor)
        try await audit.record("case.viewed", by: actor, target: id)
        return record
    }

    /// The case a form's entries are merged into before saving or checking them: nothing of it is shown beyond
    /// what the clerk sent back, so it is not a read of its own (the save is audited).
    public func draft(id: String, by actor: Operator) async throws -> CaseRecord {
        shown(try await stored(id, by: actor, needs: .viewResidentCases), to: actor)
    }

    /// Stores the clerk's entries, faults and all (a case is saved as it is typed); returns its faults.
    @discardableResult
    public func save(id: String, residentCase: ResidentCase, by actor: Operator) async throws -> [CaseFault] {
        _ = try await editable(id, by: actor)
        try await store.update(id: id, residentCase: residentCase, at: clock.now())
        try await audit.record("case.saved", by: actor, target: id)
        return residentCase.faults(today: today)
    }

    /// Moves the case through 受付中 / 保留 / 差戻 / 完了. Completion needs a case without errors and keeps its
    /// 住民異動届 as PDF — the original and a masked copy for each role with masked items — in the same step.
    public func changeStatus(id: String, to status: CaseStatus, note: String, by actor: Operator) async throws -> CaseRecord {
        let record = try await editable(id, by: actor)
        var documents: [CaseDocument] = []
        if status == .completed {
            let errors = record.residentCase.faults(today: today).filter { $0.severity == .error }
            guard errors.isEmpty else { throw CaseError.invalid(errors) }
            let stored = forms.layout(FormCatalogue.mainFormID).map { [$0.id] } ?? []
            for form in stored {
                documents.append(CaseDocument(form: form, variant: "original", pdf: try pdf(of: record, forms: [form], role: nil)))
                for role in masking.maskedRoles {
                    documents.append(CaseDocument(form: form, variant: masking.documentVariant(for: role), pdf: try pdf(of: record, forms: [form], role: role)))
                }
            }
        }
        try await store.setStatus(id: id, entry: CaseHistoryEntry(at: clock.now(), actor: actor.login, status: status, note: note), documents: documents)
        if status == .completed {
            try await audit.record("case.completed", by: actor, target: id)
        } else {
            try await audit.record("case.status_changed", by: actor, target: id, detail: status.rawValue)
        }
        return shown(try await stored(id, by: actor, needs: .viewResidentCases), to: actor)
    }

    /// The composed pages of `forms` for the case as `role` may see it (nil: unmasked).
    public func pages(of record: CaseRecord, forms ids: [String], role: Role?) throws -> [ComposedPage] {
        let shown = role.map { masking.apply(record.residentCase, for: $0) } ?? record.residentCase
        let values = CaseFormValues(case: shown, caseID: String(record.id.prefix(8)), officeName: layout.current.office(record.officeID)?.name ?? "")
        return try ids.flatMap { id -> [ComposedPage] in
            guard let form = forms.layout(id) else { throw CaseError.unknownForm(id) }
            return form.compose(values)
        }
    }

    func pdf(of record: CaseRecord, forms ids: [String], role: Role?) throws -> Data {
        try renderer.pdf(try pages(of: record, forms: ids, role: role))
    }

    /// The PDF of the chosen forms for the operator: a completed case's 住民異動届 alone is the stored copy of the
    /// operator's variant; anything else is drawn from the case as the operator may see it.
    public func print(id: String, forms ids: [String], by actor: Operator) async throws -> Data {
        let record = try await stored(id, by: actor, needs: .viewResidentCases)
        guard !ids.isEmpty else { throw CaseError.unknownForm("") }
        let variant = actor.role.map { masking.documentVariant(for: $0) } ?? "original"
        let pdf: Data
        if record.status == .completed, ids.count == 1, let kept = try await store.document(caseID: id, form: ids[0], variant: variant) {
            pdf = kept
        } else {
            pdf = try self.pdf(of: record, forms: ids, role: actor.role)
        }
        try await audit.record("case.printed", by: actor, target: id, detail: ids.joined(separator: ","))
        return pdf
    }

    /// Cases of the operator's offices matching `query`, masked for the operator; the read is audited.
    public func search(_ query: CaseQuery, by actor: Operator) async throws -> [CaseRecord] {
        let found = try await matching(query, by: actor)
        let target = query.officeIDs.isEmpty ? "*" : query.officeIDs.joined(separator: ",")
        try await audit.record("case.searched", by: actor, target: target, detail: "\(found.count)件")
        return found
    }

    func matching(_ query: CaseQuery, by actor: Operator) async throws -> [CaseRecord] {
        var query = query
        let allowed = actor.offices(for: .viewResidentCases, among: layout.current.offices.map(\.id))
        query.officeIDs = query.officeIDs.isEmpty ? allowed : query.officeIDs.filter(allowed.contains)
        guard !query.officeIDs.isEmpty else { return [] }
        return try await store.search(query).map { shown($0, to: actor) }
    }

    /// The office's latest cases, whose names, addresses and 本籍 the form offers as input suggestions while
    /// `record` is edited: a read of other residents' cases, audited with their ids.
    public func suggestions(for record: CaseRecord, by actor: Operator) async throws -> [ResidentCase] {
        let recent = try await matching(CaseQuery(officeIDs: [record.officeID], limit: 40), by: actor)
        try await audit.record("case.suggestions_viewed", by: actor, target: record.id, detail: recent.map(\.id).joined(separator: ","))
        return recent.map(\.residentCase)
    }

    /// The remark phrases (定型文) of an office's forms.
    public func phrases(officeID: String, by actor: Operator) async throws -> [String] {
        try check(actor, .viewResidentCases, officeID: officeID)
        return try await store.phrases(officeID: officeID)
    }

    public static let maxPhrases = 200

    /// Replaces an office's phrases, audited with before and after.
    public func setPhrases(_ phrases: [String], officeID: String, by actor: Operator) async throws {
        try check(actor, .configureOffices, officeID: officeID)
        guard phrases.count <= Self.maxPhrases, phrases.allSatisfy({ $0.count <= 200 }) else { throw CaseError.invalidPhrases }
        let before = try await store.phrases(officeID: officeID)
        try await store.setPhrases(phrases, officeID: officeID)
        try await audit.record("case.phrases_changed", by: actor, target: officeID, detail: AuditTrail.change(before: before, after: phrases))
    }

    /// Adds a PDF, JPEG or PNG to a case still being worked on; the type is read from the file's own bytes.
    public func attach(caseID: String, fileName: String, data: Data, by actor: Operator) async throws -> CaseAttachment {
        _ = try await editable(caseID, by: actor)
        guard !data.isEmpty, data.count <= CaseAttachment.maxBytes else { throw CaseError.attachmentRejected("添付できるのは10MBまでのファイルです。") }
        guard let type = CaseAttachment.detectedType(of: data) else { throw CaseError.attachmentRejected("添付できるのは PDF、JPEG、PNG のファイルです。") }
        let name = fileName.trimmingCharacters(in: .whitespaces).isEmpty ? "添付" : String(fileName.prefix(120))
        let attachment = CaseAttachment(
            id: UUID().uuidString.lowercased(), fileName: name, contentType: type, bytes: data.count, at: clock.now(),
            actor: actor.login)
        try await store.addAttachment(caseID: caseID, attachment: attachment, data: data)
        try await audit.record("case.attachment_added", by: actor, target: caseID, detail: attachment.id)
        return attachment
    }

    public func attachment(caseID: String, attachmentID: String, by actor: Operator) async throws -> (CaseAttachment, Data) {
        let record = try await stored(caseID, by: actor, needs: .viewResidentCases)
        guard let info = record.attachments.first(where: { $0.id == attachmentID }),
            let data = try await store.attachmentData(caseID: caseID, attachmentID: attachmentID)
        else { throw CaseError.notFound }
        try await audit.record("case.attachment_viewed", by: actor, target: caseID, detail: info.id)
        return (info, data)
    }

    /// Completed cases of a period for the core resident-records system (K6). Needs the export permission and a
    /// role that sees every item unmasked: the file carries them all. `format` names the file in the audit entry.
    public func export(
        from: String, through: String, officeIDs: [String], shiftJIS: Bool, format: String, by actor: Operator
    ) async throws -> ResidentExport {
        guard actor.holds(.exportResidentCases), masked(for: actor).isEmpty else { throw AccessError.forbidden }
        let allowed = actor.offices(for: .exportResidentCases, among: layout.current.offices.map(\.id))
        let offices = officeIDs.isEmpty ? allowed : officeIDs.filter(allowed.contains)
        let exported = ResidentExport(
            records: try await completedCases(from: from, through: through, officeIDs: offices), substitution: substitution,
            substituting: shiftJIS)
        try await audit.record(
            "case.exported", by: actor, target: officeIDs.isEmpty ? "*" : officeIDs.joined(separator: ","),
            detail: "\(from)〜\(through) \(format) \(shiftJIS ? "shift_jis" : "utf-8") \(exported.rows.count)行 置換\(exported.replacements.count)件")
        return exported
    }

    /// The cases of `officeIDs` completed in a period, oldest completion first: what an export hands on.
    func completedCases(from: String, through: String, officeIDs: [String]) async throws -> [CaseRecord] {
        guard !officeIDs.isEmpty else { return [] }
        var query = CaseQuery(officeIDs: officeIDs, from: from, through: through, status: .completed, limit: 1_000_000)
        query.datesOfCompletion = true
        return try await store.search(query).sorted { ($0.completedAt ?? $0.createdAt) < ($1.completedAt ?? $1.createdAt) }
    }

    /// Counts and average reception time (K7) of the user's offices.
    public func report(
        from: String, through: String, by grouping: CaseReport.Grouping, officeIDs: [String], for actor: Operator
    ) async throws -> [CaseReport.Row] {
        guard let start = CityCalendar.date(ofBusinessDay: from), let end = CityCalendar.date(ofBusinessDay: through) else { throw CaseError.notFound }
        let allowed = actor.offices(for: .viewStatistics, among: layout.current.offices.map(\.id))
        let offices = officeIDs.isEmpty ? allowed : officeIDs.filter(allowed.contains)
        guard !offices.isEmpty else { return [] }
        let facts = try await store.facts(from: start, to: end.addingTimeInterval(86_400), officeIDs: offices)
        let names = Dictionary(uniqueKeysWithValues: layout.current.offices.map { ($0.id, $0.name) })
        return CaseReport.rows(facts, by: grouping, officeNames: names)
    }
}
