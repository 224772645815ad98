import Foundation

/// Where a ticket is in its life. Only `waiting` tickets are in a line; `called` tickets are at a counter.
public enum TicketState: String, Codable, Sendable, CaseIterable {
    case waiting, called, held, absent, done, cancelled

    /// States in which the ticket still belongs to the day's queue.
    public var isActive: Bool { self != .done && self != .cancelled }
}

/// A visitor's numbered ticket. It keeps its id, token and number through every stage and transfer.
public struct Ticket: Codable, Sendable, Equatable {
    public var id: String
    /// Unguessable token the visitor holds (ticket page, QR code).
    public var token: String
    public var officeID: String
    public var serviceID: String
    /// Date in Asia/Tokyo the ticket belongs to, `YYYY-MM-DD`.
    public var businessDate: String
    public var number: Int
    public var displayNumber: String
    /// Issued for a checked-in booking: called before ordinary tickets of its line.
    public var priority: Bool
    public var state: TicketState
    public var stageID: String
    /// The counter that called, held or marked the ticket absent.
    public var counterID: String?
    /// Set by a transfer to a counter: only that counter calls the ticket.
    public var assignedCounterID: String?
    /// Ordinal of the ticket among the service's tickets of the day (never wraps): the tie-breaker of a line.
    public var sequence: Int
    public var issuedAt: Date
    /// Arrival at the current stage: the order key of its line.
    public var queuedAt: Date
    public var calledAt: Date?
    /// Optimistic-concurrency version, incremented on every change.
    public var version: Int
    /// Set for tickets taken on the web (W5).
    public var web: WebTicketInfo?

    public init(
        id: String, token: String, officeID: String, serviceID: String, businessDate: String, number: Int,
        displayNumber: String, priority: Bool, state: TicketState, stageID: String, counterID: String?,
        assignedCounterID: String?, sequence: Int, issuedAt: Date, queuedAt: Date, calledAt: Date?, version: Int, web: WebTicketInfo? = nil
    ) {
        self.web = web
        self.id = id
        self.token = token
        self.officeID = officeID
        self.serviceID = serviceID
        self.businessDate = businessDate
        self.number = number
        self.displayNumber = displayNumber
        self.priority = priority
        self.state = state
        self.stageID = stageID
        self.counterID = counterID
        self.assignedCounterID = assignedCounterID
        self.sequence = sequence
        self.issuedAt = issuedAt
        self.queuedAt = queuedAt
        self.calledAt = calledAt
        self.version = version
    }
}

// MARK: - State transitions (Q5, Q6). Each returns the changed ticket or throws when the state does not allow it.

extension Ticket {
    /// Call the ticket to `counter`; a waiting, held or absent ticket may be called (calling clears its absence).
    public func called(by counterID: String, at now: Date) throws -> Ticket {
        guard state == .waiting || state == .held || state == .absent else {
            throw DomainError.ticketNotCallable(displayNumber: displayNumber, state: state)
        }
        var next = self
        next.state = .called
        next.counterID = counterID
        next.assignedCounterID = nil
        next.calledAt = now
        next.version += 1
        return next
    }

    public func held() throws -> Ticket { try leavingCounter(to: .held) }
    public func markedAbsent() throws -> Ticket { try leavingCounter(to: .absent) }

    /// Cancel a ticket that is being served or has not been called yet.
    public func cancelled() throws -> Ticket {
        guard state.isActive else { throw DomainError.ticketNotActive(displayNumber: displayNumber, state: state) }
        var next = self
        next.state = .cancelled
        next.assignedCounterID = nil
        next.version += 1
        return next
    }

    /// Finish the current stage: wait at the next stage of the route (same number, same identity), or be done.
    public func finished(nextStage: Stage?, at now: Date) throws -> Ticket {
        guard state == .called else { throw DomainError.ticketNotCalled(displayNumber: displayNumber, state: state) }
        var next = self
        if let nextStage {
            next.state = .waiting
            next.stageID = nextStage.id
            next.queuedAt = now
            next.counterID = nil
            next.calledAt = nil
        } else {
            next.state = .done
        }
        next.assignedCounterID = nil
        next.version += 1
        return next
    }

    /// Send the ticket to another stage, optionally reserved for one counter. It keeps its place: its order key
    /// (arrival at the stage it was at) is kept, so a visitor sent on is not put at the end of the new line.
    public func transferred(toStage stageID: String, assignedCounter: String?) throws -> Ticket {
        guard state == .called else { throw DomainError.ticketNotCalled(displayNumber: displayNumber, state: state) }
        var next = self
        next.state = .waiting
        next.stageID = stageID
        next.counterID = nil
        next.calledAt = nil
        next.assignedCounterID = assignedCounter
        next.version += 1
        return next
    }

    private func leavingCounter(to newState: TicketState) throws -> Ticket {
        guard state == .called else { throw DomainError.ticketNotCalled(displayNumber: displayNumber, state: state) }
        var next = self
        next.state = newState
        next.version += 1
        return next
    }
}
