import Foundation

/// A staff member's role (S4). The raw values are the CLI's and the API's names; `staff` is counter staff.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Everything at every office, but processing resident cases (the no-writing counter) and exporting them.
    case admin
    /// Runs their offices: counters, devices, their offices' settings, statistics and reservations.
    case officeManager = "office_manager"
    /// Counter operations, kiosk menus and closures at their offices.
    case staff
    /// Reads statistics of their offices.
    case statisticsViewer = "statistics_viewer"
    /// Works the reservation back office of their offices.
    case reservationStaff = "reservation_staff"

    public var japaneseName: String {
        switch self {
        case .admin: "管理者"
        case .officeManager: "所属長"
        case .staff: "窓口職員"
        case .statisticsViewer: "統計閲覧者"
        case .reservationStaff: "予約担当"
        }
    }

    /// The permission matrix, documented in docs/ARCHITECTURE.md and checked route by route in the tests.
    public var permissions: Set<Permission> {
        switch self {
        // Separation of duties: administrators run the system and read cases for support (masked), but do not
        // process residents' notifications or take their data out.
        case .admin: Set(Permission.allCases).subtracting([.handleResidentCases, .exportResidentCases])
        case .officeManager:
            [
                .operateCounters, .manageDevices, .viewNotifications, .editNotificationTemplates, .manageWebTickets,
                .viewStatistics, .manageReservations, .checkInReservations, .configureOffices, .viewResidentCases, .handleResidentCases,
                .exportResidentCases
            ]
        case .staff:
            [
                .operateCounters, .manageDevices, .viewNotifications, .manageWebTickets, .checkInReservations, .viewResidentCases,
                .handleResidentCases
            ]
        case .statisticsViewer: [.viewStatistics]
        case .reservationStaff: [.manageReservations, .checkInReservations]
        }
    }
}

/// One thing a role may do; office-bound permissions also need the office to be among the user's.
public enum Permission: String, Sendable, CaseIterable {
    case operateCounters, manageDevices, viewNotifications, editNotificationTemplates, manageWebTickets
    case viewStatistics, manageReservations, checkInReservations, configureOffices
    /// The no-writing counter (K3–K7): read cases (masked per role), work them, hand completed ones to the core system.
    case viewResidentCases, handleResidentCases, exportResidentCases
    /// City-wide: the whole configuration document, new offices, users, the audit log and backups.
    case configureCity, manageUsers, viewAudit

    public var isCityWide: Bool { [.configureCity, .manageUsers, .viewAudit].contains(self) }
}

public struct StaffUser: Codable, Sendable, Equatable {
    public var id: String
    public var login: String
    public var role: Role
    /// Offices the user works at; an admin works at all of them.
    public var officeIDs: [String]
    public var passwordHash: String
    public var failedSignIns: Int
    public var lockedUntil: Date?
    /// Set when an administrator chose the password in the browser: the user must replace it at first sign-in.
    public var mustChangePassword: Bool

    public init(
        id: String, login: String, role: Role, officeIDs: [String], passwordHash: String, failedSignIns: Int = 0, lockedUntil: Date? = nil,
        mustChangePassword: Bool = false
    ) {
        self.id = id
        self.login = login
        self.role = role
        self.officeIDs = officeIDs
        self.passwordHash = passwordHash
        self.failedSignIns = failedSignIns
        self.lockedUntil = lockedUntil
        self.mustChangePassword = mustChangePassword
    }

    public func mayWork(at officeID: String) -> Bool { role == .admin || officeIDs.contains(officeID) }

    /// Whether the user may do this; office-bound permissions are checked against `officeID` when one is given.
    public func may(_ permission: Permission, at officeID: String? = nil) -> Bool {
        guard role.permissions.contains(permission) else { return false }
        guard let officeID, !permission.isCityWide else { return true }
        return mayWork(at: officeID)
    }

    /// The offices whose data this permission reaches for the user, among `all`.
    public func offices(for permission: Permission, among all: [String]) -> [String] {
        all.filter { may(permission, at: $0) }
    }
}

