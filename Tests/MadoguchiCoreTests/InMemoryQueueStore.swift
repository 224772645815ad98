import Foundation
import MadoguchiCore
import Synchronization

/// A queue store in memory for rules tests: each transaction works on a copy and commits it only if nobody
/// committed in between (otherwise `DomainError.conflict`, which the use cases retry).
final class InMemoryQueueStore: QueueStore {
    struct State: Sendable {
        var generation = 0
        var tickets: [String: Ticket] = [:]
        var sequences: [String: (last: Int?, issued: Int)] = [:]
        var openCounters: [String: String] = [:]
        var records: [ServiceRecord] = []
        var events: [DomainEvent] = []
        /// Keyed by "service|date" and "kiosk|date".
        var closures: [String: String] = [:]
        var menuChoices: [String: String] = [:]
        var printJobs: [(ticketID: String, kioskID: String)] = []
        var webContacts: [String: String] = [:]  // ticket id → digest
    }

    let state = Mutex(State())

    var allTickets: [Ticket] { state.withLock { Array($0.tickets.values) } }

    func transaction<T: Sendable>(_ body: @Sendable (any QueueTransaction) async throws -> T) async throws -> T {
        let start = state.withLock { $0 }
        let tx = Transaction(start)
        let result = try await body(tx)
        try state.withLock { current in
            guard current.generation == start.generation else { throw DomainError.conflict }
            current = tx.state.withLock { $0 }
            current.generation += 1
        }
        return result
    }

    func snapshot(businessDate: String) async throws -> QueueSnapshot {
        state.withLock { state in
            QueueSnapshot(
                businessDate: businessDate, tickets: state.tickets.values.filter { $0.businessDate == businessDate },
                recentServiceRecords: state.records, openCounterIDs: Set(state.openCounters.filter { $0.value == businessDate }.keys))
        }
    }

    func ticket(token: String) async throws -> Ticket? { state.withLock { $0.tickets.values.first { $0.token == token } } }

    func events(sequences: [Int64]) async throws -> [DomainEvent] {
        state.withLock { state in state.events.filter { sequences.contains($0.sequence ?? -1) } }
    }

    func events(officeID: String, after sequence: Int64, limit: Int) async throws -> [DomainEvent] {
        state.withLock { state in Array(state.events.filter { $0.officeID == officeID && ($0.sequence ?? 0) > sequence }.prefix(limit)) }
    }

    final class Transaction: QueueTransaction {
        let state: Mutex<State>
        init(_ state: State) { self.state = Mutex(state) }

        func lockCounter(_ counterID: String, businessDate: String) async throws -> Bool {
            state.withLock { $0.openCounters[counterID] == businessDate }
        }
        func setCounterOpen(_ counterID: String, open: Bool, at now: Date) async throws {
            state.withLock { $0.openCounters[counterID] = open ? CityCalendar.businessDate(of: now) : nil }
        }
        func reserveNumber(for service: Service, businessDate: String) async throws -> (number: Int, sequence: Int)? {
            state.withLock { state in
                let key = service.id + "/" + businessDate
                let current = state.sequences[key] ?? (nil, 0)
                let taken = Set(
                    state.tickets.values.filter { $0.serviceID == service.id && $0.businessDate == businessDate && $0.state.isActive }.map(\.number))
                guard let number = service.numberRange.nextFree(after: current.last, isTaken: taken.contains) else { return nil }
                state.sequences[key] = (number, current.issued + 1)
                return (number, current.issued + 1)
            }
        }
        func insert(_ ticket: Ticket) async throws { state.withLock { $0.tickets[ticket.id] = ticket } }
        func update(_ ticket: Ticket, expectedVersion: Int) async throws -> Bool {
            state.withLock { state in
                guard state.tickets[ticket.id]?.version == expectedVersion else { return false }
                state.tickets[ticket.id] = ticket
                return true
            }
        }
        func currentTicket(counterID: String, businessDate: String) async throws -> Ticket? {
            state.withLock { $0.tickets.values.first { $0.counterID == counterID && $0.state == .called && $0.businessDate == businessDate } }
        }
        func callCandidates(for counter: Counter, businessDate: String, limit: Int) async throws -> [Ticket] {
            state.withLock { state in
                Array(
                    state.tickets.values
                        .filter { $0.businessDate == businessDate && $0.state == .waiting && counter.stageIDs.contains($0.stageID) }
                        .filter { $0.assignedCounterID == nil || $0.assignedCounterID == counter.id }
                        .sorted(by: WaitingLine.callOrder(for: counter.id)).prefix(limit))
            }
        }
        func activeTickets(officeID: String, number: Int, businessDate: String) async throws -> [Ticket] {
            state.withLock {
                $0.tickets.values.filter { $0.officeID == officeID && $0.number == number && $0.businessDate == businessDate && $0.state.isActive }
            }
        }
        func record(_ serviceRecord: ServiceRecord) async throws { state.withLock { $0.records.append(serviceRecord) } }
        func append(_ events: [DomainEvent]) async throws -> [DomainEvent] {
            state.withLock { state in
                events.map { event in
                    var stored = event
                    stored.sequence = Int64(state.events.count + 1)
                    state.events.append(stored)
                    return stored
                }
            }
        }
        func serviceClosure(serviceID: String, businessDate: String) async throws -> String? {
            state.withLock { $0.closures["\(serviceID)|\(businessDate)"] }
        }
        func setServiceClosure(serviceID: String, businessDate: String, message: String?) async throws {
            state.withLock { $0.closures["\(serviceID)|\(businessDate)"] = message }
        }
        func setKioskMenuChoice(kioskID: String, businessDate: String, menuSetID: String?) async throws {
            state.withLock { $0.menuChoices["\(kioskID)|\(businessDate)"] = menuSetID }
        }
        func webTicketCounts(serviceID: String, businessDate: String, hourStart: Date) async throws -> (day: Int, hour: Int) {
            state.withLock { state in
                let web = state.tickets.values.filter { $0.serviceID == serviceID && $0.businessDate == businessDate && $0.web != nil }
                return (web.count, web.count { $0.issuedAt >= hourStart })
            }
        }
        func hasActiveWebTicket(contactDigest: String, businessDate: String) async throws -> Bool {
            state.withLock { state in
                state.webContacts.contains {
                    $0.value == contactDigest && state.tickets[$0.key].map { $0.state.isActive && $0.businessDate == businessDate } == true
                }
            }
        }
        func recordWebContact(ticketID: String, contactDigest: String, businessDate: String) async throws {
            state.withLock { $0.webContacts[ticketID] = contactDigest }
        }
        func expiredWebHolds(businessDate: String, now: Date) async throws -> [Ticket] {
            state.withLock { state in
                state.tickets.values.filter {
                    $0.businessDate == businessDate && $0.state == .held && $0.web?.checkedIn == false && ($0.web?.holdUntil ?? .distantFuture) < now
                }
            }
        }
        func addPrintJob(ticketID: String, kioskID: String, businessDate: String, at: Date) async throws {
            state.withLock { $0.printJobs.append((ticketID, kioskID)) }
        }
    }
}
