import Foundation

/// Where a counter sends its current ticket (Q6).
public enum TransferTarget: Sendable, Equatable {
    case stage(String)
    case counter(String)
}

/// The queue's use cases: issuing tickets and every counter operation (Q1, Q5, Q6, Q7).
///
/// Each runs in one store transaction, validates through the rules of `Ticket` and `WaitingLine`, persists the
/// changed tickets with their events, and publishes the events after commit.
public struct QueueService: Sendable {
    public let store: any QueueStore
    public let layout: LayoutSource
    public let clock: any WallClock
    public let publisher: any EventPublisher

    /// Attempts when another writer changed a ticket between read and write (PostgreSQL, several instances).
    private let maxAttempts = 8

    public init(store: any QueueStore, layout: LayoutSource, clock: any WallClock, publisher: any EventPublisher) {
        self.store = store
        self.layout = layout
        self.clock = clock
        self.publisher = publisher
    }

    // MARK: Issuing

    /// Issue a ticket for `serviceID` at `officeID`; `priority` tickets come from checked-in bookings (R10). A
    /// ticket issued at a kiosk whose tickets a print agent prints is queued for that agent in the same transaction.
    public func issueTicket(officeID: String, serviceID: String, priority: Bool = false, kioskID: String? = nil) async throws -> Ticket {
        let layout = layout.current
        guard layout.office(officeID) != nil else { throw DomainError.officeNotFound(officeID) }
        guard let service = layout.service(serviceID), service.officeID == officeID else {
            throw DomainError.serviceNotFound(serviceID)
        }
        var kiosk: Kiosk?
        if let kioskID {
            guard let found = layout.kiosk(kioskID), found.officeID == officeID else { throw DomainError.kioskNotFound(kioskID) }
            kiosk = found
        }
        let printingKiosk = kiosk?.printMode == .agent ? kiosk : nil
        let now = clock.now().truncatedToMicroseconds
        let businessDate = CityCalendar.businessDate(of: now)
        return try await run { tx in
            if let message = try await tx.serviceClosure(serviceID: service.id, businessDate: businessDate) {
                throw DomainError.serviceClosed(serviceID: service.id, message: message)
            }
            let ticket = try await insertNewTicket(of: service, priority: priority, web: nil, businessDate: businessDate, now: now, tx: tx)
            if let printingKiosk {
                try await tx.addPrintJob(ticketID: ticket.id, kioskID: printingKiosk.id, businessDate: businessDate, at: now)
            }
            return (ticket, [DomainEvent(kind: .ticketIssued, officeID: officeID, occurredAt: now, ticket: ticket, kioskID: kioskID)])
        }
    }

    // MARK: Day settings by staff

    /// Close a service for the rest of the day (`message` is shown to visitors), or reopen it with nil.
    public func setServiceClosed(serviceID: String, message: String?) async throws {
        guard let service = layout.current.service(serviceID) else { throw DomainError.serviceNotFound(serviceID) }
        let now = clock.now().truncatedToMicroseconds
        let businessDate = CityCalendar.businessDate(of: now)
        let text = message.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try await run { tx in
            try await tx.setServiceClosure(serviceID: service.id, businessDate: businessDate, message: text)
            return (
                (),
                [
                    DomainEvent(
                        kind: text == nil ? .serviceReopened : .serviceClosed, officeID: service.officeID, occurredAt: now,
                        serviceID: service.id, message: text)
                ]
            )
        }
    }

    /// Tells every instance (through the event stream) that stored configuration of the office changed.
    public func announceConfigurationChange(officeID: String) async throws {
        let now = clock.now().truncatedToMicroseconds
        try await run { _ in ((), [DomainEvent(kind: .configurationChanged, officeID: officeID, occurredAt: now)]) }
    }

    /// Choose a kiosk's menu set for the rest of the day, or nil to follow its weekly schedule again.
    public func setKioskMenu(kioskID: String, menuSetID: String?) async throws {
        guard let kiosk = layout.current.kiosk(kioskID) else { throw DomainError.kioskNotFound(kioskID) }
        if let menuSetID, kiosk.menuSet(menuSetID) == nil { throw DomainError.menuSetNotFound(menuSetID) }
        let now = clock.now().truncatedToMicroseconds
        let businessDate = CityCalendar.businessDate(of: now)
        try await run { tx in
            try await tx.setKioskMenuChoice(kioskID: kiosk.id, businessDate: businessDate, menuSetID: menuSetID)
            return ((), [DomainEvent(kind: .kioskMenuChanged, officeID: kiosk.officeID, occurredAt: now, kioskID: kiosk.id, menuSetID: menuSetID)])
        }
    }