/// The staff member on whose behalf the current task works, set by the web layer around a signed-in request, so
/// use cases can record who served a visitor without every signature carrying it.
public enum OperatingStaff {
    @TaskLocal public static var userID: String?
}

/// A signed-in browser. The token itself is only ever held by the browser; stores keep a hash of it.
public struct StaffSession: Sendable, Equatable {
    public var userID: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public init(userID: String, createdAt: Date, lastSeenAt: Date) {
        self.userID = userID
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}

public protocol UserStore: Sendable {
    func user(login: String) async throws -> StaffUser?
    func user(id: String) async throws -> StaffUser?
    /// Adds a user; throws `AccessError.loginTaken` when the login exists.
    func add(_ user: StaffUser) async throws
    func updateSignInState(userID: String, failedSignIns: Int, lockedUntil: Date?) async throws
    /// Claims one password check for the user in a single atomic step, before the password is checked: counts it
    /// as a failure in advance and, when this is the `maxFailures`-th in a row, locks the account from `now`.
    /// Nil when the account is locked (the check must not happen); else whether this claim set the lock. A lock
    /// that has run out starts a new run of failures.
    func claimSignInAttempt(userID: String, at now: Date, maxFailures: Int, lockDuration: TimeInterval) async throws -> SignInClaim?
    func allUsers() async throws -> [StaffUser]
    /// Changes role and offices.
    func updateRole(userID: String, role: Role, officeIDs: [String]) async throws
    func setPassword(userID: String, hash: String, mustChange: Bool) async throws
}

public protocol SessionStore: Sendable {
    func create(token: String, session: StaffSession) async throws
    func session(token: String) async throws -> StaffSession?
    func touch(token: String, at: Date) async throws
    func delete(token: String) async throws
    /// Removes every session last seen before `cutoff`; returns how many.
    @discardableResult func deleteIdle(lastSeenBefore cutoff: Date) async throws -> Int
}

public protocol PasswordHasher: Sendable {
    func hash(_ password: String) -> String
    func verify(_ password: String, hash: String) -> Bool
}

public enum AccessError: Error, Equatable, Sendable {
    case invalidCredentials
    case accountLocked(until: Date)
    case notSignedIn
    case forbidden
    case loginTaken(String)
    case invalidLogin
    case weakPassword
    /// Too many sign-in attempts from one client address.
    case tooManyAttempts
}

/// A password check granted by `UserStore.claimSignInAttempt`.
public struct SignInClaim: Sendable, Equatable {
    /// Set when this attempt was the last one allowed: a wrong password leaves the account locked until then.
    public var locksUntil: Date?
    public init(locksUntil: Date?) { self.locksUntil = locksUntil }
}

/// Sign-in rules: lock after repeated failures, idle sessions expire, no session outlives a working day.
public struct SignInPolicy: Sendable {
    public var maxFailures = 5
    public var lockDuration: TimeInterval = 15 * 60
    public var idleTimeout: TimeInterval = 30 * 60
    /// A session ends this long after sign-in however active it is, so a stolen cookie does not last.
    public var absoluteLifetime: TimeInterval = 12 * 60 * 60
    /// Sign-in attempts one client address may make in `clientWindow`, over every login.
    public var attemptsPerClient = 30
    public var clientWindow: TimeInterval = 10 * 60
    public init() {}

    public static func isValidLogin(_ login: String) -> Bool {
        (1...64).contains(login.count)
            && login.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-@".unicodeScalars.contains($0)
            }
    }

    /// At least 10 characters, not all of one kind, and no pattern: not a run of one step (`1234567890`, `abcdefghij`,
    /// `9876543210`) nor a short block repeated (`abcabcabca`). Dictionary words are the `PasswordStrength` checker's.
    public static func isAcceptablePassword(_ password: String) -> Bool {
        guard password.count >= 10, Set(password).count >= 4 else { return false }
        let scalars = password.lowercased().unicodeScalars.map { Int($0.value) }
        // Steps of +1 (or −1) throughout, a digit wrapping 9→0 (0→9) counted as such a step: `1234567890`.
        let steps = Set(zip(scalars.dropFirst(), scalars).map { $0 - $1 })
        if steps.isSubset(of: [0]) || steps.isSubset(of: [1, -9]) || steps.isSubset(of: [-1, 9]) { return false }
        for period in 1...(scalars.count / 2) where scalars.indices.allSatisfy({ scalars[$0] == scalars[$0 % period] }) { return false }
        return true
    }
}

