import Crypto
import Foundation
import MadoguchiCore
import SQLKit

/// Staff accounts.
public struct SQLUserStore: UserStore {
    let database: Database
    public init(database: Database) { self.database = database }

    public func user(login: String) async throws -> StaffUser? {
        try await fetch("login", login)
    }

    public func user(id: String) async throws -> StaffUser? {
        try await fetch("id", id)
    }

    private func fetch(_ column: String, _ value: String) async throws -> StaffUser? {
        try await database.withConnection { db in
            guard let row = try await db.raw("SELECT * FROM users WHERE \(ident: column) = \(bind: value)").first() else { return nil }
            let id = try row.decode(column: "id", as: String.self)
            let offices = try await db.raw("SELECT office_id FROM user_offices WHERE user_id = \(bind: id) ORDER BY office_id").all()
                .map { try $0.decode(column: "office_id", as: String.self) }
            return StaffUser(
                id: id, login: try row.decode(column: "login", as: String.self),
                role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .staff, officeIDs: offices,
                passwordHash: try row.decode(column: "password_hash", as: String.self),
                failedSignIns: try row.decode(column: "failed_sign_ins", as: Int.self),
                lockedUntil: try row.decode(column: "locked_until", as: Int64?.self).map(Timestamp.date),
                mustChangePassword: try row.decode(column: "must_change_password", as: Int.self) != 0)
        }
    }

    public func allUsers() async throws -> [StaffUser] {
        let ids = try await database.withConnection { db in
            try await db.raw("SELECT id FROM users ORDER BY login").all().map { try $0.decode(column: "id", as: String.self) }
        }
        var users: [StaffUser] = []
        for id in ids { if let user = try await fetch("id", id) { users.append(user) } }
        return users
    }

    public func updateRole(userID: String, role: Role, officeIDs: [String]) async throws {
        try await database.transaction { db in
            try await db.raw("UPDATE users SET role = \(bind: role.rawValue) WHERE id = \(bind: userID)").run()
            try await db.raw("DELETE FROM user_offices WHERE user_id = \(bind: userID)").run()
            for office in Set(officeIDs) where role != .admin {
                try await db.raw("INSERT INTO user_offices (user_id, office_id) VALUES (\(bind: userID), \(bind: office))").run()
            }
        }
    }

    public func setPassword(userID: String, hash: String, mustChange: Bool) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE users SET password_hash = \(bind: hash), must_change_password = \(bind: mustChange ? 1 : 0) WHERE id = \(bind: userID)
                """
            ).run()
            // A new password ends every other session of the user.
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
        }
    }

    public func add(_ user: StaffUser) async throws {
        try await database.transaction { db in
            guard try await db.raw("SELECT id FROM users WHERE login = \(bind: user.login)").first() == nil else {
                throw AccessError.loginTaken(user.login)
            }
            try await db.raw(
                """
                INSERT INTO users (id, login, role, password_hash, failed_sign_ins, locked_until, created_at, must_change_password)
                VALUES (\(bind: user.id), \(bind: user.login), \(bind: user.role.rawValue), \(bind: user.passwordHash), 0, NULL,
                  \(bind: Timestamp.micros(Date())), \(bind: user.mustChangePassword ? 1 : 0))
                """
            ).run()
            for office in Set(user.officeIDs) {
                try await db.raw("INSERT INTO user_offices (user_id, office_id) VALUES (\(bind: user.id), \(bind: office))").run()
            }
        }
    }

    public func claimSignInAttempt(userID: String, at now: Date, maxFailures: Int, lockDuration: TimeInterval) async throws -> SignInClaim? {
        let stamp = Timestamp.micros(now), lock = Timestamp.micros(now.addingTimeInterval(lockDuration))
        return try await database.withConnection { db in
            // One statement reads, checks and counts: the WHERE refuses a locked account (PostgreSQL re-checks it on
            // the row it waited for), so parallel guesses are claimed one after another and the sixth finds the lock.
            // A lock that has run out (still set, so past) starts a new run at 1.
            try await db.raw(
                """
                UPDATE users SET
                  failed_sign_ins = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_sign_ins + 1 END,
                  locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_sign_ins + 1 END) >= \(bind: maxFailures)
                    THEN \(bind: lock) ELSE NULL END
                WHERE id = \(bind: userID) AND (locked_until IS NULL OR locked_until <= \(bind: stamp))
                RETURNING locked_until
                """
            ).first().map { row in SignInClaim(locksUntil: try row.decode(column: "locked_until", as: Int64?.self).map(Timestamp.date)) }
        }
    }

    public func updateSignInState(userID: String, failedSignIns: Int, lockedUntil: Date?) async throws {
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE users SET failed_sign_ins = \(bind: failedSignIns), locked_until = \(bind: lockedUntil.map(Timestamp.micros))
                WHERE id = \(bind: userID)
                """
            ).run()
        }
    }
}

/// Staff sessions, shared by every instance. Only a SHA-256 of each token is stored, so a copy of the database
/// does not let anyone sign in.
public struct SQLSessionStore: SessionStore {
    let database: Database
    public init(database: Database) { self.database = database }

    static func hash(_ token: String) -> String { SecretDigest.hex(token) }

    public func create(token: String, session: StaffSession) async throws {
        try await database.withConnection { db in
            try await db.raw(
                """
                INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at)
                VALUES (\(bind: Self.hash(token)), \(bind: session.userID), \(bind: Timestamp.micros(session.createdAt)),
                  \(bind: Timestamp.micros(session.lastSeenAt)))
                """
            ).run()
        }
    }

    public func session(token: String) async throws -> StaffSession? {
        try await database.withConnection { db in
            try await db.raw("SELECT * FROM sessions WHERE token_hash = \(bind: Self.hash(token))").first().map { row in
                StaffSession(
                    userID: try row.decode(column: "user_id", as: String.self),
                    createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)),
                    lastSeenAt: Timestamp.date(try row.decode(column: "last_seen_at", as: Int64.self)))
            }
        }
    }

    public func touch(token: String, at date: Date) async throws {
        try await database.withConnection { db in
            try await db.raw("UPDATE sessions SET last_seen_at = \(bind: Timestamp.micros(date)) WHERE token_hash = \(bind: Self.hash(token))").run()
        }
    }

    public func delete(token: String) async throws {
        try await database.withConnection { db in
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: Self.hash(token))").run()
        }
    }

    @discardableResult
    public func deleteIdle(lastSeenBefore cutoff: Date) async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("DELETE FROM sessions WHERE last_seen_at < \(bind: Timestamp.micros(cutoff)) RETURNING token_hash").all().count
        }
    }
}

/// SHA-256 in hex of a bearer secret (session token, print-agent key): what is stored instead of the secret.
enum SecretDigest {
    static func hex(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
