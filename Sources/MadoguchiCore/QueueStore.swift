import Foundation

/// Persistence of the queue, implemented by Storage on SQLite and PostgreSQL.
public protocol QueueStore: Sendable {
    /// Runs `body` in one database transaction that serialises writers: everything it wrote commits together or
    /// not at all.
    func transaction<T: Sendable>(_ body: @Sendable (any QueueTransaction) async throws -> T) async throws -> T
    /// State the in-memory projection is rebuilt from at start-up.
    func snapshot(businessDate: String) async throws -> QueueSnapshot
    /// A ticket by its token, from any day.
    func ticket(token: String) async throws -> Ticket?
    /// Stored events by sequence (used by other instances).
    func events(sequences: [Int64]) async throws -> [DomainEvent]
    /// Events of an office after a sequence, oldest first, at most `limit` (to resume a live stream).
    func events(officeID: String, after sequence: Int64, limit: Int) async throws -> [DomainEvent]
}

/// The operations a use case may perform inside one transaction.
public protocol QueueTransaction: Sendable {
    /// Serialises operations on one counter across instances; returns whether the counter is open on that day.
    func lockCounter(_ counterID: String, businessDate: String) async throws -> Bool
    func setCounterOpen(_ counterID: String, open: Bool, at now: Date) async throws
    /// Reserves the next free number of the service for the day (wrapping, skipping numbers still active) and
    /// the ticket's sequence among the day's tickets of the service; nil when every number is in use.
    func reserveNumber(for service: Service, businessDate: String) async throws -> (number: Int, sequence: Int)?
    func insert(_ ticket: Ticket) async throws
    /// Writes `ticket` if the stored row still has `expectedVersion`; false when another writer changed it first.
    func update(_ ticket: Ticket, expectedVersion: Int) async throws -> Bool
    func currentTicket(counterID: String, businessDate: String) async throws -> Ticket?
    /// Waiting tickets the counter may call, in `WaitingLine` call order, at most `limit`. Rows returned may be
    /// locked for this transaction where the database supports it.
    func callCandidates(for counter: Counter, businessDate: String, limit: Int) async throws -> [Ticket]
    /// Active tickets of the office with this number today (several services may share a number).
    func activeTickets(officeID: String, number: Int, businessDate: String) async throws -> [Ticket]
    func record(_ serviceRecord: ServiceRecord) async throws
    /// Persists events and returns them with their sequences; other instances are told after commit.
    func append(_ events: [DomainEvent]) async throws -> [DomainEvent]
    /// The message of the service's closure on that day, nil while it is open.
    func serviceClosure(serviceID: String, businessDate: String) async throws -> String?
    func setServiceClosure(serviceID: String, businessDate: String, message: String?) async throws
    func setKioskMenuChoice(kioskID: String, businessDate: String, menuSetID: String?) async throws
    /// Web tickets of the service on the day, and those issued since `hourStart`.
    func webTicketCounts(serviceID: String, businessDate: String, hourStart: Date) async throws -> (day: Int, hour: Int)
    /// Whether an active web ticket of the day was taken with this contact (compared by keyed digest).
    func hasActiveWebTicket(contactDigest: String, businessDate: String) async throws -> Bool
    func recordWebContact(ticketID: String, contactDigest: String, businessDate: String) async throws
    /// Web tickets held for check-in whose time is up.
    func expiredWebHolds(businessDate: String, now: Date) async throws -> [Ticket]
    /// Queues a ticket for the kiosk's print agent.
    func addPrintJob(ticketID: String, kioskID: String, businessDate: String, at: Date) async throws
}

/// Everything the projection needs about one business day.
public struct QueueSnapshot: Sendable {
    public var businessDate: String
    public var tickets: [Ticket]
    /// Most recent service records per stage, newest last, at most `WaitEstimate.sampleSize` each.
    public var recentServiceRecords: [ServiceRecord]
    public var openCounterIDs: Set<String>
    /// Services closed for the day, with their messages.
    public var serviceClosures: [String: String]
    /// Menu sets staff chose for the day, by kiosk.
    public var kioskMenuChoices: [String: String]
    public init(
        businessDate: String, tickets: [Ticket], recentServiceRecords: [ServiceRecord], openCounterIDs: Set<String>,
        serviceClosures: [String: String] = [:], kioskMenuChoices: [String: String] = [:]
    ) {
        self.businessDate = businessDate
        self.tickets = tickets
        self.recentServiceRecords = recentServiceRecords
        self.openCounterIDs = openCounterIDs
        self.serviceClosures = serviceClosures
        self.kioskMenuChoices = kioskMenuChoices
    }
}
