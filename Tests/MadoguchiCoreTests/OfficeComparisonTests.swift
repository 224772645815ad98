import Foundation
@testable import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite("Comparing offices for a procedure (W2)")
struct OfficeComparisonTests {
    static let layout = OfficeLayout(
        offices: [Office(id: "east", name: "東"), Office(id: "west", name: "西"), Office(id: "north", name: "北")],
        services: ["east", "west", "north"].map { office in
            Service(
                id: "\(office)-juki", officeID: office, name: "住民異動届", prefix: "A", numberRange: NumberRange(1, 99),
                route: [Stage(id: "\(office)-juki-1", name: "受付")], procedure: "juki")
        } + [
            Service(
                id: "east-other", officeID: "east", name: "その他", prefix: "Z", numberRange: NumberRange(1, 99), route: [Stage(id: "east-other-1", name: "受付")])
        ],
        counters: [])

    static func status(_ office: String, waiting: Int, minutes: Int?, closed: Bool = false) -> OfficeStatus {
        OfficeStatus(
            office: office, asOf: Date(),
            services: [
                ServiceStatus(
                    id: "\(office)-juki", name: "住民異動届", waiting: waiting, estimatedWaitMinutes: minutes, calling: [], stages: [],
                    issuedToday: 0, absent: [], held: [], closedMessage: closed ? "" : nil)
            ], calls: [], openCounters: 0)
    }

    @Test("open offices first, shortest estimate first, unknown estimates after known ones, then fewest waiting")
    func ranking() {
        let ranked = OfficeComparison.rank(
            procedure: "juki", layout: Self.layout,
            statuses: [
                Self.status("east", waiting: 9, minutes: 30), Self.status("west", waiting: 2, minutes: nil), Self.status("north", waiting: 4, minutes: 5)
            ])
        #expect(ranked.map(\.officeID) == ["north", "east", "west"])
        let closed = OfficeComparison.rank(
            procedure: "juki", layout: Self.layout,
            statuses: [
                Self.status("east", waiting: 0, minutes: 1, closed: true), Self.status("west", waiting: 3, minutes: nil),
                Self.status("north", waiting: 1, minutes: nil)
            ])
        #expect(closed.map(\.officeID) == ["north", "west", "east"])
        #expect(OfficeComparison.rank(procedure: "unknown", layout: Self.layout, statuses: []).isEmpty)
    }

    @Test("procedures are listed once each, in configuration order; a service without a key is its own procedure")
    func procedures() {
        #expect(OfficeComparison.procedures(in: Self.layout).map(\.key) == ["juki", "east-other"])
    }
}
