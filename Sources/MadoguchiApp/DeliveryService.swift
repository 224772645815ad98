import Foundation
import Logging
import MadoguchiCore
import MadoguchiMessaging
import MadoguchiStorage
import ServiceLifecycle

/// Sends queued notifications while the server runs: at once when queued, and every two seconds for retries; every
/// hour it erases what is left of earlier days.
struct DeliveryService: ServiceLifecycle.Service {
    let runtime: MadoguchiRuntime
    let senders: [ContactChannel: any MessageSender]
    /// Audit entries older than this are deleted (S5 asks for at least a year).
    var auditRetentionDays = MadoguchiSettings().auditRetentionDays
    /// Cases of the no-writing counter keep their personal data this long after their last change (K5, K6).
    var caseRetentionDays = MadoguchiSettings().caseRetentionDays
    var retryInterval: Duration = .seconds(2)

    func run() async throws {
        let dispatcher = OutboxDispatcher(store: runtime.notificationStore, senders: senders, clock: runtime.clock)
        let logger = runtime.logger
        let runtime = self.runtime
        let retryInterval = self.retryInterval
        let auditRetentionDays = self.auditRetentionDays
        let caseRetentionDays = self.caseRetentionDays
        /// Runs one job, logging its failure; a job cut short by shutdown is not a failure.
        @Sendable func attempt(_ failure: String, _ job: () async throws -> Void) async {
            do { try await job() } catch {
                if error is CancellationError || Task.isCancelled { return }
                logger.error("\(failure): \(error)")
            }
        }
        @Sendable func round() async {
            await attempt("notification delivery failed") { try await dispatcher.deliverDue() }
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in runtime.outboxWakeUps { await round() }
                }
                group.addTask {
                    var tick = 0
                    while !Task.isCancelled {
                        if tick % 1800 == 0 {  // at start and hourly
                            let today = CityCalendar.businessDate(of: runtime.clock.now())
                            await attempt("contact purge failed") { try await runtime.notificationStore.purge(before: today, at: runtime.clock.now()) }
                            // Yesterday's statistics rollup (reports would do it on demand; this keeps them fast).
                            let weekAgo = CityCalendar.businessDate(of: runtime.clock.now().addingTimeInterval(-7 * 86_400))
                            let yesterday = CityCalendar.businessDate(of: runtime.clock.now().addingTimeInterval(-86_400))
                            await attempt("statistics rollup failed") {
                                try await SQLStatisticsStore(database: runtime.database, clock: runtime.clock).rollUp(from: weekAgo, to: yesterday)
                            }
                            let cutoff = runtime.clock.now().addingTimeInterval(-Double(auditRetentionDays) * 86_400)
                            // Attempt windows last a day at most; older rows only take room.
                            await attempt("attempt counts not purged") {
                                try await SQLAttemptCounter(database: runtime.database, digest: runtime.webDependencies.keyedDigest)
                                    .purge(startedBefore: runtime.clock.now().addingTimeInterval(-2 * 86_400))
                            }
                            await attempt("audit retention failed") { _ = try await runtime.audit.prune(before: cutoff) }
                            // The chain's head in the server log, an anchor outside the database: `madoguchi audit
                            // verify --anchor` finds entries removed after it.
                            await attempt("audit chain head not read") {
                                if let head = try await runtime.audit.head() { logger.notice("audit chain head", metadata: ["anchor": "\(head)"]) }
                            }
                            let caseCutoff = runtime.clock.now().addingTimeInterval(-Double(caseRetentionDays) * 86_400)
                            await attempt("case purge failed") {
                                let purged = try await runtime.cases.store.purge(changedBefore: caseCutoff)
                                if purged > 0 { logger.info("resident cases purged: \(purged)") }
                            }
                        }
                        if tick % 30 == 0 {  // page views counted in memory, once a minute
                            let counts = runtime.webDependencies.webAccess.drain()
                            do { try await runtime.webDependencies.staff.statistics.store.addWebAccess(counts) } catch {
                                runtime.webDependencies.webAccess.restore(counts)
                                logger.error("web access counts not written: \(error)")
                            }
                        }
                        if tick % 30 == 0 {  // reservations: tomorrow's reminders once, lapsed bookings, erased contacts
                            await attempt("reservation jobs failed") {
                                try await runtime.reservations.queueReminders()
                                try await runtime.reservations.expire()
                            }
                        }
                        if tick % 15 == 0 {  // offices watched by other instances' subscriptions
                            await attempt("watched offices not refreshed") { try await runtime.notifications.refreshWatchedOffices() }
                        }
                        await attempt("web ticket holds not expired") { try await runtime.queue.expireWebHolds() }
                        await round()
                        tick += 1
                        try? await Task.sleep(for: retryInterval)
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
