import Foundation
import HummingbirdBcrypt
import Logging
import MadoguchiCore
import MadoguchiDocuments
import MadoguchiStorage
import MadoguchiWeb

/// The composition root: opens the database, wires Storage's implementations into Core's use cases and rebuilds
/// the in-memory projection. Used by `serve`, by the other subcommands and by the tests.
public struct MadoguchiRuntime: Sendable {
    public let database: Database
    public let layout: LayoutSource
    public let projection: QueueProjection
    /// Live subscribers (SSE); receives every event after the projection has applied it.
    public let events: EventHub
    public let queue: QueueService
    public let staffAccess: StaffAccessService
    public let devices: SQLDeviceStore
    public let notificationStore: SQLNotificationStore
    public let notifications: VisitorNotifications
    public let reservations: ReservationService
    /// The no-writing counter: cases, forms, PDFs.
    public let cases: ResidentCaseService
    /// The audit log, keyed with the data key ring.
    public let audit: SQLAuditLog
    /// Woken when messages are queued, so the delivery loop sends them at once.
    public let outboxWakeUps: AsyncStream<Void>
    /// What the web layer is given; built once, so every route shares one device-presence tracker.
    public let webDependencies: WebDependencies
    public let clock: any WallClock
    public let logger: Logger

    /// `cipher` seals contact data; without one a random key lives only as long as the process (tests, CLI).
    public static func open(
        _ url: DatabaseURL, clock: any WallClock = SystemClock(), migrate: Bool, logger: Logger = Logger(label: "madoguchi"),
        cipher: ContactCipher? = nil, publicBaseURL: String = "http://127.0.0.1:8080", signInPolicy: SignInPolicy = SignInPolicy(),
        forms: FormCatalogue? = nil, masking: CaseMaskingPolicy = .standard
    ) async throws -> MadoguchiRuntime {
        let database = try await Database.open(url, logger: logger)
        do {
            if migrate {
                try await Migrator.migrate(database)
            } else {
                let pending = try await Migrator.pendingVersions(database)
                guard pending.isEmpty else { throw SchemaOutOfDate(pending: pending) }
            }
            let layout = LayoutSource(try await SQLLayoutStore(database: database).load())
            let projection = QueueProjection(layout: layout, clock: clock)
            let events = EventHub()
            let store = SQLQueueStore(database: database)
            let cipher = try cipher ?? ContactCipher(parsing: ContactCipher.newKeyText(id: "ephemeral"))
            let notificationStore = SQLNotificationStore(database: database, cipher: cipher)
            let (outboxWakeUps, wakeOutbox) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            let notifications = VisitorNotifications(
                store: notificationStore, projection: projection, layout: layout, clock: clock, publicBaseURL: publicBaseURL,
                attempts: SQLAttemptCounter(database: database, digest: cipher), queued: { wakeOutbox.yield() })
            let layoutReloader = LayoutReloader(database: database, layout: layout, logger: logger)
            // Order matters: configuration first, then the projection, then what reads it (notifications, screens).
            let queue = QueueService(
                store: store, layout: layout, clock: clock,
                publisher: EventFanOut([
                    layoutReloader, projection, PredictionRecorder(database: database, projection: projection, logger: logger),
                    notifications, events
                ]))
            let attempts = SQLAttemptCounter(database: database, digest: cipher)
            let staffAccess = StaffAccessService(
                users: SQLUserStore(database: database), sessions: SQLSessionStore(database: database), hasher: BcryptHasher(), clock: clock,
                policy: signInPolicy, attempts: attempts, strength: CrackLibChecker())
            let devices = SQLDeviceStore(database: database)
            let audit = SQLAuditLog(database: database, keys: cipher)
            let reservationStore = SQLReservationStore(database: database, cipher: cipher)
            let reservations = ReservationService(
                store: reservationStore, layout: layout, queue: queue, clock: clock,
                manageURL: publicBaseURL + "/reserve/manage", attempts: attempts, mailQueued: { wakeOutbox.yield() })
            let cases = ResidentCaseService(
                store: SQLCaseStore(database: database, cipher: cipher), forms: try forms ?? FormLibrary.load(), renderer: PDFFormRenderer(),
                masking: masking, layout: layout, audit: audit, clock: clock)
            var web = WebDependencies(
                layout: layout, queue: queue, projection: projection, events: events, staffAccess: staffAccess, devices: devices,
                notifications: notifications, settingsStore: SQLLayoutStore(database: database),
                keyedDigest: cipher, audit: audit, clock: clock,
                statistics: SQLStatisticsStore(database: database, clock: clock),
                configuration: ConfigurationService(store: SQLLayoutStore(database: database), audit: audit, queue: queue, clock: clock),
                addresses: SQLAddressDirectory(database: database), reservations: reservations,
                reservationIDs: ReservationIDFiles(store: reservationStore, layout: layout, audit: audit, clock: clock), cases: cases)
            web.attempts = attempts
            web.administration.lastBackup = {
                try await Backup.lastRun(in: database).map {
                    BackupStatus(at: $0.at, file: $0.file, bytes: $0.bytes, verified: $0.verified, message: $0.message)
                }
            }
            let runtime = MadoguchiRuntime(
                database: database, layout: layout, projection: projection, events: events, queue: queue, staffAccess: staffAccess,
                devices: devices, notificationStore: notificationStore, notifications: notifications, reservations: reservations, cases: cases, audit: audit,
                outboxWakeUps: outboxWakeUps,
                webDependencies: web,
                clock: clock, logger: logger)
            try await runtime.rebuildProjection()
            return runtime
        } catch {
            await database.close()
            throw error
        }
    }

