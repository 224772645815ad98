import Foundation
import Hummingbird
import MadoguchiCore
import Yams

/// `/admin/settings` (S3, X4): offices, services, counters, kiosks and monitors, edited in forms (kiosks and monitors
/// as YAML, their many options being easier to read so), and the whole configuration exported and imported as one
/// JSON or YAML document. Every change validates the whole configuration, is stored in one transaction, audited with
/// before and after, and reaches every instance and screen at once through a `configurationChanged` event.
struct SettingsPageController {
    let dependencies: WebDependencies
    let renderer: PageRenderer

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.adminSettings, use: page)
        router.post(SiteURL.adminSettingsImport, use: importDocument)
        router.post(SiteURL.adminSettingsOffices, use: addOffice)
        router.post(SiteURL.adminSettingsOffice(.key), use: updateOffice)
        router.post(SiteURL.adminSettingsOfficeDelete(.key), use: deleteOffice)
        router.post(SiteURL.adminSettingsServices, use: saveService)
        router.post(SiteURL.adminSettingsServiceDelete(.key), use: deleteService)
        router.post(SiteURL.adminSettingsCounters, use: saveCounter)
        router.post(SiteURL.adminSettingsCounterDelete(.key), use: deleteCounter)
        router.post(SiteURL.adminSettingsDevices, use: saveDevice)
        router.post(SiteURL.adminSettingsDeviceDelete(kind: .key, device: .key), use: deleteDevice)
        router.post(SiteURL.adminSettingsReservations, use: saveReservations)
        router.post(SiteURL.adminSettingsReservationSlots(.key), use: saveSlots)
    }

    // MARK: Page

    struct Choice: Sendable { let value: String; let label: String; let selected: Bool }
    struct StageCheck: Sendable { let domID: String; let value: String; let label: String; let checked: Bool }
    struct ServiceForm: Sendable {
        let officeID: String; let key: String; let id: String; let name: String; let en: String; let zh: String; let ko: String; let prefix: String;
        let lower: Int; let upper: Int
        let stages: String; let styles: [Choice]; let procedure: String; let notifyAhead: Int
    }
    struct CounterForm: Sendable { let officeID: String; let key: String; let id: String; let name: String; let stages: [StageCheck] }
    struct DeviceForm: Sendable {
        let officeID: String; let id: String; let kind: String; let kindName: String; let name: String; let yaml: String; let url: String
    }
    struct OfficeSection: Sendable {
        let officeID: String; let id: String; let name: String; let hours: String; let closedDays: String
        let services: [ServiceForm]; let counters: [CounterForm]; let devices: [DeviceForm]
        let newService: ServiceForm; let newCounter: CounterForm; let kioskTemplate: String; let monitorTemplate: String
        let mayDelete: Bool
    }
    struct Fault: Sendable { let text: String }
    struct Model: Sendable {
        let nav: StaffNav
        let offices: [OfficeSection]
        let mayConfigureCity: Bool
        let faults: [Fault]
        let hasFaults: Bool
        let banner: Banner
        let document: String
        /// Web reservations as YAML (R1): procedures, slot templates, overrides, windows, e-mail texts.
        let reservations: String
        /// Each procedure's weekly slot bands as a form beside the YAML.
        let slotForms: [SlotTemplateForm]
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureOffices)
        let notice = request.uri.queryParameters["done"].map { _ in "保存しました。各画面に反映されます。" } ?? ""
        return try render(user, notice: notice, faults: [], document: "")
    }

    /// A slot form that came back refused: its procedure, the rows as typed and the fault of each.
    struct SlotDraft: Sendable { let procedureID: String; let rows: [SlotTemplateForm.Typed]; let faults: [SlotTemplateForm.RowFault] }

    private func render(
        _ user: StaffUser, notice: String, faults: [ConfigurationFault], document: String, slotDraft: SlotDraft? = nil
    ) throws -> Response {
        let layout = dependencies.layout.current
        let sections = layout.offices.filter { user.may(.configureOffices, at: $0.id) }.map { office in
            let stages = layout.services(in: office.id).flatMap { service in service.route.map { (service, $0) } }
            func counterForm(_ counter: Counter?) -> CounterForm {
                let key = counter?.id ?? "\(office.id)-new"
                return CounterForm(
                    officeID: office.id, key: key, id: counter?.id ?? "", name: counter?.name ?? "",
                    stages: stages.map { service, stage in
                        StageCheck(
                            domID: "\(key)-\(stage.id)", value: stage.id, label: "\(service.name)：\(stage.name)",
                            checked: counter?.stageIDs.contains(stage.id) ?? false)
                    })
            }
            return OfficeSection(
                officeID: office.id, id: office.id, name: office.name, hours: HoursText.format(office.hours),
                closedDays: office.closedDays.joined(separator: "\n"),
                services: layout.services(in: office.id).map { Self.serviceForm($0, officeID: office.id) },
                counters: layout.counters(in: office.id).map(counterForm),
                devices: layout.kiosks.filter { $0.officeID == office.id }.map {
                    DeviceForm(
                        officeID: office.id, id: $0.id, kind: "kiosk", kindName: "発券機", name: $0.name, yaml: (try? ConfigurationDocument.yaml($0)) ?? "",
                        url: SiteURL.kiosk(.value($0.id)).path)
                }
                    + layout.monitors.filter { $0.officeID == office.id }.map {
                        DeviceForm(
                            officeID: office.id, id: $0.id, kind: "monitor", kindName: $0.kind == .lobby ? "待合モニター" : "バックヤードモニター", name: $0.name,
                            yaml: (try? ConfigurationDocument.yaml($0)) ?? "",
                            url: ($0.kind == .lobby ? SiteURL.displayLobby(.value($0.id)) : SiteURL.displayBackyard(.value($0.id))).path)
                    },
                newService: Self.serviceForm(nil, officeID: office.id), newCounter: counterForm(nil),
                kioskTemplate: (try? ConfigurationDocument.yaml(
                    Kiosk(
                        id: "\(office.id)-kiosk-2", officeID: office.id, name: "発券機2",
                        menuSets: [MenuSet(id: "all", name: "すべての業務", serviceIDs: layout.services(in: office.id).map(\.id))], defaultMenuSetID: "all"))) ?? "",
                monitorTemplate: (try? ConfigurationDocument.yaml(Monitor(id: "\(office.id)-lobby-2", officeID: office.id, kind: .lobby, name: "待合モニター2")))
                    ?? "",
                mayDelete: user.may(.configureCity))
        }
        var response = try renderer.page(
            "admin-settings",
            Model(
                nav: StaffNav(user: user, current: .adminSettings), offices: sections, mayConfigureCity: user.may(.configureCity),
                faults: faults.map { Fault(text: $0.description) }, hasFaults: !faults.isEmpty,
                banner: Banner(notice: notice, error: "", noticeID: "notice", errorID: "settings-error"),
                document: document, reservations: Self.reservationsYAML(layout.reservations),
                slotForms: layout.reservations.procedures.map { procedure in
                    let draft = slotDraft?.procedureID == procedure.id ? slotDraft : nil
                    return SlotTemplateForm(procedure, typed: draft?.rows, faults: draft?.faults ?? []) { layout.office($0)?.name ?? $0 }
                }))
        if !faults.isEmpty { response.status = .unprocessableContent }
        return response
    }

    static func serviceForm(_ service: Service?, officeID: String) -> ServiceForm {
        ServiceForm(
            officeID: officeID, key: service?.id ?? "\(officeID)-new", id: service?.id ?? "", name: service?.name ?? "", en: service?.names.values["en"] ?? "",
            zh: service?.names.values["zh-Hans"] ?? "",
            ko: service?.names.values["ko"] ?? "", prefix: service?.prefix ?? "", lower: service?.numberRange.lowerBound ?? 1,
            upper: service?.numberRange.upperBound ?? 999,
            stages: service?.route.map { "\($0.id):\($0.name)" }.joined(separator: "\n") ?? "受付",
            styles: TicketStyle.allCases.map {
                Choice(value: $0.rawValue, label: $0 == .single ? "1枚" : "2枚つづり（控え付き）", selected: $0 == (service?.ticketStyle ?? .single))
            },
            procedure: service?.procedure ?? "", notifyAhead: service?.notifications.notifyAhead ?? 5)
    }

    // MARK: Applying a change

    /// Validates, stores and announces a new configuration, auditing the change; answers with the page (faults)
    /// or a redirect back to the office's section.
    private func apply(
        _ change: (inout CityConfiguration) throws -> Void, user: StaffUser, action: String, target: String, anchor: String,
        context: AppRequestContext
    ) async throws -> Response {
        let before = dependencies.layout.current
        var configuration = CityConfiguration(before)
        do {
            try change(&configuration)
        } catch let rejected as ConfigurationRejected {
            return try render(user, notice: "", faults: rejected.faults, document: "")
        }
        // Whatever the form claims, every object the change adds, alters or removes must belong to an office the
        // user configures: an existing kiosk of another office, posted with this office's id, is not taken over.
        let touched = configuration.difference(from: CityConfiguration(before)).officeIDs
        guard user.may(.configureCity) || touched.allSatisfy({ user.may(.configureOffices, at: $0) }) else { throw APIError.forbidden }
        let faults = configuration.faults()
        guard faults.isEmpty else { return try render(user, notice: "", faults: faults, document: "") }
        try await dependencies.administration.configuration.replace(
            before, with: configuration, by: .staff(user, address: context.clientAddress), action: action,
            target: target)
        return Response(status: .seeOther, headers: [.location: SiteURL.adminSettings.href(["done": "1"], fragment: anchor)])
    }

    private func form(_ request: Request) async throws -> FormFields {
        try FormFields(decoding: String(buffer: try await request.body.collect(upTo: 256 * 1024)))
    }

    private func officeAllowed(_ user: StaffUser, _ officeID: String) throws {
        guard dependencies.layout.current.office(officeID) != nil else { throw DomainError.officeNotFound(officeID) }
        guard user.may(.configureOffices, at: officeID) else { throw APIError.forbidden }
    }

    // MARK: Whole document

    @Sendable func importDocument(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureCity)
        let document = try await form(request)["document"]
        switch ConfigurationDocument.parse(document) {
        case .failure(let rejected):
            return try render(user, notice: "", faults: rejected.faults, document: document)
        case .success(let configuration):
            try await dependencies.administration.configuration.replace(
                dependencies.layout.current, with: configuration, by: .staff(user, address: context.clientAddress),
                action: "settings.import", target: "city")
            return Response(status: .seeOther, headers: [.location: SiteURL.adminSettings.href(["done": "1"])])
        }
    }

    // MARK: Offices

    @Sendable func addOffice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureCity)
        let fields = try await form(request)
        let id = fields["id"].trimmingCharacters(in: .whitespaces), name = fields["name"].trimmingCharacters(in: .whitespaces)
        return try await apply(
            { configuration in
                guard !name.isEmpty else { throw ConfigurationRejected([ConfigurationFault(collection: "name", message: "窓口の名前を入力してください。")]) }
                guard !configuration.offices.contains(where: { $0.id == id }) else {
                    throw ConfigurationRejected([ConfigurationFault(collection: "id", message: "窓口ID「\(id)」は既にあります。")])
                }
                configuration.addOffice(id: id, name: name)
            }, user: user, action: "settings.office_added", target: id, anchor: "office-\(id)", context: context)
    }

    @Sendable func updateOffice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureOffices)
        let id = try context.parameters.require("office")
        try officeAllowed(user, id)
        let fields = try await form(request)
        return try await apply(
            { configuration in
                guard var office = configuration.offices.first(where: { $0.id == id }) else { return }
                office.name = fields["name"].trimmingCharacters(in: .whitespaces)
                guard !office.name.isEmpty else { throw ConfigurationRejected([ConfigurationFault(collection: "name", message: "窓口の名前を入力してください。")]) }
                office.hours = try HoursText.parse(fields["hours"])
                office.closedDays = fields["closed_days"].split(whereSeparator: { $0.isNewline || $0 == "," || $0 == " " }).map(String.init).sorted()
                configuration.updateOffice(office)
            }, user: user, action: "settings.office", target: id, anchor: "office-\(id)", context: context)
    }

    @Sendable func deleteOffice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureCity)
        let id = try context.parameters.require("office")
        try officeAllowed(user, id)
        return try await apply({ $0.removeOffice(id) }, user: user, action: "settings.office_deleted", target: id, anchor: "", context: context)
    }

    // MARK: Services

    @Sendable func saveService(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureOffices)
        let fields = try await form(request)
        let officeID = fields["office"], id = fields["id"].trimmingCharacters(in: .whitespaces)
        try officeAllowed(user, officeID)
        let existing = dependencies.layout.current.service(id)
        if let existing, existing.officeID != officeID { throw APIError.forbidden }
        return try await apply(
            { configuration in
                var faults: [ConfigurationFault] = []
                func number(_ name: String, _ label: String) -> Int {
                    guard let value = Int(fields[name].trimmingCharacters(in: .whitespaces)) else {
                        faults.append(ConfigurationFault(collection: name, message: "\(label)は数字で入力してください。"))
                        return 0
                    }
                    return value
                }
                let name = fields["name"].trimmingCharacters(in: .whitespaces)
                if name.isEmpty { faults.append(ConfigurationFault(collection: "name", message: "業務の名前を入力してください。")) }
                let prefix = fields["prefix"].trimmingCharacters(in: .whitespaces)
                if prefix.count > 3 { faults.append(ConfigurationFault(collection: "prefix", message: "番号の頭文字は3文字以内です。")) }
                let lower = number("lower", "番号の始まり"), upper = number("upper", "番号の終わり")
                for fault in NumberRange(lower, upper).validate(dailyNeed: existing?.webTicketing?.dailyQuota ?? 1) {
                    faults.append(ConfigurationFault(collection: "upper", message: fault + "。"))
                }
                let notifyAhead = number("notify_ahead", "お知らせの人数")
                if !(1...50).contains(notifyAhead) { faults.append(ConfigurationFault(collection: "notify_ahead", message: "お知らせの人数は1から50です。")) }
                let route = fields["stages"].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    .enumerated().map { index, line -> Stage in
                        let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
                        return parts.count == 2 ? Stage(id: parts[0], name: parts[1]) : Stage(id: "\(id)-\(index + 1)", name: line)
                    }
                if route.isEmpty { faults.append(ConfigurationFault(collection: "stages", message: "段階を1行に1つ入力してください（例: 受付）。")) }
                guard faults.isEmpty else { throw ConfigurationRejected(faults) }
                var names = existing?.names.values ?? [:]
                names["ja"] = name
                for (field, language) in [("name_en", "en"), ("name_zh", "zh-Hans"), ("name_ko", "ko")] {
                    let text = fields[field].trimmingCharacters(in: .whitespaces)
                    names[language] = text.isEmpty ? nil : text
                }
                var notifications = existing?.notifications ?? .standard
                notifications.notifyAhead = notifyAhead
                let procedure = fields["procedure"].trimmingCharacters(in: .whitespaces)
                configuration.upsertService(
                    Service(
                        id: id, officeID: officeID, name: name, prefix: prefix, numberRange: NumberRange(lower, upper), route: route,
                        names: LocalizedText(names), ticketStyle: TicketStyle(rawValue: fields["ticket_style"]) ?? .single,
                        procedure: procedure.isEmpty ? nil : procedure, notifications: notifications, webTicketing: existing?.webTicketing))
            }, user: user, action: existing == nil ? "settings.service_added" : "settings.service", target: id, anchor: "office-\(officeID)",
            context: context)
    }

    @Sendable func deleteService(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureOffices)
        let id = try context.parameters.require("service")
        guard let service = dependencies.layout.current.service(id) else { throw DomainError.serviceNotFound(id) }
        try officeAllowed(user, service.officeID)
        return try await apply(
            { $0.removeService(id) }, user: user, action: "settings.service_deleted", target: id,
            anchor: "office-\(service.officeID)", context: context)
    }

    // MARK: Counters

    @Sendable func saveCounter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureOffices)
        let fields = try await form(request)
        let officeID = fields["office"], id = fields["id"].trimmingCharacters(in: .whitespaces)
        try officeAllowed(user, officeID)
        if let existing = dependencies.layout.current.counter(id), existing.officeID != officeID { throw APIError.forbidden }
        let name = fields["name"].trimmingCharacters(in: .whitespaces)
        return try await apply(
            { configuration in
                guard !name.isEmpty else { throw ConfigurationRejected([ConfigurationFault(collection: "name", message: "窓口カウンターの名前を入力してください。")]) }
                configuration.upsertCounter(Counter(id: id, officeID: officeID, name: name, stageIDs: fields.all("stage")))
            }, user: user, action: "settings.counter", target: id, anchor: "office-\(officeID)", context: context)
    }

    @Sendable func deleteCounter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureOffices)
        let id = try context.parameters.require("counter")
        guard let counter = dependencies.layout.current.counter(id) else { throw DomainError.counterNotFound(id) }
        try officeAllowed(user, counter.officeID)
        return try await apply(
            { $0.removeCounter(id) }, user: user, action: "settings.counter_deleted", target: id,
            anchor: "office-\(counter.officeID)", context: context)
    }

    // MARK: Web reservations (YAML)

    static func reservationsYAML(_ settings: ReservationSettings) -> String { (try? ConfigurationDocument.yaml(settings)) ?? "" }

    @Sendable func saveReservations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureCity)
        let text = try await form(request)["yaml"]
        return try await apply(
            { configuration in
                configuration.reservations = try ConfigurationDocument.decode(ReservationSettings.self, from: text).get().value
            }, user: user, action: "settings.reservations", target: "reservations", anchor: "reservations-heading", context: context)
    }

    @Sendable func saveSlots(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureCity)
        let id = try context.parameters.require("procedure")
        guard let procedure = dependencies.layout.current.reservations.procedure(id) else {
            throw APIError(.notFound, code: "procedure_not_found", message: "予約の手続き「\(id)」はありません。")
        }
        let rows = SlotTemplateForm.typed(from: try await form(request), procedureID: id)
        switch SlotTemplateForm.bands(rows, procedure: procedure) {
        case .failure(let refused):
            let faults = refused.faults.map { ConfigurationFault(collection: "reservations", message: $0.message) }
            var response = try render(user, notice: "", faults: faults, document: "", slotDraft: SlotDraft(procedureID: id, rows: rows, faults: refused.faults))
            response.status = .unprocessableContent
            return response
        case .success(let bands):
            return try await apply(
                { configuration in
                    guard var reservations = configuration.reservations,
                        let index = reservations.procedures.firstIndex(where: { $0.id == id })
                    else { return }
                    reservations.procedures[index].templates = bands
                    configuration.reservations = reservations
                }, user: user, action: "settings.reservation_slots", target: id, anchor: "slots-\(id)", context: context)
        }
    }

    // MARK: Kiosks and monitors (YAML)

    @Sendable func saveDevice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureOffices)
        let fields = try await form(request)
        let officeID = fields["office"], kind = fields["kind"], text = fields["yaml"]
        try officeAllowed(user, officeID)
        return try await apply(
            { configuration in
                let foreign = ConfigurationRejected([ConfigurationFault(collection: "officeID", message: "この窓口の機器だけを保存できます。")])
                if kind == "kiosk" {
                    let kiosk = try ConfigurationDocument.decode(Kiosk.self, from: text).get().value
                    guard kiosk.officeID == officeID else { throw foreign }
                    configuration.upsertKiosk(kiosk)
                } else {
                    let monitor = try ConfigurationDocument.decode(Monitor.self, from: text).get().value
                    guard monitor.officeID == officeID else { throw foreign }
                    configuration.upsertMonitor(monitor)
                }
            }, user: user, action: "settings.\(kind == "kiosk" ? "kiosk" : "monitor")", target: officeID, anchor: "office-\(officeID)", context: context)
    }

    @Sendable func deleteDevice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .configureOffices)
        let kind = try context.parameters.require("kind"), id = try context.parameters.require("device")
        let layout = dependencies.layout.current
        guard let officeID = kind == "kiosk" ? layout.kiosk(id)?.officeID : layout.monitor(id)?.officeID else {
            throw kind == "kiosk" ? DomainError.kioskNotFound(id) : DomainError.monitorNotFound(id)
        }
        try officeAllowed(user, officeID)
        return try await apply(
            { kind == "kiosk" ? $0.removeKiosk(id) : $0.removeMonitor(id) }, user: user, action: "settings.\(kind)_deleted",
            target: id, anchor: "office-\(officeID)", context: context)
    }
}
