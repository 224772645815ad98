import Foundation
import Hummingbird
import MadoguchiCore

/// Staff sign-in and sign-out (S4). The session lives in the database; the browser holds only an HttpOnly cookie.
struct SessionAPIController {
    /// Over HTTPS the cookie carries the `__Host-` prefix: the browser then takes it only from this host, secure,
    /// for path `/` — a sibling subdomain cannot plant a session of its own choosing.
    static func cookieName(secure: Bool) -> String { secure ? "__Host-madoguchi_session" : "madoguchi_session" }
    let dependencies: WebDependencies
    let secureCookies: Bool

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("session", use: signIn)
        api.delete("session", use: signOut)
        api.get("session", use: current)
        api.post("session/password", use: changePassword)
    }

    struct PasswordChange: Decodable { let current: String; let new: String }

    /// Replaces the signed-in user's password (also an initial one, which blocks everything else until then).
    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = try await StaffAuthentication.user(of: request, dependencies: dependencies) else { throw APIError.notSignedIn }
        let body = try await JSONIO.decode(PasswordChange.self, from: request, context: context)
        let token: String
        do {
            token = try await dependencies.staff.accounts.changeOwnPassword(user: user, current: body.current, new: body.new, from: context.clientAddress)
        } catch AccessError.invalidCredentials {
            throw APIError(.unprocessableContent, code: "wrong_current_password", message: "今のパスワードが違います。")
        }
        var response = Response(status: .noContent)
        response.setCookie(StaffAuthentication.sessionCookie(token, secure: secureCookies))
        return response
    }

    struct SignInRequest: Decodable { let login: String; let password: String }
    struct SessionAnswer: Encodable {
        let login: String; let role: Role; let offices: [String]; let mustChangePassword: Bool
        init(_ user: StaffUser) { login = user.login; role = user.role; offices = user.officeIDs; mustChangePassword = user.mustChangePassword }
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONIO.decode(SignInRequest.self, from: request, context: context)
        let (user, token) = try await StaffAuthentication.signIn(
            login: body.login, password: body.password, via: "api", context: context, dependencies: dependencies)
        var response = try JSONIO.response(SessionAnswer(user))
        response.setCookie(StaffAuthentication.sessionCookie(token, secure: secureCookies))
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await StaffAuthentication.signOut(request, via: "api", context: context, dependencies: dependencies)
        var response = Response(status: .noContent)
        response.setCookie(StaffAuthentication.sessionCookie("", secure: secureCookies))
        return response
    }

    @Sendable func current(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = try await StaffAuthentication.user(of: request, dependencies: dependencies) else { throw APIError.notSignedIn }
        return try JSONIO.response(SessionAnswer(user))
    }
}

/// Sign-in and sign-out shared by the API and the staff pages: the same use cases (which audit them) and cookie.
enum StaffAuthentication {
    static func signIn(
        login: String, password: String, via channel: String, context: AppRequestContext, dependencies: WebDependencies
    ) async throws -> (user: StaffUser, token: String) {
        try await dependencies.staff.accounts.signIn(login: login, password: password, via: channel, from: context.clientAddress)
    }

    /// Ends the request's session, if any.
    static func signOut(_ request: Request, via channel: String, context: AppRequestContext, dependencies: WebDependencies) async throws {
        guard let token = request.cookies[SessionAPIController.cookieName(secure: dependencies.secureCookies)]?.value else { return }
        try await dependencies.staff.accounts.signOut(sessionToken: token, via: channel, from: context.clientAddress)
    }

    /// The session cookie; an empty token clears it.
    static func sessionCookie(_ token: String, secure: Bool) -> Cookie {
        token.isEmpty
            ? Cookie(name: SessionAPIController.cookieName(secure: secure), value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
            : Cookie(name: SessionAPIController.cookieName(secure: secure), value: token, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func user(of request: Request, dependencies: WebDependencies) async throws -> StaffUser? {
        guard let token = request.cookies[SessionAPIController.cookieName(secure: dependencies.secureCookies)]?.value, !token.isEmpty, token.count <= 128 else {
            return nil
        }
        return try await dependencies.staff.access.user(sessionToken: token)
    }
}

/// Lets only signed-in staff through; the user is put into the request context.
struct RequireStaffMiddleware: RouterMiddleware {
    let dependencies: WebDependencies

    /// The request's outcome, beside the use case's own entry; a failure to write it is logged, never turned into a
    /// failed request (what it records has happened).
    func record(_ action: String, user: StaffUser, request: Request, context: AppRequestContext, outcome: String) async {
        do {
            try await dependencies.administration.audit.record(action, by: context.by(user), target: request.uri.path, detail: outcome)
        } catch {
            context.logger.error("audit entry not written: \(error)")
        }
    }
    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard let user = try await StaffAuthentication.user(of: request, dependencies: dependencies) else { throw APIError.notSignedIn }
        // An initial password set by an administrator is known to two people; nothing works until it is replaced.
        if user.mustChangePassword { throw APIError.passwordChangeRequired }
        var context = context
        context.staff = user
        // Every staff change is audited with its outcome (S5); reads are not.
        guard request.method != .get else { return try await OperatingStaff.$userID.withValue(user.id) { try await next(request, context) } }
        let action = "\(request.method.rawValue) \(context.endpointPath ?? request.uri.path)"
        do {
            let response = try await OperatingStaff.$userID.withValue(user.id) { try await next(request, context) }
            await record(action, user: user, request: request, context: context, outcome: "\(response.status.code)")
            return response
        } catch {
            let code = (error as? APIError)?.code ?? (error as? DomainError).map { APIError($0).code } ?? "error"
            await record(action, user: user, request: request, context: context, outcome: "refused: \(code)")
            throw error
        }
    }
}

extension AppRequestContext {
    /// The signed-in user when they may do this at the office (or city-wide); otherwise `forbidden`.
    func require(_ permission: Permission, at officeID: String? = nil) throws -> StaffUser {
        guard let staff else { throw APIError.notSignedIn }
        guard staff.may(permission, at: officeID) else { throw APIError.forbidden }
        return staff
    }
}
