import Foundation
import Hummingbird
import MadoguchiCore

/// The staff home (`/staff`), changing one's own password (`/staff/password`) and, for administrators, users and
/// roles (`/admin/users`, S4).
struct UserPagesController {
    let dependencies: WebDependencies
    let renderer: PageRenderer
    let secureCookies: Bool

    func register(on router: Router<AppRequestContext>) {
        router.get(SiteURL.staff, use: home)
        router.get(SiteURL.staffPassword, use: passwordPage)
        router.post(SiteURL.staffPassword, use: changePassword)
        router.get(SiteURL.adminUsers, use: usersPage)
        router.post(SiteURL.adminUsers, use: addUser)
        router.post(SiteURL.adminUser(.key), use: updateUser)
    }

    // MARK: Home

    struct Option: Sendable { let id: String; let name: String }
    /// An office's counters under its name, so a clerk of five offices finds theirs at a glance.
    struct CounterGroup: Sendable { let officeID: String; let officeName: String; let counters: [Option] }
    struct HomeModel: Sendable {
        let nav: StaffNav; let offices: String; let counterGroups: [CounterGroup]; let hasCounters: Bool; let banner: Banner
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await StaffPageAccess.user(request, dependencies: dependencies, permission: nil)
        let layout = dependencies.layout.current
        let groups = layout.offices.compactMap { office -> CounterGroup? in
            let counters = layout.counters(in: office.id).filter { _ in user.may(.operateCounters, at: office.id) }.map { Option(id: $0.id, name: $0.name) }
            return counters.isEmpty ? nil : CounterGroup(officeID: office.id, officeName: office.name, counters: counters)
        }
        let offices = user.role == .admin ? "すべての窓口" : user.officeIDs.map { layout.office($0)?.name ?? $0 }.joined(separator: "、")
        let notice = request.uri.queryParameters["changed"] != nil ? "パスワードを変更しました。" : ""
        return try renderer.page(
            "staff-home",
            HomeModel(
                nav: StaffNav(user: user, current: .staff), offices: offices.isEmpty ? "（なし）" : offices, counterGroups: groups,
                hasCounters: !groups.isEmpty, banner: Banner(notice: notice, error: "", noticeID: "notice", errorID: "home-error")))
    }

    // MARK: Own password

    struct PasswordModel: Sendable { let next: String; let mustChange: Bool; let banner: Banner }