/// Refuses passwords found in a dictionary of common and leaked passwords, or their simple variants; the App
/// wires Debian's cracklib.
public protocol PasswordStrengthChecker: Sendable {
    /// Nil when acceptable, else why not in Japanese.
    func weakness(of password: String, login: String) -> String?
}

/// Accepts what `SignInPolicy.isAcceptablePassword` accepts; for tests and tools without a dictionary.
public struct PatternPasswordChecker: PasswordStrengthChecker {
    public init() {}
    public func weakness(of password: String, login: String) -> String? { nil }
}

/// Signing staff in and out, and resolving a session cookie to a user.
public struct StaffAccessService: Sendable {
    public let users: any UserStore
    public let sessions: any SessionStore
    public let hasher: any PasswordHasher
    public let clock: any WallClock
    public let policy: SignInPolicy
    /// Counts attempts per client and for logins that do not exist (shared by every instance).
    public let attempts: any AttemptCounter
    public let strength: any PasswordStrengthChecker

    public init(
        users: any UserStore, sessions: any SessionStore, hasher: any PasswordHasher, clock: any WallClock, policy: SignInPolicy = SignInPolicy(),
        attempts: any AttemptCounter = InMemoryAttemptCounter(), strength: any PasswordStrengthChecker = PatternPasswordChecker()
    ) {
        self.users = users
        self.sessions = sessions
        self.hasher = hasher
        self.clock = clock
        self.policy = policy
        self.attempts = attempts
        self.strength = strength
    }

    private var clientThrottle: AttemptThrottle {
        AttemptThrottle("sign-in-client", limit: policy.attemptsPerClient, window: policy.clientWindow, counter: attempts)
    }

    /// Checks the password and opens a session; returns the user and the session token for the cookie.
    ///
    /// Each check is claimed in the database before the password is compared, so parallel guesses cannot all be
    /// checked: after `maxFailures` claims the rest are refused unchecked. A login that does not exist answers
    /// exactly as an existing one (wrong, then locked), so a lock reveals nothing.
    public func signIn(login: String, password: String, client: String = "") async throws -> (user: StaffUser, token: String) {
        let now = clock.now()
        guard try await clientThrottle.admit(client, at: now) else { throw AccessError.tooManyAttempts }
        guard let user = try await users.user(login: login) else {
            // Counted like an account's failures: the last allowed attempt and every one after answer "locked".
            let count = try await attempts.add("sign-in-unknown:" + login.lowercased(), window: policy.lockDuration, at: now)
            let lock = AccessError.accountLocked(until: now.addingTimeInterval(policy.lockDuration))
            if count > policy.maxFailures { throw lock }
            _ = hasher.verify(password, hash: Self.dummyHash)  // same cost as a real check: no user enumeration by timing
            throw count == policy.maxFailures ? lock : AccessError.invalidCredentials
        }
        guard
            let claim = try await users.claimSignInAttempt(
                userID: user.id, at: now, maxFailures: policy.maxFailures,
                lockDuration: policy.lockDuration)
        else {
            let current = try await users.user(id: user.id)?.lockedUntil
            throw AccessError.accountLocked(until: max(current ?? now, now))
        }
        guard hasher.verify(password, hash: user.passwordHash) else {
            if let lock = claim.locksUntil { throw AccessError.accountLocked(until: lock) }
            throw AccessError.invalidCredentials
        }
        try await users.updateSignInState(userID: user.id, failedSignIns: 0, lockedUntil: nil)
        let token = TokenGenerator.token(length: 43)
        // Sign-ins are rare and cheap to piggyback on: sessions idle past the timeout are removed here, so the table
        // holds only sessions that can still be used.
        try await sessions.deleteIdle(lastSeenBefore: now.addingTimeInterval(-policy.idleTimeout))
        try await sessions.create(token: token, session: StaffSession(userID: user.id, createdAt: now, lastSeenAt: now))
        return (user, token)
    }

