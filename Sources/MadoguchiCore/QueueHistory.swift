import Foundation

/// Reading the queue's past: events to replay to a screen that reconnects, and tickets of earlier days.
extension QueueService {
    /// An office's events after `sequence`, oldest first, at most `limit`.
    public func events(officeID: String, after sequence: Int64, limit: Int) async throws -> [DomainEvent] {
        try await store.events(officeID: officeID, after: sequence, limit: limit)
    }

    /// A ticket of any day by its token (today's are answered by the projection without the database).
    public func archivedTicket(token: String) async throws -> Ticket? {
        guard token.count <= 64 else { return nil }
        return try await store.ticket(token: token)
    }
}
