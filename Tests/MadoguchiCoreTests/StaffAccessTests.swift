import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Synchronization
import Testing

@Suite("Staff sign-in (S4)")
struct StaffAccessTests {
    final class Users: UserStore {
        let users = Mutex<[String: StaffUser]>([:])
        func user(login: String) async throws -> StaffUser? { users.withLock { $0.values.first { $0.login == login } } }
        func user(id: String) async throws -> StaffUser? { users.withLock { $0[id] } }
        func add(_ user: StaffUser) async throws {
            try users.withLock { users in
                if users.values.contains(where: { $0.login == user.login }) { throw AccessError.loginTaken(user.login) }
                users[user.id] = user
            }
        }
        func updateSignInState(userID: String, failedSignIns: Int, lockedUntil: Date?) async throws {
            users.withLock {
                $0[userID]?.failedSignIns = failedSignIns; $0[userID]?.lockedUntil = lockedUntil
            }
        }
        func claimSignInAttempt(userID: String, at now: Date, maxFailures: Int, lockDuration: TimeInterval) async throws -> SignInClaim? {
            users.withLock { users in
                guard var user = users[userID] else { return nil }
                if let locked = user.lockedUntil, locked > now { return nil }
                user.failedSignIns = user.lockedUntil != nil ? 1 : user.failedSignIns + 1
                user.lockedUntil = user.failedSignIns >= maxFailures ? now.addingTimeInterval(lockDuration) : nil
                users[userID] = user
                return SignInClaim(locksUntil: user.lockedUntil)
            }
        }
        func allUsers() async throws -> [StaffUser] { users.withLock { Array($0.values) } }
        func updateRole(userID: String, role: Role, officeIDs: [String]) async throws {
            users.withLock {
                $0[userID]?.role = role; $0[userID]?.officeIDs = officeIDs
            }
        }
        func setPassword(userID: String, hash: String, mustChange: Bool) async throws {
            users.withLock {
                $0[userID]?.passwordHash = hash; $0[userID]?.mustChangePassword = mustChange
            }
        }
    }
    final class Sessions: SessionStore {
        let sessions = Mutex<[String: StaffSession]>([:])
        func create(token: String, session: StaffSession) async throws { sessions.withLock { $0[token] = session } }
        func session(token: String) async throws -> StaffSession? { sessions.withLock { $0[token] } }
        func touch(token: String, at: Date) async throws { sessions.withLock { $0[token]?.lastSeenAt = at } }
        func delete(token: String) async throws { _ = sessions.withLock { $0.removeValue(forKey: token) } }
        func deleteIdle(lastSeenBefore cutoff: Date) async throws -> Int {
            sessions.withLock { sessions in
                let idle = sessions.filter { $0.value.lastSeenAt < cutoff }.map(\.key)
                for token in idle { sessions.removeValue(forKey: token) }
                return idle.count
            }
        }
    }
    struct ReversingHasher: PasswordHasher {
        func hash(_ password: String) -> String { String(password.reversed()) }
        func verify(_ password: String, hash: String) -> Bool { String(password.reversed()) == hash }
    }

    func makeService() -> (StaffAccessService, TestClock) {
        let clock = TestClock()
        return (StaffAccessService(users: Users(), sessions: Sessions(), hasher: ReversingHasher(), clock: clock), clock)
    }

    @Test("five failed sign-ins lock the account for fifteen minutes, even for the right password")
    func lockout() async throws {
        let (access, clock) = makeService()
        _ = try await access.addUser(login: "tanaka", role: .staff, officeIDs: ["main"], password: "correct horse battery")
        for _ in 1...4 {
            await #expect(throws: AccessError.invalidCredentials) { try await access.signIn(login: "tanaka", password: "wrong password") }
        }
        await #expect(throws: AccessError.self) { try await access.signIn(login: "tanaka", password: "wrong password") }
        await #expect(throws: AccessError.self) { try await access.signIn(login: "tanaka", password: "correct horse battery") }
        clock.advance(seconds: 15 * 60 + 1)
        let (user, token) = try await access.signIn(login: "tanaka", password: "correct horse battery")
        #expect(user.login == "tanaka" && !token.isEmpty)
        #expect(try await access.user(sessionToken: token)?.id == user.id)
    }

    @Test("sessions end on sign-out and after thirty idle minutes")
    func sessions() async throws {
        let (access, clock) = makeService()
        _ = try await access.addUser(login: "sato", role: .admin, officeIDs: [], password: "a long passphrase")
        let (_, token) = try await access.signIn(login: "sato", password: "a long passphrase")
        clock.advance(seconds: 29 * 60)
        #expect(try await access.user(sessionToken: token) != nil)  // activity renews the idle timer
        clock.advance(seconds: 29 * 60)
        #expect(try await access.user(sessionToken: token) != nil)
        clock.advance(seconds: 31 * 60)
        #expect(try await access.user(sessionToken: token) == nil)
        let (_, second) = try await access.signIn(login: "sato", password: "a long passphrase")
        try await access.signOut(sessionToken: second)
        #expect(try await access.user(sessionToken: second) == nil)
    }