    /// The user of a session token, or nil when it is unknown or idle for too long (the session is then removed).
    public func user(sessionToken token: String) async throws -> StaffUser? {
        guard let session = try await sessions.session(token: token) else { return nil }
        let now = clock.now()
        if now.timeIntervalSince(session.lastSeenAt) > policy.idleTimeout || now.timeIntervalSince(session.createdAt) > policy.absoluteLifetime {
            try await sessions.delete(token: token)
            return nil
        }
        // Writing on every request would make each click a database write; a minute's precision is enough.
        if now.timeIntervalSince(session.lastSeenAt) > 60 { try await sessions.touch(token: token, at: now) }
        return try await users.user(id: session.userID)
    }

    public func signOut(sessionToken token: String) async throws {
        try await sessions.delete(token: token)
    }

    /// Creates a user. A password the operator gives on the command line is final; one an administrator types in
    /// the browser is only initial (`mustChangePassword`), since the administrator knows it.
    public func addUser(login: String, role: Role, officeIDs: [String], password: String, mustChangePassword: Bool = false) async throws -> StaffUser {
        guard SignInPolicy.isValidLogin(login) else { throw AccessError.invalidLogin }
        try checkStrength(password, login: login)
        let user = StaffUser(
            id: TokenGenerator.ticketID(), login: login, role: role, officeIDs: role == .admin ? [] : officeIDs,
            passwordHash: hasher.hash(password), mustChangePassword: mustChangePassword)
        try await users.add(user)
        return user
    }

    /// The user replaces their own password; the current one must be right and the new one different and acceptable.
    public func changeOwnPassword(user: StaffUser, current: String, new: String) async throws {
        guard hasher.verify(current, hash: user.passwordHash) else { throw AccessError.invalidCredentials }
        guard new != current else { throw AccessError.weakPassword }
        try checkStrength(new, login: user.login)
        try await users.setPassword(userID: user.id, hash: hasher.hash(new), mustChange: false)
    }

    /// An administrator sets a new initial password (for a forgotten one); it must be changed at the next sign-in,
    /// and the lock is lifted.
    public func resetPassword(userID: String, to password: String) async throws {
        try checkStrength(password, login: try await users.user(id: userID)?.login ?? "")
        try await users.setPassword(userID: userID, hash: hasher.hash(password), mustChange: true)
        try await users.updateSignInState(userID: userID, failedSignIns: 0, lockedUntil: nil)
    }

    /// Throws `weakPassword` for a short, patterned, common or login-like password.
    func checkStrength(_ password: String, login: String) throws {
        guard SignInPolicy.isAcceptablePassword(password) else { throw AccessError.weakPassword }
        if !login.isEmpty, password.lowercased().contains(login.lowercased()) { throw AccessError.weakPassword }
        if strength.weakness(of: password, login: login) != nil { throw AccessError.weakPassword }
    }

    /// A valid bcrypt hash of a random string, verified against when the login is unknown.
    static let dummyHash = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.qHs4a1YQ5pXbS7H1nH6wR4M2iP1W"
}

extension Permission {
    /// What staff read in the permission table.
    public var japaneseName: String {
        switch self {
        case .operateCounters: "窓口の呼出し操作"
        case .manageDevices: "発券メニュー・受付停止・機器の確認"
        case .viewNotifications: "お知らせの送信状況"
        case .editNotificationTemplates: "お知らせ文面の編集"
        case .manageWebTickets: "ウェブ発券の到着確認"
        case .viewStatistics: "統計の閲覧と書き出し"
        case .manageReservations: "予約の管理（検索・代理予約・取消・書出し）"
        case .checkInReservations: "予約の来庁受付（消し込み）"
        case .configureOffices: "担当窓口の設定"
        case .viewResidentCases: "書かない窓口の届出の閲覧（役割ごとの伏せ字）"
        case .handleResidentCases: "書かない窓口の届出の作成・編集・処理"
        case .exportResidentCases: "住民記録システムへの書出し"
        case .configureCity: "市全体の設定（読込・書出し）"
        case .manageUsers: "職員と役割の管理"
        case .viewAudit: "監査ログ・バックアップ"
        }
    }
}
