import Foundation

/// The no-writing counter's use cases (K3–K7): open and save a case, move it through the workflow, print its forms,
/// find it again, hand completed cases to the core system and count them. Every read is masked for the reader's
/// role; a role that sees anything masked may not change a case.
public struct ResidentCaseService: Sendable {
    public let store: any CaseStore
    public let forms: FormCatalogue
    public let renderer: any FormRenderer
    public let masking: CaseMaskingPolicy
    public let layout: LayoutSource
    public let clock: any WallClock
    public var substitution = JISX0208Substitution()

    public init(
        store: any CaseStore, forms: FormCatalogue, renderer: any FormRenderer, masking: CaseMaskingPolicy = .standard,
        layout: LayoutSource, clock: any WallClock
    ) {
        self.store = store
        self.forms = forms
        self.renderer = renderer
        self.masking = masking
        self.layout = layout
        self.clock = clock
    }

    var today: String { CityCalendar.businessDate(of: clock.now()) }

    public func mayEdit(_ user: StaffUser, officeID: String) -> Bool {
        user.may(.handleResidentCases, at: officeID) && masking.masked(for: user.role).isEmpty
    }

    func check(_ user: StaffUser, _ permission: Permission, officeID: String) throws {
        guard user.may(permission, at: officeID) else { throw AccessError.forbidden }
    }

    /// A new, empty case of `procedure` at an office, dated today, with one person to fill in.
    public func open(officeID: String, procedure: MovingProcedure, user: StaffUser) async throws -> CaseRecord {
        guard layout.current.office(officeID) != nil else { throw CaseError.notFound }
        guard mayEdit(user, officeID: officeID) else { throw AccessError.forbidden }
        let now = clock.now()
        let blank = CasePerson(
            identity: IdentityData(familyName: "", givenName: "", familyNameKana: "", givenNameKana: "", birthDate: "", sex: .male),
            relationship: "世帯主", japanese: JapaneseRegistry(honseki: "", headOfRegistry: ""))
        let record = CaseRecord(
            id: UUID().uuidString.lowercased(), officeID: officeID, createdAt: now, updatedAt: now, createdBy: user.login,
            residentCase: ResidentCase(procedure: procedure, movingDate: today, notificationDate: today, persons: [blank]),
            history: [CaseHistoryEntry(at: now, actor: user.login, status: .received, note: "受付")])
        try await store.create(record)
        return record
    }

    /// The case as the user may see it.
    public func view(id: String, user: StaffUser) async throws -> CaseRecord {
        guard var record = try await store.record(id: id) else { throw CaseError.notFound }
        try check(user, .viewResidentCases, officeID: record.officeID)
        record.residentCase = masking.apply(record.residentCase, for: user.role)
        return record
    }

    /// Stores the clerk's entries, faults and all (a case is saved as it is typed); returns its faults.
    @discardableResult
    public func save(id: String, residentCase: ResidentCase, user: StaffUser) async throws -> [CaseFault] {
        guard let record = try await store.record(id: id) else { throw CaseError.notFound }
        guard mayEdit(user, officeID: record.officeID) else { throw AccessError.forbidden }
        guard record.status.isEditable else { throw CaseError.notEditable }
        try await store.update(id: id, residentCase: residentCase, at: clock.now())
        return residentCase.faults(today: today)
    }