    // MARK: Counter operations

    /// Finish the counter's current ticket, if any, and call the next one; nil when nobody waits.
    public func callNext(counterID: String) async throws -> Ticket? {
        let counter = try counter(counterID)
        return try await counterOperation(counter) { tx, now, businessDate, events in
            if let current = try await tx.currentTicket(counterID: counter.id, businessDate: businessDate) {
                try await finish(current, at: counter, now: now, tx: tx, events: &events)
            }
            // One candidate: on PostgreSQL it is row-locked, so a concurrent counter takes the next one in order
            // instead of skipping a whole batch of locked rows.
            for _ in 0..<100 {
                let candidates = try await tx.callCandidates(for: counter, businessDate: businessDate, limit: 1)
                guard let next = WaitingLine.next(for: counter, among: candidates) else { return nil }
                guard let web = next.web, !web.checkedIn else { return try await call(next, at: counter, now: now, tx: tx, events: &events) }
                // A web ticket whose holder has not arrived: held for the service's time, and the next one is called.
                let minutes = layout.current.service(next.serviceID)?.webTicketing?.holdMinutes ?? WebTicketingRules().holdMinutes
                var held = next
                held.state = .held
                held.web?.holdUntil = now.addingTimeInterval(Double(minutes) * 60)
                held.version += 1
                try await save(held, replacing: next, tx: tx)
                events.append(DomainEvent(kind: .ticketHeld, officeID: counter.officeID, occurredAt: now, ticket: held))
            }
            return nil
        }
    }

    /// Call a given number: any waiting, held or absent ticket of today at a stage the counter serves.
    public func call(counterID: String, number: Int) async throws -> Ticket {
        let layout = layout.current
        let counter = try counter(counterID)
        let servedServices = counter.stageIDs.compactMap(layout.service(owningStage:))
        guard servedServices.contains(where: { $0.numberRange.contains(number) }) else {
            throw DomainError.numberOutOfRange(number: number)
        }
        return try await counterOperation(counter) { tx, now, businessDate, events in
            let matches = try await tx.activeTickets(officeID: counter.officeID, number: number, businessDate: businessDate)
            guard !matches.isEmpty else { throw DomainError.ticketNotFound }
            guard let ticket = matches.first(where: { counter.stageIDs.contains($0.stageID) }) else {
                throw DomainError.stageNotServed(counterID: counter.id, stageID: matches[0].stageID)
            }
            if ticket.state == .called {
                throw DomainError.ticketNotCallable(displayNumber: ticket.displayNumber, state: ticket.state)
            }
            if let current = try await tx.currentTicket(counterID: counter.id, businessDate: businessDate) {
                try await finish(current, at: counter, now: now, tx: tx, events: &events)
            }
            return try await call(ticket, at: counter, now: now, tx: tx, events: &events)
        }
    }

    /// Call the current ticket again (chime and voice on the displays).
    public func recall(counterID: String) async throws -> Ticket {
        try await currentTicketOperation(counterID) { current, counter, now, _, events in
            events.append(DomainEvent(kind: .ticketRecalled, officeID: counter.officeID, occurredAt: now, ticket: current, counterID: counter.id))
            return current
        }
    }

    public func hold(counterID: String) async throws -> Ticket {
        try await currentTicketOperation(counterID) { current, counter, now, tx, events in
            let held = try current.held()
            try await save(held, replacing: current, tx: tx)
            events.append(DomainEvent(kind: .ticketHeld, officeID: counter.officeID, occurredAt: now, ticket: held, counterID: counter.id))
            return held
        }
    }

    public func markAbsent(counterID: String) async throws -> Ticket {
        try await currentTicketOperation(counterID) { current, counter, now, tx, events in
            let absent = try current.markedAbsent()
            try await save(absent, replacing: current, tx: tx)
            events.append(DomainEvent(kind: .ticketMarkedAbsent, officeID: counter.officeID, occurredAt: now, ticket: absent, counterID: counter.id))
            return absent
        }
    }

    /// Finish the current stage: the ticket waits at the next stage of its route, or is done.
    public func finish(counterID: String) async throws -> Ticket {
        try await currentTicketOperation(counterID) { current, counter, now, tx, events in
            try await finish(current, at: counter, now: now, tx: tx, events: &events)
        }
    }

