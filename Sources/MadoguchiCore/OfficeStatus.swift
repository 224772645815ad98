import Foundation

/// Live status of one office as every screen and the API show it (Q7, W1).
public struct OfficeStatus: Codable, Sendable, Equatable {
    public var office: String
    public var asOf: Date
    public var services: [ServiceStatus]
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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(waiting, forKey: .waiting)
        try container.encode(estimatedWaitMinutes, forKey: .estimatedWaitMinutes)  // null, not absent
        try container.encode(calling, forKey: .calling)
        try container.encode(stages, forKey: .stages)
    }
}

public struct StageStatus: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var waiting: Int
    public var calling: [String]
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
    }
}