    /// Moves the case through 受付中 / 保留 / 差戻 / 完了. Completion needs a case without errors and keeps its
    /// 住民異動届 as PDF — the original and a masked copy for each role with masked items — in the same step.
    public func changeStatus(id: String, to status: CaseStatus, note: String, user: StaffUser) async throws -> CaseRecord {
        guard let record = try await store.record(id: id) else { throw CaseError.notFound }
        guard mayEdit(user, officeID: record.officeID) else { throw AccessError.forbidden }
        guard record.status.isEditable else { throw CaseError.notEditable }
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
        try await store.setStatus(id: id, entry: CaseHistoryEntry(at: clock.now(), actor: user.login, status: status, note: note), documents: documents)
        return try await view(id: id, user: user)
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

    /// The PDF of the chosen forms for the user: a completed case's 住民異動届 alone is the stored copy of the
    /// user's variant; anything else is drawn from the case as the user may see it.
    public func print(id: String, forms ids: [String], user: StaffUser) async throws -> Data {
        guard let record = try await store.record(id: id) else { throw CaseError.notFound }
        try check(user, .viewResidentCases, officeID: record.officeID)
        guard !ids.isEmpty else { throw CaseError.unknownForm("") }
        if record.status == .completed, ids.count == 1,
            let stored = try await store.document(caseID: id, form: ids[0], variant: masking.documentVariant(for: user.role))
        {
            return stored
        }
        return try pdf(of: record, forms: ids, role: user.role)
    }

    public func search(_ query: CaseQuery, user: StaffUser) async throws -> [CaseRecord] {
        var query = query
        let allowed = user.offices(for: .viewResidentCases, among: layout.current.offices.map(\.id))
        query.officeIDs = query.officeIDs.isEmpty ? allowed : query.officeIDs.filter(allowed.contains)
        guard !query.officeIDs.isEmpty else { return [] }
        return try await store.search(query).map { record in
            var copy = record
            copy.residentCase = masking.apply(record.residentCase, for: user.role)
            return copy
        }
    }

    /// Adds a PDF, JPEG or PNG to a case still being worked on; the type is read from the file's own bytes.
    public func attach(caseID: String, fileName: String, data: Data, user: StaffUser) async throws -> CaseAttachment {
        guard let record = try await store.record(id: caseID) else { throw CaseError.notFound }
        guard mayEdit(user, officeID: record.officeID) else { throw AccessError.forbidden }
        guard record.status.isEditable else { throw CaseError.notEditable }
        guard !data.isEmpty, data.count <= CaseAttachment.maxBytes else { throw CaseError.attachmentRejected("添付できるのは10MBまでのファイルです。") }
        guard let type = CaseAttachment.detectedType(of: data) else { throw CaseError.attachmentRejected("添付できるのは PDF、JPEG、PNG のファイルです。") }
        let name = fileName.trimmingCharacters(in: .whitespaces).isEmpty ? "添付" : String(fileName.prefix(120))
        let attachment = CaseAttachment(
            id: UUID().uuidString.lowercased(), fileName: name, contentType: type, bytes: data.count, at: clock.now(),
            actor: user.login)
        try await store.addAttachment(caseID: caseID, attachment: attachment, data: data)
        return attachment
    }

    public func attachment(caseID: String, attachmentID: String, user: StaffUser) async throws -> (CaseAttachment, Data) {
        let record = try await view(id: caseID, user: user)
        guard let info = record.attachments.first(where: { $0.id == attachmentID }),
            let data = try await store.attachmentData(caseID: caseID, attachmentID: attachmentID)
        else { throw CaseError.notFound }
        return (info, data)
    }

    /// Completed cases of a period for the core resident-records system (K6). Needs the export permission and a
    /// role that sees every item unmasked: the file carries them all.
    public func export(from: String, through: String, officeIDs: [String], shiftJIS: Bool, user: StaffUser) async throws -> ResidentExport {
        guard user.role.permissions.contains(.exportResidentCases), masking.masked(for: user.role).isEmpty else { throw AccessError.forbidden }
        let allowed = user.offices(for: .exportResidentCases, among: layout.current.offices.map(\.id))
        let offices = officeIDs.isEmpty ? allowed : officeIDs.filter(allowed.contains)
        return ResidentExport(
            records: try await completedCases(from: from, through: through, officeIDs: offices), substitution: substitution,
            substituting: shiftJIS)
    }

    /// The cases of `officeIDs` completed in a period, oldest completion first: what an export hands on. The caller
    /// has checked who may have them (the command line is the operator's).
    public func completedCases(from: String, through: String, officeIDs: [String]) async throws -> [CaseRecord] {
        guard !officeIDs.isEmpty else { return [] }
        var query = CaseQuery(officeIDs: officeIDs, from: from, through: through, status: .completed, limit: 1_000_000)
        query.datesOfCompletion = true
        return try await store.search(query).sorted { ($0.completedAt ?? $0.createdAt) < ($1.completedAt ?? $1.createdAt) }
    }

    /// Counts and average reception time (K7) of the user's offices.
    public func report(from: String, through: String, by grouping: CaseReport.Grouping, officeIDs: [String], user: StaffUser) async throws -> [CaseReport.Row] {
        guard let start = CityCalendar.date(ofBusinessDay: from), let end = CityCalendar.date(ofBusinessDay: through) else { throw CaseError.notFound }
        let allowed = user.offices(for: .viewStatistics, among: layout.current.offices.map(\.id))
        let offices = officeIDs.isEmpty ? allowed : officeIDs.filter(allowed.contains)
        guard !offices.isEmpty else { return [] }
        let facts = try await store.facts(from: start, to: end.addingTimeInterval(86_400), officeIDs: offices)
        let names = Dictionary(uniqueKeysWithValues: layout.current.offices.map { ($0.id, $0.name) })
        return CaseReport.rows(facts, by: grouping, officeNames: names)
    }
}