    public func cancelCurrent(counterID: String) async throws -> Ticket {
        try await currentTicketOperation(counterID) { current, counter, now, tx, events in
            let cancelled = try current.cancelled()
            try await save(cancelled, replacing: current, tx: tx)
            events.append(DomainEvent(kind: .ticketCancelled, officeID: counter.officeID, occurredAt: now, ticket: cancelled, counterID: counter.id))
            return cancelled
        }
    }

    /// Cancel a ticket that has not been called, by its number (Q5: a visitor who leaves).
    public func cancel(counterID: String, number: Int) async throws -> Ticket {
        let counter = try counter(counterID)
        return try await counterOperation(counter) { tx, now, businessDate, events in
            let matches = try await tx.activeTickets(officeID: counter.officeID, number: number, businessDate: businessDate)
            guard let ticket = matches.first(where: { counter.stageIDs.contains($0.stageID) }) ?? matches.first else {
                throw DomainError.ticketNotFound
            }
            guard ticket.state != .called else {
                throw DomainError.ticketNotActive(displayNumber: ticket.displayNumber, state: ticket.state)
            }
            let cancelled = try ticket.cancelled()
            try await save(cancelled, replacing: ticket, tx: tx)
            events.append(DomainEvent(kind: .ticketCancelled, officeID: counter.officeID, occurredAt: now, ticket: cancelled, counterID: counter.id))
            return cancelled
        }
    }

    /// Send the current ticket to another stage of the office, or to a counter (it then waits in that counter's
    /// own line, at the counter's stage for the ticket's service when it has one).
    public func transfer(counterID: String, to target: TransferTarget) async throws -> Ticket {
        let layout = layout.current
        let counter = try counter(counterID)
        let stageID: String
        var assignedCounterID: String?
        switch target {
        case .stage(let id):
            guard let owner = layout.service(owningStage: id) else { throw DomainError.stageNotFound(id) }
            guard owner.officeID == counter.officeID else { throw DomainError.stageInOtherOffice(stageID: id) }
            stageID = id
        case .counter(let id):
            guard let destination = layout.counter(id) else { throw DomainError.counterNotFound(id) }
            guard destination.officeID == counter.officeID else { throw DomainError.counterInOtherOffice(counterID: id) }
            guard !destination.stageIDs.isEmpty else { throw DomainError.invalidTransferTarget }
            assignedCounterID = destination.id
            stageID = ""  // resolved against the ticket below
        }
        let assignment = assignedCounterID
        return try await currentTicketOperation(counterID) { current, counter, now, tx, events in
            var targetStage = stageID
            if let assignment, let destination = layout.counter(assignment) {
                let ownService = layout.service(current.serviceID)?.route.map(\.id) ?? []
                targetStage =
                    destination.stageIDs.contains(current.stageID)
                    ? current.stageID
                    : destination.stageIDs.first(where: ownService.contains) ?? destination.stageIDs[0]
            }
            let moved = try current.transferred(toStage: targetStage, assignedCounter: assignment)
            let record = try await recordService(of: current, at: counter, now: now, tx: tx)
            try await save(moved, replacing: current, tx: tx)
            events.append(
                DomainEvent(
                    kind: .ticketTransferred, officeID: counter.officeID, occurredAt: now, ticket: moved,
                    counterID: counter.id, serviceRecord: record))
            return moved
        }
    }

    /// Mark a counter open (it then counts for wait estimates) or closed.
    public func setCounterOpen(counterID: String, open: Bool) async throws {
        let counter = try counter(counterID)
        _ = try await counterOperation(counter) { tx, now, _, events in
            try await tx.setCounterOpen(counter.id, open: open, at: now)
            events.append(DomainEvent(kind: open ? .counterOpened : .counterClosed, officeID: counter.officeID, occurredAt: now, counterID: counter.id))
            return true
        }
    }

    // MARK: Building blocks

    /// Reserves the next number of the service and stores a new waiting ticket at its first stage.
    func insertNewTicket(
        of service: Service, priority: Bool, web: WebTicketInfo?, businessDate: String, now: Date, tx: any QueueTransaction
    ) async throws -> Ticket {
        guard let reserved = try await tx.reserveNumber(for: service, businessDate: businessDate) else {
            throw DomainError.numberRangeExhausted(serviceID: service.id)
        }
        let ticket = Ticket(
            id: TokenGenerator.ticketID(), token: TokenGenerator.token(), officeID: service.officeID, serviceID: service.id,
            businessDate: businessDate, number: reserved.number, displayNumber: service.displayNumber(reserved.number),
            priority: priority, state: .waiting, stageID: service.route[0].id, counterID: nil, assignedCounterID: nil,
            sequence: reserved.sequence, issuedAt: now, queuedAt: now, calledAt: nil, version: 1, web: web)
        try await tx.insert(ticket)
        return ticket
    }

