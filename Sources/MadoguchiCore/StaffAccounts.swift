import Foundation

/// Signing in and out and the administration of staff accounts, audited whichever entry point asks (the staff
/// pages, the API, the command line): every sign-in attempt, failed or not, every password and role change.
public struct StaffAccounts: Sendable {
    public let access: StaffAccessService
    let audit: AuditTrail

    public init(access: StaffAccessService, audit: any AuditLog) {
        self.access = access
        self.audit = AuditTrail(log: audit, clock: access.clock)
    }

    /// Checks the credentials (also their size) through `channel` (`api`, `page`) from `address` and opens a
    /// session; returns the user and the session token.
    public func signIn(login: String, password: String, via channel: String, from address: String) async throws -> (user: StaffUser, token: String) {
        do {
            guard !login.isEmpty, !password.isEmpty, login.count <= 64, password.count <= 256 else { throw AccessError.invalidCredentials }
            let (user, token) = try await access.signIn(login: login, password: password, client: address)
            try await audit.record("session.sign_in", by: .staff(user, address: address), target: channel)
            return (user, token)
        } catch {
            // The refusal is what the caller needs; a failure to audit it must not replace it.
            try? await audit.record("session.sign_in_failed", actor: String(login.prefix(64)), address: address, target: channel)
            throw error
        }
    }

    /// Ends the session of `token`, audited when it was a live one.
    public func signOut(sessionToken token: String, via channel: String, from address: String) async throws {
        if let user = try await access.user(sessionToken: token) {
            try await audit.record("session.sign_out", by: .staff(user, address: address), target: channel)
        }
        try await access.signOut(sessionToken: token)
    }

    /// The user replaces their own password; every session ended with it, so a new one is opened and its token
    /// returned.
    public func changeOwnPassword(user: StaffUser, current: String, new: String, from address: String) async throws -> String {
        try await access.changeOwnPassword(user: user, current: current, new: new)
        try await audit.record("user.password_changed", by: .staff(user, address: address), target: user.login)
        return try await access.signIn(login: user.login, password: new, client: address).token
    }

    func checkManager(_ actor: Operator) throws {
        guard actor.holds(.manageUsers) else { throw AccessError.forbidden }
    }

    /// Every account, for their administrators.
    public func users(by actor: Operator) async throws -> [StaffUser] {
        try checkManager(actor)
        return try await access.users.allUsers()
    }

    public func user(id: String, by actor: Operator) async throws -> StaffUser? {
        try checkManager(actor)
        return try await access.users.user(id: id)
    }

    /// Adds an account. From a browser the password is an initial one (`mustChangePassword`): its administrator
    /// knows it.
    public func addUser(
        login: String, role: Role, officeIDs: [String], password: String, mustChangePassword: Bool, by actor: Operator
    ) async throws -> StaffUser {
        try checkManager(actor)
        let user = try await access.addUser(login: login, role: role, officeIDs: officeIDs, password: password, mustChangePassword: mustChangePassword)
        try await audit.record("user.add", by: actor, target: user.login, detail: "\(role.rawValue) \(user.officeIDs.joined(separator: ","))")
        return user
    }

    public func updateRole(of user: StaffUser, to role: Role, officeIDs: [String], by actor: Operator) async throws {
        try checkManager(actor)
        try await access.users.updateRole(userID: user.id, role: role, officeIDs: officeIDs)
        try await audit.record(
            "user.role", by: actor, target: user.login,
            detail: AuditTrail.change(
                before: "\(user.role.rawValue) \(user.officeIDs.joined(separator: ","))", after: "\(role.rawValue) \(officeIDs.joined(separator: ","))"))
    }

    /// Sets a new initial password for a forgotten one, lifting the lock.
    public func resetPassword(of user: StaffUser, to password: String, by actor: Operator) async throws {
        try checkManager(actor)
        try await access.resetPassword(userID: user.id, to: password)
        try await audit.record("user.password_reset", by: actor, target: user.login)
    }
}
