import Foundation

/// What happened; every change to the queue yields at least one event. Events carry the ticket as it is after the
/// change, so a projection applies them without reading the database.
public enum DomainEventKind: String, Codable, Sendable {
    case ticketIssued
    case ticketCalled
    case ticketRecalled
    case ticketHeld
    case ticketMarkedAbsent
    case ticketCancelled
    /// Finished a stage and now waits at the next stage of its route.
    case ticketMovedToStage
    /// Finished its last stage.
    case ticketDone
    case ticketTransferred
    /// The holder of a web ticket arrived at the office.
    case ticketCheckedIn
    case counterOpened
    case counterClosed
    /// Staff closed a service for the rest of the day; kiosks show the message instead of issuing.
    case serviceClosed
    case serviceReopened
    /// Staff chose a kiosk's menu set for the rest of the day (nil menu set: back to the schedule).
    case kioskMenuChanged
    /// Stored configuration changed: every instance reloads it.
    case configurationChanged
}

/// Time a counter spent serving one ticket at one stage: the input of wait estimates (Q11) and statistics.
public struct ServiceRecord: Codable, Sendable, Equatable {
    public var ticketID: String
    public var serviceID: String
    public var stageID: String
    public var counterID: String
    public var calledAt: Date
    public var finishedAt: Date
    /// For statistics (S1): the office, when the ticket joined this stage's line, and the signed-in staff member.
    public var officeID: String?
    public var queuedAt: Date?
    public var staffID: String?
    public init(
        ticketID: String, serviceID: String, stageID: String, counterID: String, calledAt: Date, finishedAt: Date,
        officeID: String? = nil, queuedAt: Date? = nil, staffID: String? = nil
    ) {
        self.ticketID = ticketID
        self.serviceID = serviceID
        self.stageID = stageID
        self.counterID = counterID
        self.calledAt = calledAt
        self.finishedAt = finishedAt
        self.officeID = officeID
        self.queuedAt = queuedAt
        self.staffID = staffID
    }
    public var seconds: Double { max(0, finishedAt.timeIntervalSince(calledAt)) }
}

public struct DomainEvent: Codable, Sendable, Equatable {
    /// Assigned by the store when the event is persisted; increases with commit order per database.
    public var sequence: Int64?
    public var kind: DomainEventKind
    public var officeID: String
    public var occurredAt: Date
    public var ticket: Ticket?
    public var counterID: String?
    public var serviceRecord: ServiceRecord?
    /// For service closures.
    public var serviceID: String?
    /// For kiosk menu changes.
    public var kioskID: String?
    public var menuSetID: String?
    /// The closure message shown to visitors.
    public var message: String?

    public init(
        kind: DomainEventKind, officeID: String, occurredAt: Date, ticket: Ticket? = nil, counterID: String? = nil,
        serviceRecord: ServiceRecord? = nil, sequence: Int64? = nil, serviceID: String? = nil, kioskID: String? = nil,
        menuSetID: String? = nil, message: String? = nil
    ) {
        self.kind = kind
        self.officeID = officeID
        self.occurredAt = occurredAt
        self.ticket = ticket
        self.counterID = counterID
        self.serviceRecord = serviceRecord
        self.sequence = sequence
        self.serviceID = serviceID
        self.kioskID = kioskID
        self.menuSetID = menuSetID
        self.message = message
    }
}

/// Delivers committed events to this process's subscribers (projection, live screens).
public protocol EventPublisher: Sendable {
    func publish(_ events: [DomainEvent]) async
}