    private func counter(_ id: String) throws -> Counter {
        guard let counter = layout.current.counter(id) else { throw DomainError.counterNotFound(id) }
        return counter
    }

    private typealias Operation<T> = @Sendable (any QueueTransaction, Date, String, inout [DomainEvent]) async throws -> T

    /// Runs an operation of `counter` under its lock, opening the counter on its first call of the day.
    private func counterOperation<T: Sendable>(_ counter: Counter, _ body: @escaping Operation<T>) async throws -> T {
        let now = clock.now().truncatedToMicroseconds
        let businessDate = CityCalendar.businessDate(of: now)
        return try await run { tx in
            let wasOpen = try await tx.lockCounter(counter.id, businessDate: businessDate)
            var events: [DomainEvent] = []
            let result = try await body(tx, now, businessDate, &events)
            if !wasOpen && events.contains(where: { $0.kind == .ticketCalled }) {
                try await tx.setCounterOpen(counter.id, open: true, at: now)
                events.insert(DomainEvent(kind: .counterOpened, officeID: counter.officeID, occurredAt: now, counterID: counter.id), at: 0)
            }
            return (result, events)
        }
    }

    private func currentTicketOperation(
        _ counterID: String, _ body: @escaping @Sendable (Ticket, Counter, Date, any QueueTransaction, inout [DomainEvent]) async throws -> Ticket
    ) async throws -> Ticket {
        let counter = try counter(counterID)
        return try await counterOperation(counter) { tx, now, businessDate, events in
            guard let current = try await tx.currentTicket(counterID: counter.id, businessDate: businessDate) else {
                throw DomainError.noCurrentTicket(counterID: counter.id)
            }
            return try await body(current, counter, now, tx, &events)
        }
    }

    /// Runs `body` in a transaction, appends its events, publishes them after commit; retries on conflicts.
    func run<T: Sendable>(_ body: @escaping @Sendable (any QueueTransaction) async throws -> (T, [DomainEvent])) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let (result, stored) = try await store.transaction { tx in
                    let (result, events) = try await body(tx)
                    return (result, try await tx.append(events))
                }
                await publisher.publish(stored)
                return result
            } catch DomainError.conflict where attempt < maxAttempts {
                continue
            }
        }
    }

    private func call(_ ticket: Ticket, at counter: Counter, now: Date, tx: any QueueTransaction, events: inout [DomainEvent]) async throws -> Ticket {
        var called = try ticket.called(by: counter.id, at: now)
        if called.web != nil { called.web = WebTicketInfo(checkedIn: true) }  // the holder is at the counter
        try await save(called, replacing: ticket, tx: tx)
        events.append(DomainEvent(kind: .ticketCalled, officeID: counter.officeID, occurredAt: now, ticket: called, counterID: counter.id))
        return called
    }

    @discardableResult
    private func finish(_ ticket: Ticket, at counter: Counter, now: Date, tx: any QueueTransaction, events: inout [DomainEvent]) async throws -> Ticket {
        let nextStage = layout.current.service(ticket.serviceID)?.stage(after: ticket.stageID)
        let finished = try ticket.finished(nextStage: nextStage, at: now)
        try await save(finished, replacing: ticket, tx: tx)
        let record = try await recordService(of: ticket, at: counter, now: now, tx: tx)
        events.append(
            DomainEvent(
                kind: nextStage == nil ? .ticketDone : .ticketMovedToStage, officeID: counter.officeID,
                occurredAt: now, ticket: finished, counterID: counter.id, serviceRecord: record))
        return finished
    }

    /// Stores how long the counter served the ticket at its stage, when it was called there.
    private func recordService(of ticket: Ticket, at counter: Counter, now: Date, tx: any QueueTransaction) async throws -> ServiceRecord? {
        guard let calledAt = ticket.calledAt else { return nil }
        let record = ServiceRecord(
            ticketID: ticket.id, serviceID: ticket.serviceID, stageID: ticket.stageID,
            counterID: counter.id, calledAt: calledAt, finishedAt: now,
            officeID: ticket.officeID, queuedAt: ticket.queuedAt, staffID: OperatingStaff.userID)
        try await tx.record(record)
        return record
    }

    func save(_ ticket: Ticket, replacing old: Ticket, tx: any QueueTransaction) async throws {
        guard try await tx.update(ticket, expectedVersion: old.version) else { throw DomainError.conflict }
    }
}
