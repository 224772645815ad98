import Foundation

/// The order in which waiting tickets are called, shared by call-next (storage picks candidates in the same order)
/// and by `peopleAhead`, so that what a visitor is told is what the counters do.
///
/// A stage has one general line and, after transfers to a specific counter, one line per such counter. A counter
/// first calls its own line, then the general lines of the stages it serves. Within a line: priority tickets
/// (checked-in bookings) first, then earliest arrival at the stage, then issue order.
public enum WaitingLine {
    /// Sort key of a waiting ticket inside its line.
    public struct Position: Comparable, Sendable, Hashable {
        public var priority: Bool
        public var queuedAt: Date
        public var sequence: Int
        public var ticketID: String

        public init(_ ticket: Ticket) {
            priority = ticket.priority
            queuedAt = ticket.queuedAt
            sequence = ticket.sequence
            ticketID = ticket.id
        }

        public static func < (a: Position, b: Position) -> Bool {
            if a.priority != b.priority { return a.priority }
            if a.queuedAt != b.queuedAt { return a.queuedAt < b.queuedAt }
            if a.sequence != b.sequence { return a.sequence < b.sequence }
            return a.ticketID < b.ticketID
        }
    }

    /// Which line a waiting ticket stands in.
    public struct Key: Hashable, Sendable {
        public var stageID: String
        public var assignedCounterID: String?
        public init(_ ticket: Ticket) {
            stageID = ticket.stageID
            assignedCounterID = ticket.assignedCounterID
        }
        public init(stageID: String, assignedCounterID: String?) {
            self.stageID = stageID
            self.assignedCounterID = assignedCounterID
        }
    }

    /// Whether `a` is called before `b` by `counter` (both waiting at stages the counter serves).
    public static func callOrder(for counterID: String) -> (Ticket, Ticket) -> Bool {
        { a, b in
            let aOwn = a.assignedCounterID == counterID
            let bOwn = b.assignedCounterID == counterID
            if aOwn != bOwn { return aOwn }
            return Position(a) < Position(b)
        }
    }

    /// The ticket `counter` calls next among `candidates`, or nil when none may be called there.
    public static func next(for counter: Counter, among candidates: [Ticket]) -> Ticket? {
        candidates
            .filter { $0.state == .waiting && counter.stageIDs.contains($0.stageID) }
            .filter { $0.assignedCounterID == nil || $0.assignedCounterID == counter.id }
            .min(by: callOrder(for: counter.id))
    }

    /// Number of tickets called before `ticket` at its stage: those ahead of it in its own line.
    public static func peopleAhead(of ticket: Ticket, among tickets: [Ticket]) -> Int? {
        guard ticket.state == .waiting else { return ticket.state == .called ? 0 : nil }
        let key = Key(ticket)
        let position = Position(ticket)
        return tickets.count { $0.state == .waiting && Key($0) == key && Position($0) < position }
    }
}

extension Array where Element: Comparable {
    /// Index at which `element` keeps the array sorted (first index not less than it).
    func sortedInsertionIndex(of element: Element) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < element { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
