import Foundation

/// Live status of one office as every screen and the API show it (Q7, W1).
public struct OfficeStatus: Codable, Sendable, Equatable {
    public var office: String
    public var asOf: Date
    public var services: [ServiceStatus]
    /// Tickets being served now, most recent call first: what lobby monitors list.
    public var calls: [CallStatus]
    /// Counters of the office open today.
    public var openCounters: Int
}

/// A number being served and where.
public struct CallStatus: Codable, Sendable, Equatable {
    public var displayNumber: String
    public var service: String
    public var stage: String
    public var counter: String
    public var counterName: String
    public var calledAt: Date
}

public struct ServiceStatus: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// Tickets of the service waiting at any of its stages.
    public var waiting: Int
    /// Estimated wait of a ticket issued now (at the first stage), nil until there is data.
    public var estimatedWaitMinutes: Int?
    /// Display numbers being served at any stage, most recent call first.
    public var calling: [String]
    public var stages: [StageStatus]
    /// Tickets of the service issued today (all states).
    public var issuedToday: Int
    /// Numbers called but not present (「お呼びしましたがいらっしゃいませんでした」), oldest first.
    public var absent: [String]
    /// Numbers put on hold by a counter.
    public var held: [String]
    /// Why the service is closed for the rest of the day; null while it is open.
    public var closedMessage: String?

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(waiting, forKey: .waiting)
        try container.encode(estimatedWaitMinutes, forKey: .estimatedWaitMinutes)  // null, not absent
        try container.encode(calling, forKey: .calling)
        try container.encode(stages, forKey: .stages)
        try container.encode(issuedToday, forKey: .issuedToday)
        try container.encode(absent, forKey: .absent)
        try container.encode(held, forKey: .held)
        try container.encode(closedMessage, forKey: .closedMessage)
    }
}

public struct StageStatus: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var waiting: Int
    public var calling: [String]
    /// When the ticket waiting longest at this stage was issued; null when nobody waits.
    public var oldestWaitingSince: Date?
    /// Open counters serving this stage.
    public var openCounters: Int

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(waiting, forKey: .waiting)
        try container.encode(calling, forKey: .calling)
        try container.encode(oldestWaitingSince, forKey: .oldestWaitingSince)
        try container.encode(openCounters, forKey: .openCounters)
    }
}

/// What a counter console shows: the ticket being served and the lines of the counter's stages (Q5).
public struct CounterBoard: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var id: String
        public var number: Int
        public var displayNumber: String
        public var service: String
        public var stage: String
        public var state: TicketState
        public var issuedAt: Date
        public var queuedAt: Date
        /// Set for tickets transferred to one counter.
        public var assignedCounter: String?
        /// The counter that held it or marked it absent.
        public var counter: String?
    }
    public var counter: String
    public var open: Bool
    public var current: Entry?
    public var currentCalledAt: Date?
    /// In the order this counter calls them.
    public var waiting: [Entry]
    public var held: [Entry]
    public var absent: [Entry]

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(counter, forKey: .counter)
        try container.encode(open, forKey: .open)
        try container.encode(current, forKey: .current)
        try container.encode(currentCalledAt, forKey: .currentCalledAt)
        try container.encode(waiting, forKey: .waiting)
        try container.encode(held, forKey: .held)
        try container.encode(absent, forKey: .absent)
    }
}

extension CounterBoard.Entry {
    init(_ ticket: Ticket) {
        self.init(
            id: ticket.id, number: ticket.number, displayNumber: ticket.displayNumber, service: ticket.serviceID,
            stage: ticket.stageID, state: ticket.state, issuedAt: ticket.issuedAt, queuedAt: ticket.queuedAt,
            assignedCounter: ticket.assignedCounterID, counter: ticket.counterID)
    }
}

/// A ticket as its holder and the API see it (W3).
public struct TicketView: Codable, Sendable, Equatable {
    public var id: String
    public var token: String
    public var office: String
    public var number: Int
    public var displayNumber: String
    public var service: String
    public var stage: String
    public var state: TicketState
    public var priority: Bool
    public var issuedAt: Date
    /// Tickets called before this one at its stage; 0 when called; nil when held, absent or finished.
    public var peopleAhead: Int?
    public var estimatedWaitMinutes: Int?
    /// The counter that called it (or holds it), if any.
    public var counter: String?
    /// Web tickets only: whether the holder has checked in at the office.
    public var checkedIn: Bool?

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(token, forKey: .token)
        try container.encode(office, forKey: .office)
        try container.encode(number, forKey: .number)
        try container.encode(displayNumber, forKey: .displayNumber)
        try container.encode(service, forKey: .service)
        try container.encode(stage, forKey: .stage)
        try container.encode(state, forKey: .state)
        try container.encode(priority, forKey: .priority)
        try container.encode(issuedAt, forKey: .issuedAt)
        try container.encode(peopleAhead, forKey: .peopleAhead)
        try container.encode(estimatedWaitMinutes, forKey: .estimatedWaitMinutes)
        try container.encode(counter, forKey: .counter)
        try container.encodeIfPresent(checkedIn, forKey: .checkedIn)
    }
}
