import Hummingbird
import Logging
import MadoguchiStorage
import MadoguchiWeb
import NIOCore
import ServiceLifecycle

/// The whole server for an open runtime: every route, and the services that run beside it (notification delivery
/// and purges, the daily backup, following other instances on PostgreSQL), all taken from `settings`. `serve` runs
/// it; tests run it through HummingbirdTesting.
public func buildApplication(
    settings: MadoguchiSettings, runtime: MadoguchiRuntime, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    var delivery = DeliveryService(runtime: runtime, senders: MessageSenders.configured(settings))
    delivery.caseRetentionDays = settings.caseRetentionDays
    delivery.auditRetentionDays = settings.auditRetentionDays
    var services: [any ServiceLifecycle.Service] = [delivery]
    if let backup = settings.backup {
        services.append(BackupService(runtime: runtime, directory: backup.directory, minuteOfDay: backup.minuteOfDay, keep: backup.keep))
    }
    if runtime.database.kind == .postgres { services.append(FollowerService(runtime: runtime)) }
    return Application(
        router: try buildRouter(runtime.webDependencies, settings: settings.web),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "madoguchi"),
        services: services,
        onServerRunning: onServerRunning,
        logger: runtime.logger)
}

/// Applies events of other instances to this instance's projection while the server runs.
struct FollowerService: ServiceLifecycle.Service {
    let runtime: MadoguchiRuntime
    func run() async throws {
        await cancelWhenGracefulShutdown { await runtime.followOtherInstances() }
    }
}
