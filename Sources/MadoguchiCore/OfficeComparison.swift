import Foundation

/// Steering visitors to quieter offices (W2): the offices offering a procedure, ranked by predicted wait.
public enum OfficeComparison {
    public struct Choice: Sendable, Equatable {
        public var officeID: String
        public var serviceID: String
        public var waiting: Int
        public var estimatedWaitMinutes: Int?
        public var closed: Bool
    }

    /// The procedures of the city in configuration order: key and the service that names it.
    public static func procedures(in layout: OfficeLayout) -> [(key: String, service: Service)] {
        var seen = Set<String>()
        return layout.services.compactMap { service in seen.insert(service.procedureKey).inserted ? (service.procedureKey, service) : nil }
    }

    /// Offices offering `procedure`, open ones first, then by estimated wait (offices without an estimate after
    /// those with one), then by people waiting, then in configuration order.
    public static func rank(procedure: String, layout: OfficeLayout, statuses: [OfficeStatus]) -> [Choice] {
        let byOffice = Dictionary(statuses.map { ($0.office, $0) }, uniquingKeysWith: { first, _ in first })
        let choices = layout.services.enumerated().compactMap { index, service -> (Int, Choice)? in
            guard service.procedureKey == procedure, let live = byOffice[service.officeID]?.services.first(where: { $0.id == service.id }) else {
                return nil
            }
            return (
                index,
                Choice(
                    officeID: service.officeID, serviceID: service.id, waiting: live.waiting,
                    estimatedWaitMinutes: live.estimatedWaitMinutes, closed: live.closedMessage != nil)
            )
        }
        return choices.sorted { a, b in
            let (x, y) = (a.1, b.1)
            if x.closed != y.closed { return !x.closed }
            switch (x.estimatedWaitMinutes, y.estimatedWaitMinutes) {
            case let (p?, q?) where p != q: return p < q
            case (.some, nil): return true
            case (nil, .some): return false
            default: break
            }
            if x.waiting != y.waiting { return x.waiting < y.waiting }
            return a.0 < b.0
        }.map(\.1)
    }
}