    @Sendable func passwordPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = try await StaffAuthentication.user(of: request, dependencies: dependencies) else {
            return Response(status: .seeOther, headers: [.location: SiteURL.staffSignIn.path + "?next=" + SiteURL.staffPassword.path])
        }
        let next = StaffPagesController.safeNext(request.uri.queryParameters["next"].map(String.init))
        return try renderer.page("staff-password", PasswordModel(next: next, mustChange: user.mustChangePassword, banner: Banner("password")))
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = try await StaffAuthentication.user(of: request, dependencies: dependencies) else { throw APIError.notSignedIn }
        struct Form: Decodable { let current: String?; let new: String?; let confirmation: String?; let next: String? }
        let form = try await URLEncodedFormDecoder().decode(Form.self, from: String(buffer: try await request.body.collect(upTo: 4096)))
        let next = StaffPagesController.safeNext(form.next)
        func refuse(_ message: String) throws -> Response {
            var response = try renderer.page(
                "staff-password", PasswordModel(next: next, mustChange: user.mustChangePassword, banner: Banner("password", error: message)))
            response.status = .unprocessableContent
            return response
        }
        guard form.new == form.confirmation else { return try refuse("新しいパスワードが確認欄と一致しません。") }
        let token: String
        do {
            token = try await dependencies.staff.accounts.changeOwnPassword(
                user: user, current: form.current ?? "", new: form.new ?? "", from: context.clientAddress)
        } catch AccessError.invalidCredentials {
            return try refuse("今のパスワードが違います。")
        } catch AccessError.weakPassword {
            return try refuse("新しいパスワードは10文字以上、4種類以上の文字で、今のものと違うものにしてください。")
        }
        // Changing the password ended every session, this one too: the use case signed in again with the new one.
        var response = Response(status: .seeOther, headers: [.location: next == SiteURL.staff.path ? SiteURL.staff.href(["changed": "1"]) : next])
        response.setCookie(StaffAuthentication.sessionCookie(token, secure: secureCookies))
        return response
    }

    // MARK: Users and roles

    struct RoleOption: Sendable { let value: String; let label: String; let selected: Bool }
    /// One office as a check box: staff tick offices by name instead of typing their slugs.
    struct OfficeChoice: Sendable { let inputID: String; let id: String; let name: String; let checked: Bool }
    struct UserRow: Sendable {
        let id: String; let login: String; let roleName: String; let offices: String; let officeChoices: [OfficeChoice]; let state: String
        let roles: [RoleOption]
    }
    struct MatrixCell: Sendable { let mark: String }
    struct MatrixRow: Sendable { let label: String; let cells: [MatrixCell] }
    struct UsersModel: Sendable {
        let nav: StaffNav
        let users: [UserRow]
        let allRoles: [RoleOption]
        let matrix: [MatrixRow]
        /// The add form, holding what was typed when it was refused.
        let newLogin: String
        let newOffices: [OfficeChoice]
        let idleMinutes: Int
        let banner: Banner
    }

    @Sendable func usersPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .manageUsers)
        let notice = request.uri.queryParameters["done"].map { _ in "保存しました。" } ?? ""
        return try await renderUsers(admin, notice: notice, error: "")
    }

    private func officeChoices(_ layout: OfficeLayout, prefix: String, checked: [String]) -> [OfficeChoice] {
        layout.offices.map { OfficeChoice(inputID: "\(prefix)-\($0.id)", id: $0.id, name: $0.name, checked: checked.contains($0.id)) }
    }

    private func renderUsers(_ admin: StaffUser, notice: String, error: String, draft: UserForm? = nil) async throws -> Response {
        let layout = dependencies.layout.current
        let now = dependencies.clock.now()
        let users = try await dependencies.staff.accounts.users(by: .staff(admin, address: "")).map { user in
            let state =
                if let locked = user.lockedUntil, locked > now { "🔒 \(ClockText.hoursMinutesSeconds(locked))まで停止中" } else if user.mustChangePassword {
                    "初期パスワード（未変更）"
                } else { "利用中" }
            return UserRow(
                id: user.id, login: user.login, roleName: user.role.japaneseName,
                offices: user.role == .admin ? "すべて" : user.officeIDs.map { layout.office($0)?.name ?? $0 }.joined(separator: "、"),
                officeChoices: officeChoices(layout, prefix: "offices-\(user.id)", checked: user.officeIDs), state: state,
                roles: Role.allCases.map { RoleOption(value: $0.rawValue, label: $0.japaneseName, selected: $0 == user.role) })
        }
        let roles = Role.allCases.map { RoleOption(value: $0.rawValue, label: $0.japaneseName, selected: $0.rawValue == draft?.role) }
        let matrix = Permission.allCases.map { permission in
            MatrixRow(
                label: permission.japaneseName,
                cells: Role.allCases.map {
                    MatrixCell(mark: $0.permissions.contains(permission) ? (permission.isCityWide || $0 == .admin ? "○" : "○（担当窓口）") : "—")
                })
        }
        var response = try renderer.page(
            "admin-users",
            UsersModel(
                nav: StaffNav(user: admin, current: .adminUsers), users: users, allRoles: roles, matrix: matrix,
                newLogin: draft?.login ?? "", newOffices: officeChoices(layout, prefix: "new-office", checked: draft?.offices ?? []),
                idleMinutes: Int(dependencies.staff.access.policy.idleTimeout / 60),
                banner: Banner(notice: notice, error: error, noticeID: "notice", errorID: "users-error")))
        if !error.isEmpty { response.status = .unprocessableContent }
        return response
    }

    struct UserForm: Sendable {
        let login: String?; let role: String?; let offices: [String]; let password: String?

        /// Offices come as ticked check boxes (one `offices` field each); a comma-separated list, as scripts and
        /// older pages send it, is read too.
        init(_ body: String) throws {
            let fields = try FormFields(decoding: body)
            login = fields.value("login")
            role = fields.value("role")
            password = fields.value("password")
            offices = fields.all("offices").flatMap { $0.split(whereSeparator: { $0 == "," || $0 == "、" || $0 == " " }).map(String.init) }
        }
    }

    /// The role and offices of a form, checked against the configuration.
    private func roleAndOffices(_ form: UserForm) -> Result<(Role, [String]), UserFormError> {
        guard let role = form.role.flatMap(Role.init(rawValue:)) else { return .failure(UserFormError("役割を選んでください。")) }
        let offices = form.offices
        let layout = dependencies.layout.current
        if let unknown = offices.first(where: { layout.office($0) == nil }) { return .failure(UserFormError("窓口「\(unknown)」はありません。")) }
        if role != .admin, offices.isEmpty { return .failure(UserFormError("管理者以外は担当の窓口を1つ以上指定してください。")) }
        return .success((role, offices))
    }
    struct UserFormError: Error { let message: String; init(_ message: String) { self.message = message } }

    @Sendable func addUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .manageUsers)
        let form = try UserForm(String(buffer: try await request.body.collect(upTo: 4096)))
        let role: Role, offices: [String]
        switch roleAndOffices(form) {
        case .failure(let error): return try await renderUsers(admin, notice: "", error: error.message, draft: form)
        case .success(let value): (role, offices) = value
        }
        do {
            _ = try await dependencies.staff.accounts.addUser(
                login: form.login ?? "", role: role, officeIDs: offices, password: form.password ?? "", mustChangePassword: true,
                by: context.by(admin))
        } catch let error as AccessError {
            return try await renderUsers(admin, notice: "", error: APIError(error).message, draft: form)
        }
        return Response(status: .seeOther, headers: [.location: SiteURL.adminUsers.href(["done": "1"])])
    }

    @Sendable func updateUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try await StaffPageAccess.user(request, dependencies: dependencies, permission: .manageUsers)
        let form = try UserForm(String(buffer: try await request.body.collect(upTo: 4096)))
        guard let user = try await dependencies.staff.accounts.user(id: try context.parameters.require("user"), by: context.by(admin)) else {
            throw APIError(.notFound, code: "user_not_found", message: "その職員は見つかりません。")
        }
        let role: Role, offices: [String]
        switch roleAndOffices(form) {
        case .failure(let error): return try await renderUsers(admin, notice: "", error: "\(user.login): \(error.message)")
        case .success(let value): (role, offices) = value
        }
        if user.id == admin.id, role != .admin { return try await renderUsers(admin, notice: "", error: "自分自身の管理者の役割は外せません。") }
        if role != user.role || offices.sorted() != user.officeIDs.sorted() {
            try await dependencies.staff.accounts.updateRole(of: user, to: role, officeIDs: offices, by: context.by(admin))
        }
        if let password = form.password, !password.isEmpty {
            do {
                try await dependencies.staff.accounts.resetPassword(of: user, to: password, by: context.by(admin))
            } catch AccessError.weakPassword {
                return try await renderUsers(admin, notice: "", error: "\(user.login): パスワードは10文字以上、4種類以上の文字にしてください。")
            }
        }
        return Response(status: .seeOther, headers: [.location: SiteURL.adminUsers.href(["done": "1"])])
    }
}
