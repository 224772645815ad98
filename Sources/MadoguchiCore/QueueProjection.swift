import Foundation
import Synchronization

/// In-memory view of today's queue of every office, updated from events and rebuilt from the database at start-up.
/// Status reads are served from here without touching the database; writes only pay for an ordered insert.
public final class QueueProjection: EventPublisher {
    private let state: Mutex<State>
    private let layout: LayoutSource
    private let clock: any WallClock

    public init(layout: LayoutSource, clock: any WallClock) {
        self.layout = layout
        self.clock = clock
        state = Mutex(State(businessDate: CityCalendar.businessDate(of: clock.now())))
    }

    /// Replaces everything with the stored state of a day.
    public func reset(with snapshot: QueueSnapshot) {
        state.withLock { state in
            state = State(businessDate: snapshot.businessDate)
            state.openCounters = snapshot.openCounterIDs
            state.closures = snapshot.serviceClosures
            state.menuChoices = snapshot.kioskMenuChoices
            for record in snapshot.recentServiceRecords { state.add(record) }
            for ticket in snapshot.tickets { state.upsert(ticket) }
        }
    }

    public func publish(_ events: [DomainEvent]) async { apply(events) }

    public func apply(_ events: [DomainEvent]) {
        state.withLock { state in
            for event in events { state.apply(event) }
        }
    }

    /// The projection's generation, after rolling over to a new day if one has begun. Answers computed at the same
    /// generation are still valid, so readers may serve them without recomputing.
    public func currentGeneration() -> Int {
        let now = clock.now()
        return state.withLock { state in
            state.rollOverIfNeeded(now: now)
            return state.generation
        }
    }

    /// Status of an office with a generation number that changes whenever the status may have changed.
    public func status(officeID: String) -> (status: OfficeStatus, generation: Int)? {
        let layout = layout.current
        guard layout.office(officeID) != nil else { return nil }
        let now = clock.now()
        return state.withLock { state in
            state.rollOverIfNeeded(now: now)
            if let cached = state.statusCache[officeID] { return (cached, state.generation) }
            let status = state.makeStatus(officeID: officeID, layout: layout, asOf: state.lastChange[officeID] ?? now)
            state.statusCache[officeID] = status
            return (status, state.generation)
        }
    }

    /// Today's ticket with this token as its holder sees it; nil when it is not one of today's tickets.
    public func ticketView(token: String) -> TicketView? {
        let layout = layout.current
        let now = clock.now()
        return state.withLock { state in
            state.rollOverIfNeeded(now: now)
            guard let id = state.idByToken[token], let ticket = state.tickets[id] else { return nil }
            return state.view(of: ticket, layout: layout)
        }
    }

    /// The ticket a counter is serving now, if any.
    public func ticketServed(by counter: Counter) -> TicketView? {
        let layout = layout.current
        return state.withLock { state in
            for stageID in counter.stageIDs {
                if let ticket = state.calling[stageID]?.first(where: { $0.counterID == counter.id }) {
                    return state.view(of: ticket, layout: layout)
                }
            }
            return nil
        }
    }

    /// The counter's current ticket and the waiting, held and absent tickets of its stages (Q5).
    public func board(for counter: Counter, waitingLimit: Int = 100) -> CounterBoard {
        let now = clock.now()
        return state.withLock { state in
            state.rollOverIfNeeded(now: now)
            let stages = Set(counter.stageIDs)
            let calling = state.calling
            let current = counter.stageIDs.lazy.compactMap { calling[$0]?.first(where: { $0.counterID == counter.id }) }.first
            var waiting: [Ticket] = []
            for (key, line) in state.lines
            where stages.contains(key.stageID)
                && (key.assignedCounterID == nil || key.assignedCounterID == counter.id)
            {
                waiting += line.compactMap { state.tickets[$0.ticketID] }
            }
            waiting.sort(by: WaitingLine.callOrder(for: counter.id))
            let parked = counter.stageIDs.flatMap { state.parked[$0] ?? [] }.sorted { $0.sequence < $1.sequence }
            return CounterBoard(
                counter: counter.id, open: state.openCounters.contains(counter.id), current: current.map(CounterBoard.Entry.init),
                currentCalledAt: current?.calledAt, waiting: waiting.prefix(waitingLimit).map(CounterBoard.Entry.init),
                held: parked.filter { $0.state == .held }.map(CounterBoard.Entry.init),
                absent: parked.filter { $0.state == .absent }.map(CounterBoard.Entry.init))
        }
    }

    /// Why a service is closed today, nil while it is open.
    public func closure(serviceID: String) -> String? {
        let now = clock.now()
        return state.withLock { state in
            state.rollOverIfNeeded(now: now)
            return state.closures[serviceID]
        }
    }

    /// The menu set staff chose for a kiosk today, if any.
    public func menuChoice(kioskID: String) -> String? {
        let now = clock.now()
        return state.withLock { state in
            state.rollOverIfNeeded(now: now)
            return state.menuChoices[kioskID]
        }
    }

    public func ticketView(id: String) -> TicketView? {
        let layout = layout.current
        return state.withLock { state in
            state.tickets[id].map { state.view(of: $0, layout: layout) }
        }
    }

