import Foundation
import Hummingbird
import MadoguchiCore

/// `/staff/forms`: the no-writing counter (K3–K7). The list finds cases by name, kana, birth date, date, procedure,
/// status or memo; a case opens as one keyboard-first form with live checks and the official layout beside it (a
/// click on a value jumps to its input); completed cases print from their stored PDF. Every view and print is
/// audited. Roles that see items masked get a read-only form.
struct ResidentFormsPageController {
    let dependencies: WebDependencies
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.staffForms, use: list)
        router.post(SiteURL.staffForms, use: create)
        router.get(SiteURL.staffFormsPhrases, use: phrasesPage)
        router.post(SiteURL.staffFormsPhrases, use: savePhrases)
        router.get(SiteURL.staffFormsReport, use: report)
        router.get(SiteURL.staffForm(.key), use: editor)
        router.post(SiteURL.staffForm(.key), use: save)
        router.post(SiteURL.staffFormCheck(.key), use: check)
        router.get(SiteURL.staffFormPrint(.key), use: print)
        router.get(SiteURL.staffFormAttachment(case: .key, attachment: .key), use: attachment)
    }

    var service: ResidentCaseService { dependencies.staff.cases }

    var today: String { CityCalendar.businessDate(of: dependencies.clock.now()) }

    // MARK: the list

    struct Row: Sendable {
        let id: String
        let shortID: String
        let received: String
        let procedure: String
        let names: String
        let kana: String
        let birthDates: String
        let people: Int
        let status: String
        let statusClass: String
        let office: String
    }
    struct ListModel: Sendable {
        let nav: StaffNav
        let canCreate: Bool
        let canExport: Bool
        let canReport: Bool
        let canEditPhrases: Bool
        let offices: [FormChoice]
        let procedures: [FormChoice]
        let newProcedures: [FormChoice]
        let statuses: [FormChoice]
        let q: String
        let birthDate: String
        let from: String
        let to: String
        let rows: [Row]
        let hasRows: Bool
        let searched: Bool
        let banner: Banner
        let today: String
        let monthStart: String
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .viewResidentCases)
        let service = service
        let layout = dependencies.layout.current
        let office = request.query("office")
        var query = CaseQuery(
            officeIDs: office.isEmpty ? [] : [office], text: request.query("q"), birthDate: DateEntry.normalized(request.query("birthDate")),
            from: DateEntry.normalized(request.query("from")), through: DateEntry.normalized(request.query("to")),
            procedure: MovingProcedure(rawValue: request.query("procedure")), status: CaseStatus(rawValue: request.query("status")))
        var error = ""
        for (text, label) in [(query.from, "開始日"), (query.through, "終了日"), (query.birthDate, "生年月日")]
        where !text.isEmpty && CityCalendar.date(ofBusinessDay: text) == nil {
            error = "\(label)「\(text)」は日付として読めません（例: 2026-12-01、R8.12.1）。"
        }
        let searched = request.uri.queryParameters.contains { ["q", "birthDate", "from", "to", "procedure", "status", "office"].contains(String($0.key)) }
        if !searched { query.from = today }
        let found = error.isEmpty ? try await service.search(query, by: context.by(user)) : []
        let rows = found.map { record in
            let people = record.residentCase.persons
            return Row(
                id: record.id, shortID: String(record.id.prefix(8)), received: ClockText.dateTime(record.createdAt),
                procedure: record.residentCase.procedure.japaneseName,
                names: people.map { $0.identity.familyName + $0.identity.givenName }.joined(separator: "、"),
                kana: people.map { $0.identity.familyNameKana + $0.identity.givenNameKana }.joined(separator: "、"),
                birthDates: people.map { WarekiDate(gregorian: $0.identity.birthDate)?.short ?? $0.identity.birthDate }.joined(separator: "、"),
                people: people.count, status: record.status.japaneseName, statusClass: record.status.rawValue,
                office: layout.office(record.officeID)?.name ?? record.officeID)
        }
        let editable = user.offices(for: .handleResidentCases, among: layout.offices.map(\.id)).filter { service.mayEdit(user, officeID: $0) }
        let visible = user.offices(for: .viewResidentCases, among: layout.offices.map(\.id))
        return try renderer.page(
            "staff-forms",
            ListModel(
                nav: StaffNav(user: user, current: .staffForms), canCreate: !editable.isEmpty,
                canExport: user.role.permissions.contains(.exportResidentCases) && service.masking.masked(for: user.role).isEmpty,
                canReport: user.role.permissions.contains(.viewStatistics), canEditPhrases: user.role.permissions.contains(.configureOffices),
                offices: visible.map {
                    FormChoice(value: $0, label: layout.office($0)?.name ?? $0, selected: $0 == office || (office.isEmpty && $0 == editable.first))
                },
                procedures: MovingProcedure.allCases.map { FormChoice(value: $0.rawValue, label: $0.japaneseName, selected: $0 == query.procedure) },
                newProcedures: MovingProcedure.allCases.map { FormChoice(value: $0.rawValue, label: $0.japaneseName, selected: $0 == .moveIn) },
                statuses: CaseStatus.allCases.map { FormChoice(value: $0.rawValue, label: $0.japaneseName, selected: $0 == query.status) },
                q: query.text, birthDate: request.query("birthDate"), from: request.query("from"), to: request.query("to"), rows: rows, hasRows: !rows.isEmpty,
                searched: searched, banner: Banner("search", error: error), today: today, monthStart: String(today.prefix(8)) + "01"))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .handleResidentCases)
        let fields = try FormFields(decoding: String(buffer: try await request.body.collect(upTo: 4096)))
        guard let procedure = MovingProcedure(rawValue: fields["procedure"]) else {
            throw APIError(.unprocessableContent, code: "invalid_procedure", message: "届出の種類を選んでください。")
        }
        let record = try await service.open(officeID: fields["office"], procedure: procedure, by: context.by(user))
        return PageRedirect(location: SiteURL.staffForm(.value(record.id)).href(fragment: "f-movingDate")).response
    }

    // MARK: the form

    struct FaultItem: Sendable { let input: String; let message: String; let severity: String; let isError: Bool }
    struct HistoryItem: Sendable { let at: String; let actor: String; let status: String; let note: String }
    struct AttachmentItem: Sendable { let href: String; let name: String; let type: String; let size: String; let at: String; let actor: String }
    struct EditorModel: Sendable {
        let nav: StaffNav
        let id: String
        let shortID: String
        let status: String
        let statusClass: String
        let office: String
        let received: String
        let createdBy: String
        let readonly: Bool
        let editable: Bool
        let completed: Bool
        let masked: String
        let isMasked: Bool
        let procedure: FormSelect
        let caseInputs: [FormInput]
        let remarks: FormInput
        let memo: String
        let phrases: [FormChoice]
        let hasPhrases: Bool
        let persons: [PersonInputs]
        let personCount: Int
        let faults: [FaultItem]
        let hasFaults: Bool
        let errorCount: Int
        let history: [HistoryItem]
        let attachments: [AttachmentItem]
        let hasAttachments: Bool
        let forms: [FormChoice]
        let preview: String
        let addresses: [String]
        let familyNames: [String]
        let relationships: [String]
        let statuses: [String]
        let banner: Banner
    }

    static let relationships = ["世帯主", "妻", "夫", "子", "父", "母", "妻の父", "妻の母", "夫の父", "夫の母", "孫", "兄", "姉", "弟", "妹", "祖父", "祖母", "同居人", "縁故者", "子の妻", "子の夫"]
    static let residenceStatuses = [
        "永住者", "特別永住者", "定住者", "日本人の配偶者等", "永住者の配偶者等", "家族滞在", "留学", "技術・人文知識・国際業務", "技能",
        "技能実習", "特定技能", "高度専門職", "経営・管理", "教育", "研究", "企業内転勤", "介護", "医療", "特定活動"
    ]

    static func faultsByInput(_ faults: [CaseFault]) -> [String: [CaseFault]] {
        Dictionary(grouping: faults) { CaseForm.inputID(forPath: $0.field) }
    }

    func editorModel(
        _ record: CaseRecord, shown: ResidentCase, faults: [CaseFault], user: StaffUser, context: AppRequestContext, notice: String = "", error: String = ""
    ) async throws -> EditorModel {
        let service = service
        let editable = record.status.isEditable && service.mayEdit(user, officeID: record.officeID)
        let readonly = !editable
        let byInput = Self.faultsByInput(faults)
        let c = shown
        let caseInputs = [
            FormInput(
                "f-notificationDate", "届出日", c.notificationDate, faults: byInput, hint: WarekiDate(gregorian: c.notificationDate)?.text ?? "",
                readonly: readonly),
            FormInput(
                "f-movingDate", c.procedure == .moveOut ? "転出予定日" : "異動日", c.movingDate, faults: byInput,
                hint: WarekiDate(gregorian: c.movingDate)?.text ?? "例: R8.11.20、2026-11-20", readonly: readonly),
            FormInput("f-householder", "世帯主", c.householder, faults: byInput, list: "family-names", readonly: readonly),
            FormInput(
                "f-newAddress", c.procedure == .moveOut ? "転出先" : "新しい住所", c.newAddress, faults: byInput, list: "addresses", wide: true,
                address: true, readonly: readonly),
            FormInput(
                "f-previousAddress", c.procedure == .moveInFromAbroad ? "従前の住所（国名）" : "従前の住所", c.previousAddress, faults: byInput,
                list: "addresses", wide: true, address: true, readonly: readonly)
        ]
        var persons = c.persons
        if persons.isEmpty { persons = [CaseForm.newMember(after: [])] }
        // The input suggestions carry other residents' names, addresses and 本籍: a read of their cases.
        let recent = try await service.suggestions(for: record, by: context.by(user))
        var addresses: [String] = [], familyNames: [String] = []
        for other in [c] + recent {
            addresses += [other.newAddress, other.previousAddress] + other.persons.compactMap { $0.japanese?.honseki }
            familyNames += other.persons.map(\.identity.familyName) + [other.householder]
        }
        func unique(_ values: [String]) -> [String] {
            var seen = Set<String>()
            return values.filter { !$0.isEmpty && $0 != CaseMaskingPolicy.maskText && seen.insert($0).inserted }
        }
        let phrases = try await service.phrases(officeID: record.officeID, by: context.by(user))
        let masked = service.masked(for: context.by(user))
        var previewed = record
        previewed.residentCase = shown
        let pages = try service.pages(of: previewed, forms: [FormCatalogue.mainFormID], role: nil)
        return EditorModel(
            nav: StaffNav(user: user, current: .staffForms), id: record.id, shortID: String(record.id.prefix(8)), status: record.status.japaneseName,
            statusClass: record.status.rawValue, office: dependencies.layout.current.office(record.officeID)?.name ?? record.officeID,
            received: ClockText.dateTime(record.createdAt), createdBy: record.createdBy, readonly: readonly, editable: editable,
            completed: record.status == .completed, masked: masked.map(\.japaneseName).sorted().joined(separator: "・"), isMasked: !masked.isEmpty,
            procedure: FormSelect(
                "f-procedure", "届出の種類", MovingProcedure.allCases.map { ($0.rawValue, $0.japaneseName) }, selected: c.procedure.rawValue,
                faults: byInput, readonly: readonly),
            caseInputs: caseInputs,
            remarks: FormInput("f-remarks", "備考", c.remarks, faults: byInput, readonly: readonly), memo: c.memo,
            phrases: phrases.map { FormChoice(value: $0, label: $0, selected: false) }, hasPhrases: !phrases.isEmpty,
            persons: persons.enumerated().map { PersonInputs($1, index: $0, faults: byInput, today: today, readonly: readonly) }, personCount: persons.count,
            faults: faults.map {
                FaultItem(
                    input: CaseForm.inputID(forPath: $0.field), message: $0.message, severity: $0.severity == .error ? "誤り" : "確認",
                    isError: $0.severity == .error)
            },
            hasFaults: !faults.isEmpty, errorCount: faults.filter { $0.severity == .error }.count,
            history: record.history.map { HistoryItem(at: ClockText.dateTime($0.at), actor: $0.actor, status: $0.status.japaneseName, note: $0.note) },
            attachments: record.attachments.map {
                AttachmentItem(
                    href: SiteURL.staffFormAttachment(case: .value(record.id), attachment: .value($0.id)).path, name: $0.fileName, type: $0.contentType,
                    size: "\(max(1, $0.bytes / 1024)) KB", at: ClockText.dateTime($0.at), actor: $0.actor)
            },
            hasAttachments: !record.attachments.isEmpty,
            forms: service.forms.layouts.map { FormChoice(value: $0.id, label: $0.title, selected: $0.id == FormCatalogue.mainFormID) },
            preview: FormPreview(pages: pages).svg, addresses: unique(addresses), familyNames: unique(familyNames),
            relationships: Self.relationships, statuses: Self.residenceStatuses, banner: Banner("form", notice: notice, error: error))
    }

    @Sendable func editor(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .viewResidentCases)
        let id = try CaseRequests.caseID(context)
        let record = try await service.view(id: id, by: context.by(user))
        let parameters = request.uri.queryParameters
        return try renderer.page(
            "staff-form",
            try await editorModel(
                record, shown: record.residentCase, faults: record.residentCase.faults(today: today), user: user, context: context,
                notice: parameters["notice"].map(String.init) ?? "", error: parameters["error"].map(String.init) ?? ""))
    }

    @Sendable func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .handleResidentCases)
        let id = try CaseRequests.caseID(context)
        let service = service
        let record = try await service.draft(id: id, by: context.by(user))
        let fields = try FormFields(decoding: String(buffer: try await request.body.collect(upTo: 256 * 1024)))
        var entered = CaseForm.read(fields, previous: record.residentCase)
        let action = fields["action"]
        if action == "add-person" { entered.persons.append(CaseForm.newMember(after: entered.persons)) }
        let faults = try await service.save(id: id, residentCase: entered, by: context.by(user))
        if action == "complete" {
            do {
                _ = try await service.changeStatus(id: id, to: .completed, note: fields["note"], by: context.by(user))
                return PageRedirect(location: SiteURL.staffForm(.value(id)).href(["notice": "完了にしました。届出書を保存しました。"])).response
            } catch CaseError.invalid {
                let saved = try await service.draft(id: id, by: context.by(user))
                return try renderer.page(
                    "staff-form",
                    try await editorModel(
                        saved, shown: entered, faults: faults, user: user, context: context, error: "誤りがあるため完了にできません。赤い項目を直してください。"))
            }
        }
        if action == "add-person" {
            return PageRedirect(location: SiteURL.staffForm(.value(id)).href(fragment: "p\(entered.persons.count - 1)-givenName")).response
        }
        if action.hasPrefix("status-"), let status = CaseStatus(rawValue: String(action.dropFirst("status-".count))), status != .completed {
            _ = try await service.changeStatus(id: id, to: status, note: fields["note"].trimmingCharacters(in: .whitespacesAndNewlines), by: context.by(user))
            return PageRedirect(location: SiteURL.staffForm(.value(id)).href(["notice": "保存して「\(status.japaneseName)」にしました。"])).response
        }
        let errors = faults.filter { $0.severity == .error }.count
        return PageRedirect(location: SiteURL.staffForm(.value(id)).href(["notice": errors == 0 ? "保存しました。" : "保存しました（誤り \(errors) 件）。"])).response
    }

    struct CheckAnswer: Encodable {
        struct Fault: Encodable { let field: String; let input: String; let message: String; let severity: String }
        let faults: [Fault]
        let preview: String
        let hints: [String: String]
    }

    /// Live checks while typing: the faults of the form as it stands and the layout preview, nothing stored.
    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .viewResidentCases)
        let service = service
        let record = try await service.draft(id: try CaseRequests.caseID(context), by: context.by(user))
        let entered = CaseForm.read(try FormFields(decoding: String(buffer: try await request.body.collect(upTo: 256 * 1024))), previous: record.residentCase)
        let faults = entered.faults(today: today)
        var shown = record
        shown.residentCase = entered
        var hints: [String: String] = [:]
        for (index, person) in entered.persons.enumerated() {
            if let wareki = WarekiDate(gregorian: person.identity.birthDate) {
                hints["p\(index)-birthDate"] = wareki.text + (LegalAge.age(birth: person.identity.birthDate, on: today).map { "・\($0)歳" } ?? "")
            }
            if let residence = person.foreign, let period = ResidencePeriod.text(residence.periodCode) { hints["p\(index)-periodCode"] = "＝ \(period)" }
            if let expiry = person.foreign.flatMap({ WarekiDate(gregorian: $0.expiryDate) }) { hints["p\(index)-expiryDate"] = expiry.text }
        }
        for (input, date) in [("f-movingDate", entered.movingDate), ("f-notificationDate", entered.notificationDate)] {
            if let wareki = WarekiDate(gregorian: date) { hints[input] = wareki.text }
        }
        return try JSONIO.response(
            CheckAnswer(
                faults: faults.map { .init(field: $0.field, input: CaseForm.inputID(forPath: $0.field), message: $0.message, severity: $0.severity.rawValue) },
                preview: FormPreview(pages: try service.pages(of: shown, forms: [FormCatalogue.mainFormID], role: nil)).svg, hints: hints))
    }

    @Sendable func print(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .viewResidentCases)
        return try await CaseRequests.print(request, context: context, user: user, service: service)
    }

    @Sendable func attachment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .viewResidentCases)
        let id = try CaseRequests.caseID(context)
        let (info, data) = try await service.attachment(caseID: id, attachmentID: try context.parameters.require("attachment"), by: context.by(user))
        var headers = HTTPFields()
        headers[.contentType] = info.contentType
        headers[.cacheControl] = "no-store"
        headers[.contentDisposition] = "inline; filename=\"attachment-\(info.id.prefix(8))\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

}
