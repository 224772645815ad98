import Foundation
import Hummingbird
import MadoguchiCore

/// Staff screens: sign-in, the counter console (Q5, Q6) and the device overview with the day's kiosk menus and
/// service closures. Pages send signed-out staff to the sign-in page and back.
struct StaffPagesController {
    let dependencies: WebDependencies
    let renderer: PageRenderer
    let secureCookies: Bool

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.staffSignIn, use: signInPage)
        router.post(SiteURL.staffSignIn, use: signIn)
        router.post(SiteURL.staffSignOut, use: signOut)
        router.get(SiteURL.staffCounter(.key), use: console)
        router.get(SiteURL.staffDevices, use: devicesPage)
        router.post(SiteURL.staffDevicesMenu, use: chooseMenu)
        router.post(SiteURL.staffDevicesClosure, use: closure)
        router.post(SiteURL.staffDevicesRegister, use: registerDevice)
        router.get(SiteURL.staffNotifications, use: notificationsPage)
    }

    // MARK: Notification deliveries (W4)

    struct DeliveryRow: Sendable {
        let office: String
        let number: String
        let channel: String
        let contact: String
        let kind: String
        let state: String
        let attempts: Int
        let error: String
        let time: String
    }
    struct NotificationsModel: Sendable { let nav: StaffNav; let rows: [DeliveryRow]; let empty: Bool }

    @Sendable func notificationsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await staff(request, .viewNotifications)
        let layout = dependencies.layout.current
        let states = ["pending": "送信待ち", "sending": "送信中", "sent": "送信済み", "failed": "⚠ 送信できず"]
        var rows: [DeliveryRow] = []
        for office in layout.offices where user.may(.viewNotifications, at: office.id) {
            for delivery in try await dependencies.visitors.notifications.deliveries(officeID: office.id, by: context.by(user)) {
                rows.append(
                    DeliveryRow(
                        office: office.name, number: delivery.displayNumber, channel: delivery.channel == .email ? "メール" : "SMS",
                        contact: delivery.contact, kind: delivery.kind == "ahead" ? "まもなく" : "呼出",
                        state: states[delivery.state] ?? delivery.state, attempts: delivery.attempts, error: delivery.lastError ?? "",
                        time: ClockText.hoursMinutesSeconds(delivery.sentAt ?? delivery.createdAt)))
            }
        }
        return try renderer.page(
            "staff-notifications", NotificationsModel(nav: StaffNav(user: user, current: .staffNotifications), rows: rows, empty: rows.isEmpty))
    }

    // MARK: Sign-in

    struct SignInModel: Sendable {
        let cityName: String
        let hasCity: Bool
        let next: String
        let login: String
        let banner: Banner
        /// Shown after a lock-out, so a clerk knows to wait or whom to ask instead of guessing again.
        let locked: Bool
        let maxFailures: Int
        let lockMinutes: Int
    }

    private func signInModel(next: String, login: String = "", error: AccessError? = nil) -> SignInModel {
        let city = dependencies.layout.current.city.name
        var locked = false
        if case .accountLocked = error { locked = true }
        if error == .tooManyAttempts { locked = true }
        let policy = dependencies.staff.access.policy
        return SignInModel(
            cityName: city, hasCity: !city.isEmpty, next: next, login: login,
            banner: Banner("sign-in", error: error.map { APIError($0).message } ?? ""), locked: locked,
            maxFailures: policy.maxFailures, lockMinutes: Int(policy.lockDuration / 60))
    }

    /// Only paths of this site, so the sign-in form cannot send anyone elsewhere.
    /// Browsers drop tabs and line breaks from a URL and read `\` as `/`, so `/\t/evil.example` is `//evil.example`;
    /// only a plain path of printable ASCII without those survives, parsed to have neither scheme nor host.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.count < 300, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"),
            value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            let parsed = URLComponents(string: value), parsed.scheme == nil, parsed.host == nil, parsed.path.hasPrefix("/"),
            !parsed.path.hasPrefix("//")
        else { return SiteURL.staff.path }
        return value
    }

    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try renderer.page("staff-sign-in", signInModel(next: Self.safeNext(request.uri.queryParameters["next"].map(String.init))))
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        struct Form: Decodable { let login: String?; let password: String?; let next: String? }
        let form = try await URLEncodedFormDecoder().decode(Form.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let next = Self.safeNext(form.next)
        let login = form.login ?? ""
        do {
            let (user, token) = try await StaffAuthentication.signIn(
                login: login, password: form.password ?? "", via: "page", context: context, dependencies: dependencies)
            let location =
                user.mustChangePassword
                ? SiteURL.staffPassword.href(["next": next]) : next
            var response = Response(status: .seeOther, headers: [.location: location])
            response.setCookie(StaffAuthentication.sessionCookie(token, secure: secureCookies))
            return response
        } catch let error as AccessError {
            var response = try renderer.page("staff-sign-in", signInModel(next: next, login: login, error: error))
            response.status = error == .invalidCredentials ? .unauthorized : error == .tooManyAttempts ? .tooManyRequests : .forbidden
            return response
        }
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await StaffAuthentication.signOut(request, via: "page", context: context, dependencies: dependencies)
        var response = Response(status: .seeOther, headers: [.location: SiteURL.staffSignIn.path])
        response.setCookie(StaffAuthentication.sessionCookie("", secure: secureCookies))
        return response
    }

    private func staff(_ request: Request, _ permission: Permission) async throws -> StaffUser {
        try await StaffPageAccess.user(request, dependencies: dependencies, permission: permission)
    }

    // MARK: Console

    struct Option: Sendable { let id: String; let name: String }
    struct ConsoleModel: Sendable {
        let counterID: String
        let counterName: String
        let officeName: String
        let login: String
        let eventsURL: String
        let names: String
        /// `service/stage` → the next stage's name, so the console says where a visitor went when it calls the next.
        let nextStages: String
        let stages: [Option]
        let counters: [Option]
    }

    @Sendable func console(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await staff(request, .operateCounters)
        let id = try context.parameters.require("counter")
        let layout = dependencies.layout.current
        guard let counter = layout.counter(id), let office = layout.office(counter.officeID) else { throw DomainError.counterNotFound(id) }
        guard user.may(.operateCounters, at: office.id) else { throw APIError.forbidden }
        let services = layout.services(in: office.id)
        var names: [String: String] = [:]
        var nextStages: [String: String] = [:]
        for service in services {
            names[service.id] = service.name
            for stage in service.route { names[stage.id] = stage.name }
            for (stage, next) in zip(service.route, service.route.dropFirst()) { nextStages["\(service.id)/\(stage.id)"] = next.name }
        }
        let stageOptions = services.flatMap { service in service.route.map { Option(id: $0.id, name: "\(service.name)：\($0.name)") } }
        return try renderer.page(
            "console",
            ConsoleModel(
                counterID: counter.id, counterName: counter.name, officeName: office.name, login: user.login,
                eventsURL: "/events/offices/\(office.id)", names: String(decoding: try JSONIO.encoder.encode(names), as: UTF8.self),
                nextStages: String(decoding: try JSONIO.encoder.encode(nextStages), as: UTF8.self),
                stages: stageOptions, counters: layout.counters(in: office.id).filter { $0.id != counter.id }.map { Option(id: $0.id, name: $0.name) }))
    }

    // MARK: Devices, kiosk menus, closures

    struct DeviceRow: Sendable {
        let kind: String
        let kindCode: String
        let id: String
        let name: String
        let url: String
        let hasURL: Bool
        let connection: String
        let lastSeen: String
        let state: String
    }
    /// The devices of one office under its name.
    struct DeviceGroup: Sendable { let officeID: String; let officeName: String; let devices: [DeviceRow] }
    struct KioskRow: Sendable { let id: String; let name: String; let active: String; let menus: [MenuOption] }
    struct MenuOption: Sendable { let id: String; let name: String; let selected: Bool }
    struct ServiceRow: Sendable { let id: String; let name: String; let closed: Bool; let message: String }
    struct DevicesModel: Sendable {
        let nav: StaffNav
        let deviceGroups: [DeviceGroup]
        let kiosks: [KioskRow]
        let services: [ServiceRow]
        let banner: Banner
    }

    static let kindNames: [DevicePresence.Kind: String] = [
        .kiosk: "発券機", .printer: "プリンター", .lobby: "待合モニター", .backyard: "バックヤードモニター", .counter: "窓口表示器"
    ]
    static let printerStateNames = ["ready": "正常", "offline": "⚠ 接続できません", "paper_out": "⚠ 用紙切れ", "cover_open": "⚠ カバーが開いています", "error": "⚠ 異常"]

    /// Every device has a state in words: a printer's own report, else what its connection tells.
    static func deviceState(_ entry: DeviceOverview.Entry) -> String {
        if let state = entry.state {
            let name = printerStateNames[state] ?? state
            return entry.detail.map { "\(name)（\($0)）" } ?? name
        }
        if entry.connected { return "正常" }
        return entry.lastSeenAt == nil ? "未登録（この端末で「登録して開く」を押してください）" : "⚠ 応答がありません（電源・ネットワークを確認してください）"
    }

    @Sendable func devicesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await staff(request, .manageDevices)
        let overview = try await DeviceOverview.make(dependencies, for: user)
        let layout = dependencies.layout.current
        let now = dependencies.clock.now()
        let rows = overview.devices.map { entry in
            (
                entry.office,
                DeviceRow(
                    kind: Self.kindNames[entry.kind] ?? entry.kind.rawValue, kindCode: entry.kind.rawValue, id: entry.id, name: entry.name, url: entry.url,
                    hasURL: !entry.url.isEmpty,
                    connection: entry.connected ? "● 接続中" : "○ 未接続",
                    lastSeen: entry.lastSeenAt.map { JapaneseDateTimeText.format($0) } ?? "記録なし",
                    state: Self.deviceState(entry))
            )
        }
        let deviceGroups = layout.offices.compactMap { office -> DeviceGroup? in
            let devices = rows.filter { $0.0 == office.id }.map(\.1)
            return devices.isEmpty ? nil : DeviceGroup(officeID: office.id, officeName: office.name, devices: devices)
        }
        let kiosks = layout.kiosks.filter { user.may(.manageDevices, at: $0.officeID) }.map { kiosk in
            let choice = dependencies.projection.menuChoice(kioskID: kiosk.id)
            let active = kiosk.activeMenuSet(at: now, staffChoice: choice)
            return KioskRow(
                id: kiosk.id, name: kiosk.name, active: active.name + (choice == nil ? "（時間割）" : "（職員が選択）"),
                menus: [MenuOption(id: "", name: "時間割に従う", selected: choice == nil)]
                    + kiosk.menuSets.map { MenuOption(id: $0.id, name: $0.name, selected: $0.id == choice) })
        }
        let services = layout.services.filter { user.may(.manageDevices, at: $0.officeID) }.map { service in
            let closure = dependencies.projection.closure(serviceID: service.id)
            return ServiceRow(
                id: service.id, name: "\(layout.office(service.officeID)?.name ?? "")　\(service.name)",
                closed: closure != nil, message: closure ?? "")
        }
        let notice = request.uri.queryParameters["done"].map { _ in "変更しました。画面に反映されます。" } ?? ""
        return try renderer.page(
            "staff-devices",
            DevicesModel(
                nav: StaffNav(user: user, current: .staffDevices), deviceGroups: deviceGroups, kiosks: kiosks, services: services,
                banner: Banner("devices", notice: notice)))
    }

    /// Registers this browser as the device (staff sign in on the kiosk or monitor once and press the button): it
    /// then keeps a signed cookie, which lets it print, check visitors in and count as connected.
    @Sendable func registerDevice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await staff(request, .manageDevices)
        struct Form: Decodable { let kind: String; let id: String }
        let form = try await URLEncodedFormDecoder().decode(Form.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        guard let kind = DevicePresence.Kind(rawValue: form.kind), kind != .printer else {
            throw APIError(.unprocessableContent, code: "invalid_parameter", message: "機器の種類が正しくありません。")
        }
        let device = DeviceIdentity(kind: kind, id: form.id)
        _ = try await dependencies.staff.offices.registerDevice(device, by: context.by(user))
        let page =
            switch kind {
            case .kiosk, .printer: SiteURL.kiosk(.value(device.id)).path
            case .lobby: SiteURL.displayLobby(.value(device.id)).path
            case .backyard: SiteURL.displayBackyard(.value(device.id)).path
            case .counter: SiteURL.displayCounter(.value(device.id)).path
            }
        var response = Response(status: .seeOther, headers: [.location: page])
        response.setCookie(DeviceAccess.cookie(for: device, dependencies: dependencies, secure: secureCookies))
        return response
    }

    @Sendable func chooseMenu(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await staff(request, .manageDevices)
        struct Form: Decodable { let kiosk: String; let menuSet: String? }
        let form = try await URLEncodedFormDecoder().decode(Form.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        try await dependencies.staff.offices.setKioskMenu(kioskID: form.kiosk, menuSetID: form.menuSet.flatMap { $0.isEmpty ? nil : $0 }, by: context.by(user))
        return Response(status: .seeOther, headers: [.location: SiteURL.staffDevices.href(["done": "1"])])
    }

    @Sendable func closure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await staff(request, .manageDevices)
        struct Form: Decodable { let service: String; let action: String; let message: String? }
        let form = try await URLEncodedFormDecoder().decode(Form.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        try await dependencies.staff.offices.setServiceClosed(
            serviceID: form.service, message: form.action == "close" ? form.message ?? "" : nil, by: context.by(user))
        return Response(status: .seeOther, headers: [.location: SiteURL.staffDevices.href(["done": "1"])])
    }
}

/// `11月22日 14:05` for staff lists, in the city's time zone.
enum JapaneseDateTimeText {
    static func format(_ date: Date) -> String {
        let parts = CityCalendar.gregorian.dateComponents([.month, .day], from: date)
        return "\(parts.month ?? 0)月\(parts.day ?? 0)日 " + ClockText.hoursMinutes(date)
    }
}

extension CharacterSet {
    /// Characters that may stand unescaped in one query value: `&`, `=`, `+`, `#` and `?` are escaped.
    static let urlQueryValueAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#?/"))
}
