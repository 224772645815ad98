/// Remembers the event sequences seen lately, so an event that reaches an instance twice (from its own commit and
/// from PostgreSQL's NOTIFY, or on a reconnect) is applied once. Bounded: a duplicate arrives within moments, so
/// only the newest 10,000–20,000 sequences are kept.
public struct SequenceWindow: Sendable {
    private var seen: Set<Int64> = []
    private var order: [Int64] = []
    private let capacity: Int

    public init(capacity: Int = 20_000) { self.capacity = capacity }

    /// True the first time `sequence` is offered, false for a repeat.
    public mutating func admit(_ sequence: Int64) -> Bool {
        guard seen.insert(sequence).inserted else { return false }
        order.append(sequence)
        if order.count > capacity {
            let dropped = capacity / 2
            for old in order.prefix(dropped) { seen.remove(old) }
            order.removeFirst(dropped)
        }
        return true
    }
}