    /// A view of a ticket that is not (or no longer) in today's projection.
    public static func archivedView(of ticket: Ticket) -> TicketView {
        TicketView(
            id: ticket.id, token: ticket.token, office: ticket.officeID, number: ticket.number,
            displayNumber: ticket.displayNumber, service: ticket.serviceID, stage: ticket.stageID, state: ticket.state,
            priority: ticket.priority, issuedAt: ticket.issuedAt, peopleAhead: nil, estimatedWaitMinutes: nil,
            counter: ticket.counterID, checkedIn: ticket.web?.checkedIn)
    }
}

extension QueueProjection {
    struct State {
        var businessDate: String
        var dayEnds: Date
        var tickets: [String: Ticket] = [:]
        var idByToken: [String: String] = [:]
        /// Sorted waiting lines.
        var lines: [WaitingLine.Key: [WaitingLine.Position]] = [:]
        var waitingByStage: [String: Int] = [:]
        /// Tickets being served per stage, most recent call first.
        var calling: [String: [Ticket]] = [:]
        /// Held and absent tickets per stage, in the order they were parked.
        var parked: [String: [Ticket]] = [:]
        var issuedByService: [String: Int] = [:]
        /// Service closures and kiosk menu choices of the day.
        var closures: [String: String] = [:]
        var menuChoices: [String: String] = [:]
        var serviceSeconds: [String: [Double]] = [:]
        var openCounters: Set<String> = []
        var appliedSequences = SequenceWindow()
        var lastChange: [String: Date] = [:]
        var statusCache: [String: OfficeStatus] = [:]
        var generation = 0

        init(businessDate: String) {
            self.businessDate = businessDate
            dayEnds = State.endOfDay(businessDate)
        }

        static func endOfDay(_ businessDate: String) -> Date {
            let parts = businessDate.split(separator: "-").compactMap { Int($0) }
            let start = CityCalendar.gregorian.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!
            return CityCalendar.gregorian.date(byAdding: .day, value: 1, to: start)!
        }

        mutating func rollOverIfNeeded(now: Date) {
            guard now >= dayEnds else { return }
            let keptSeconds = serviceSeconds
            self = State(businessDate: CityCalendar.businessDate(of: now))
            serviceSeconds = keptSeconds
            generation += 1
        }

        mutating func apply(_ event: DomainEvent) {
            if let sequence = event.sequence {
                guard appliedSequences.admit(sequence) else { return }
            }
            if let record = event.serviceRecord { add(record) }
            switch event.kind {
            case .counterOpened: if let id = event.counterID { openCounters.insert(id) }
            case .counterClosed: if let id = event.counterID { openCounters.remove(id) }
            case .serviceClosed: if let id = event.serviceID { closures[id] = event.message ?? "" }
            case .serviceReopened: if let id = event.serviceID { closures[id] = nil }
            case .kioskMenuChanged: if let id = event.kioskID { menuChoices[id] = event.menuSetID }
            default: break
            }
            if let ticket = event.ticket { upsert(ticket) }
            lastChange[event.officeID] = event.occurredAt
            statusCache[event.officeID] = nil
            generation += 1
        }

        mutating func add(_ record: ServiceRecord) {
            var samples = serviceSeconds[record.stageID, default: []]
            samples.append(record.seconds)
            if samples.count > WaitEstimate.sampleSize { samples.removeFirst(samples.count - WaitEstimate.sampleSize) }
            serviceSeconds[record.stageID] = samples
        }

        mutating func upsert(_ ticket: Ticket) {
            if ticket.businessDate < businessDate { return }
            if ticket.businessDate > businessDate {
                let keptSeconds = serviceSeconds
                self = State(businessDate: ticket.businessDate)
                serviceSeconds = keptSeconds
            }
            if let old = tickets[ticket.id] {
                guard ticket.version > old.version else { return }
                remove(old)
            } else {
                issuedByService[ticket.serviceID, default: 0] += 1
            }
            tickets[ticket.id] = ticket
            idByToken[ticket.token] = ticket.id
            switch ticket.state {
            case .waiting:
                let position = WaitingLine.Position(ticket)
                let key = WaitingLine.Key(ticket)
                // Mutate the line in place: copying it out and back would copy every position on each change.
                let index = lines[key]?.sortedInsertionIndex(of: position) ?? 0
                lines[key, default: []].insert(position, at: index)
                waitingByStage[ticket.stageID, default: 0] += 1
            case .called:
                calling[ticket.stageID, default: []].insert(ticket, at: 0)
            case .held, .absent:
                parked[ticket.stageID, default: []].append(ticket)
            default:
                break
            }
        }

        private mutating func remove(_ ticket: Ticket) {
            switch ticket.state {
            case .waiting:
                let key = WaitingLine.Key(ticket)
                let position = WaitingLine.Position(ticket)
                if let index = lines[key]?.sortedInsertionIndex(of: position), lines[key]?[index...].first == position {
                    lines[key]?.remove(at: index)
                    waitingByStage[ticket.stageID, default: 1] -= 1
                }
            case .called:
                calling[ticket.stageID]?.removeAll { $0.id == ticket.id }
            case .held, .absent:
                parked[ticket.stageID]?.removeAll { $0.id == ticket.id }
            default:
                break
            }
        }