    @Test("unknown logins, bad logins, weak passwords and duplicate logins are refused")
    func refusals() async throws {
        let (access, _) = makeService()
        await #expect(throws: AccessError.invalidCredentials) { try await access.signIn(login: "nobody", password: "whatever it is") }
        await #expect(throws: AccessError.invalidLogin) {
            try await access.addUser(login: "has space", role: .staff, officeIDs: [], password: "a long passphrase")
        }
        await #expect(throws: AccessError.weakPassword) { try await access.addUser(login: "ok", role: .staff, officeIDs: [], password: "short") }
        await #expect(throws: AccessError.weakPassword) { try await access.addUser(login: "ok", role: .staff, officeIDs: [], password: "aaaaaaaaaaaa") }
        _ = try await access.addUser(login: "ok", role: .staff, officeIDs: [], password: "a long passphrase")
        await #expect(throws: AccessError.loginTaken("ok")) {
            try await access.addUser(login: "ok", role: .staff, officeIDs: [], password: "a long passphrase")
        }
    }

    @Test("staff work only at their offices; admins everywhere")
    func offices() {
        let staff = StaffUser(id: "1", login: "a", role: .staff, officeIDs: ["main"], passwordHash: "")
        let admin = StaffUser(id: "2", login: "b", role: .admin, officeIDs: [], passwordHash: "")
        #expect(staff.mayWork(at: "main") && !staff.mayWork(at: "other") && admin.mayWork(at: "other"))
    }

    @Test("each role has its permissions, office-bound ones only at the user's offices")
    func permissionMatrix() {
        func user(_ role: Role) -> StaffUser { StaffUser(id: role.rawValue, login: role.rawValue, role: role, officeIDs: ["main"], passwordHash: "") }
        #expect(user(.staff).may(.operateCounters, at: "main") && !user(.staff).may(.operateCounters, at: "other"))
        #expect(!user(.staff).may(.viewStatistics, at: "main") && !user(.staff).may(.configureOffices, at: "main"))
        #expect(user(.statisticsViewer).may(.viewStatistics, at: "main") && !user(.statisticsViewer).may(.operateCounters, at: "main"))
        #expect(user(.reservationStaff).may(.manageReservations, at: "main") && !user(.reservationStaff).may(.viewStatistics, at: "main"))
        #expect(user(.officeManager).may(.configureOffices, at: "main") && !user(.officeManager).may(.configureOffices, at: "other"))
        #expect(!user(.officeManager).may(.manageUsers) && !user(.officeManager).may(.viewAudit))
        #expect(
            Permission.allCases.filter { user(.admin).may($0, at: "anywhere") }
                == Permission.allCases.filter { ![.handleResidentCases, .exportResidentCases].contains($0) })
        #expect(user(.staff).may(.handleResidentCases, at: "main") && !user(.staff).may(.exportResidentCases, at: "main"))
        #expect(user(.officeManager).may(.exportResidentCases, at: "main") && !user(.statisticsViewer).may(.viewResidentCases, at: "main"))
        #expect(user(.statisticsViewer).offices(for: .viewStatistics, among: ["main", "other"]) == ["main"])
    }

    @Test("an initial password set by an administrator must be changed; the new one must differ and be acceptable")
    func passwordChange() async throws {
        let (access, _) = makeService()
        let added = try await access.addUser(login: "kato", role: .staff, officeIDs: ["main"], password: "initial password 1", mustChangePassword: true)
        let (signedIn, _) = try await access.signIn(login: "kato", password: "initial password 1")
        #expect(signedIn.mustChangePassword)
        await #expect(throws: AccessError.invalidCredentials) {
            try await access.changeOwnPassword(user: signedIn, current: "wrong one here", new: "my own phrase 2")
        }
        await #expect(throws: AccessError.weakPassword) {
            try await access.changeOwnPassword(user: signedIn, current: "initial password 1", new: "initial password 1")
        }
        try await access.changeOwnPassword(user: signedIn, current: "initial password 1", new: "my own phrase 2")
        let (after, _) = try await access.signIn(login: "kato", password: "my own phrase 2")
        #expect(!after.mustChangePassword && after.id == added.id)
        try await access.resetPassword(userID: added.id, to: "reset by admin 3")
        #expect(try await access.signIn(login: "kato", password: "reset by admin 3").user.mustChangePassword)
    }
}
