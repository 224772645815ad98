import Foundation
import Logging
import MadoguchiCore
import PostgresNIO

/// Brings events committed by other instances on the same PostgreSQL database into this instance's projection.
/// Each transaction NOTIFYs the sequences of its events; this listener fetches them and publishes locally.
/// The projection ignores sequences it has already applied, including this instance's own.
public struct PostgresEventListener: Sendable {
    public static let channel = "madoguchi_events"

    let database: Database
    let store: SQLQueueStore
    let publisher: any EventPublisher
    let logger: Logger

    public init(database: Database, publisher: any EventPublisher, logger: Logger) {
        self.database = database
        self.store = SQLQueueStore(database: database)
        self.publisher = publisher
        self.logger = logger
    }

    /// Listens until cancelled, reconnecting after connection failures.
    public func run(onListening: @Sendable @escaping () -> Void = {}) async {
        guard let client = database.postgresClient else { return }
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        onListening()
                        for try await notification in notifications {
                            let sequences = notification.payload.split(separator: ",").compactMap { Int64($0) }
                            let events = try await store.events(sequences: sequences)
                            await publisher.publish(events)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("event listener reconnecting", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