    /// Reloads configuration and today's queue from the database.
    public func rebuildProjection() async throws {
        layout.replace(with: try await SQLLayoutStore(database: database).load())
        projection.reset(with: try await queue.store.snapshot(businessDate: CityCalendar.businessDate(of: clock.now())))
    }

    /// Follows events of other instances on a shared PostgreSQL database; returns at once on SQLite.
    public func followOtherInstances(onListening: @Sendable @escaping () -> Void = {}) async {
        await PostgresEventListener(database: database, publisher: queue.publisher, logger: logger).run(onListening: onListening)
    }

    public func close() async { await database.close() }
}

/// Reloads the stored configuration when any instance announces a change.
struct LayoutReloader: EventPublisher {
    let database: Database
    let layout: LayoutSource
    let logger: Logger
    func publish(_ events: [DomainEvent]) async {
        guard events.contains(where: { $0.kind == .configurationChanged }) else { return }
        do {
            layout.replace(with: try await SQLLayoutStore(database: database).load())
        } catch {
            logger.error("configuration not reloaded: \(error)")
        }
    }
}

/// Keeps the wait a visitor was told at issue (S2: predicted against actual). Runs after the projection, which then
/// knows the new ticket's estimate; only the first instance to see the ticket writes it.
struct PredictionRecorder: EventPublisher {
    let database: Database
    let projection: QueueProjection
    let logger: Logger
    func publish(_ events: [DomainEvent]) async {
        for event in events where event.kind == .ticketIssued {
            guard let ticket = event.ticket, let minutes = projection.ticketView(id: ticket.id)?.estimatedWaitMinutes else { continue }
            do {
                try await SQLQueueStore(database: database).recordPredictedWait(ticketID: ticket.id, seconds: minutes * 60)
            } catch {
                logger.error("predicted wait not recorded: \(error)")
            }
        }
    }
}

public struct SchemaOutOfDate: Error, CustomStringConvertible {
    public let pending: [Int]
    public var description: String {
        "データベースのスキーマが古いため起動しません。先に `madoguchi migrate` を実行してください（未適用: \(pending.map(String.init).joined(separator: ", "))）。"
    }
}

/// bcrypt from hummingbird-auth. Cost 11: about a tenth of a second per check on the target hardware.
struct BcryptHasher: PasswordHasher {
    func hash(_ password: String) -> String { Bcrypt.hash(password, cost: 11) }
    func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }
}

extension MadoguchiRuntime {
    /// Opens a runtime for one command, runs `body` with it and closes it on every path, thrown errors included.
    @discardableResult
    static func using<T>(
        _ url: DatabaseURL, migrate: Bool, logger: Logger = Logger(label: "madoguchi"), cipher: ContactCipher? = nil,
        publicBaseURL: String = "http://127.0.0.1:8080", signInPolicy: SignInPolicy = SignInPolicy(), forms: FormCatalogue? = nil,
        masking: CaseMaskingPolicy = .standard, _ body: (MadoguchiRuntime) async throws -> T
    ) async throws -> T {
        let runtime = try await open(
            url, migrate: migrate, logger: logger, cipher: cipher, publicBaseURL: publicBaseURL, signInPolicy: signInPolicy,
            forms: forms, masking: masking)
        do {
            let value = try await body(runtime)
            await runtime.close()
            return value
        } catch {
            await runtime.close()
            throw error
        }
    }
}

extension Database {
    /// Opens the database for one command, runs `body` and closes it on every path.
    static func using<T>(_ url: DatabaseURL, _ body: (Database) async throws -> T) async throws -> T {
        let database = try await open(url)
        do {
            let value = try await body(database)
            await database.close()
            return value
        } catch {
            await database.close()
            throw error
        }
    }
}