        func peopleAhead(of ticket: Ticket) -> Int? {
            switch ticket.state {
            case .waiting:
                return lines[WaitingLine.Key(ticket)]?.sortedInsertionIndex(of: WaitingLine.Position(ticket)) ?? 0
            case .called:
                return 0
            default:
                return nil
            }
        }

        func estimate(stageID: String, peopleAhead: Int, assignedCounterID: String?, layout: OfficeLayout) -> Int? {
            let counters = assignedCounterID.map { [$0] } ?? layout.counters(servingStage: stageID).map(\.id)
            return WaitEstimate.minutes(
                peopleAhead: peopleAhead, serviceSeconds: serviceSeconds[stageID] ?? [],
                openCounters: counters.filter(openCounters.contains).count, configuredCounters: counters.count)
        }

        func view(of ticket: Ticket, layout: OfficeLayout) -> TicketView {
            let ahead = peopleAhead(of: ticket)
            let estimate =
                ticket.state == .waiting
                ? estimate(stageID: ticket.stageID, peopleAhead: ahead ?? 0, assignedCounterID: ticket.assignedCounterID, layout: layout)
                : (ticket.state == .called ? 0 : nil)
            var view = QueueProjection.archivedView(of: ticket)
            view.peopleAhead = ahead
            view.estimatedWaitMinutes = estimate
            return view
        }

        func makeStatus(officeID: String, layout: OfficeLayout, asOf: Date) -> OfficeStatus {
            // A ticket keeps its own service wherever it stands: one transferred to a counter that serves another
            // service's stage is listed (calling, absent, held) under its own service, not under the stage's owner.
            let officeStages = layout.services(in: officeID).flatMap(\.route).map(\.id)
            let callingHere = officeStages.flatMap { calling[$0] ?? [] }
            let parkedHere = officeStages.flatMap { parked[$0] ?? [] }
            let services = layout.services(in: officeID).map { service -> ServiceStatus in
                let stages = service.route.map { stage in
                    StageStatus(
                        id: stage.id, name: stage.name, waiting: waitingByStage[stage.id] ?? 0,
                        calling: (calling[stage.id] ?? []).map(\.displayNumber),
                        oldestWaitingSince: oldestWaiting(at: stage.id),
                        openCounters: layout.counters(servingStage: stage.id).filter { openCounters.contains($0.id) }.count)
                }
                let first = service.route[0].id
                let generalLine = lines[WaitingLine.Key(stageID: first, assignedCounterID: nil)]?.count ?? 0
                let parkedTickets = parkedHere.filter { $0.serviceID == service.id }.sorted { $0.sequence < $1.sequence }
                return ServiceStatus(
                    id: service.id, name: service.name, waiting: stages.reduce(0) { $0 + $1.waiting },
                    estimatedWaitMinutes: estimate(stageID: first, peopleAhead: generalLine, assignedCounterID: nil, layout: layout),
                    calling: callingHere.filter { $0.serviceID == service.id }
                        .sorted { ($0.calledAt ?? .distantPast) > ($1.calledAt ?? .distantPast) }.map(\.displayNumber),
                    stages: stages, issuedToday: issuedByService[service.id] ?? 0,
                    absent: parkedTickets.filter { $0.state == .absent }.map(\.displayNumber),
                    held: parkedTickets.filter { $0.state == .held }.map(\.displayNumber),
                    closedMessage: closures[service.id])
            }
            let calls =
                callingHere
                .sorted { ($0.calledAt ?? .distantPast) > ($1.calledAt ?? .distantPast) }
                .map { ticket in
                    CallStatus(
                        displayNumber: ticket.displayNumber, service: ticket.serviceID, stage: ticket.stageID,
                        counter: ticket.counterID ?? "", counterName: ticket.counterID.flatMap(layout.counter)?.name ?? "",
                        calledAt: ticket.calledAt ?? asOf)
                }
            return OfficeStatus(
                office: officeID, asOf: asOf, services: services, calls: calls,
                openCounters: layout.counters(in: officeID).filter { openCounters.contains($0.id) }.count)
        }

        /// Issue time of the ticket waiting longest at a stage (over its general line and counter lines).
        func oldestWaiting(at stageID: String) -> Date? {
            var oldest: Date?
            for (key, line) in lines where key.stageID == stageID {
                for position in line {
                    guard let issued = tickets[position.ticketID]?.issuedAt else { continue }
                    if oldest.map({ issued < $0 }) ?? true { oldest = issued }
                }
            }
            return oldest
        }
    }
}

/// Publishes to several subscribers in order (projection first, so a caller reads its own write).
public struct EventFanOut: EventPublisher {
    private let subscribers: [any EventPublisher]
    public init(_ subscribers: [any EventPublisher]) { self.subscribers = subscribers }
    public func publish(_ events: [DomainEvent]) async {
        for subscriber in subscribers { await subscriber.publish(events) }
    }
}
