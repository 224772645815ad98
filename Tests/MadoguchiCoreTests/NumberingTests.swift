import MadoguchiCore
import Testing

@Suite("Numbering (Q1)")
struct NumberingTests {
    @Test("numbers run through the range and wrap to its start")
    func wraps() {
        // given
        let range = NumberRange(200, 202)
        // when
        let sequence = [nil, 200, 201, 202].map { range.successor(of: $0) }
        // then
        #expect(sequence == [200, 201, 202, 200])
    }

    @Test("a last number outside the range (range changed) restarts at the start")
    func outsideRangeRestarts() {
        #expect(NumberRange(1, 100).successor(of: 150) == 1)
    }

    @Test("numbers still in use are skipped after a wrap; none free means nil")
    func skipsTakenNumbers() {
        let range = NumberRange(1, 5)
        #expect(range.nextFree(after: 5, isTaken: { [1, 2].contains($0) }) == 3)
        #expect(range.nextFree(after: 3, isTaken: { $0 != 2 }) == 2)
        #expect(range.nextFree(after: 3, isTaken: { _ in true }) == nil)
    }

    @Test("display numbers carry the prefix and are padded to the width of the range", arguments: [
        (NumberRange(1, 100), 7, "A007"), (NumberRange(200, 300), 250, "A250"), (NumberRange(1, 9), 3, "A3"),
    ])
    func displayNumber(range: NumberRange, number: Int, expected: String) {
        let service = Service(id: "s", officeID: "o", name: "n", prefix: "A", numberRange: range, route: [Stage(id: "x", name: "x")])
        #expect(service.displayNumber(number) == expected)
    }

    @Test("a service's route gives the next stage and nothing after the last")
    func routeOrder() {
        let service = TestLayoutsFixture.threeStage
        #expect(service.stage(after: "a-1")?.id == "a-2")
        #expect(service.stage(after: "a-3") == nil)
        #expect(service.stage(after: "elsewhere") == nil)
    }
}

enum TestLayoutsFixture {
    static let threeStage = Service(
        id: "a", officeID: "main", name: "住民異動", prefix: "A", numberRange: NumberRange(1, 100),
        route: [Stage(id: "a-1", name: "受付"), Stage(id: "a-2", name: "審査"), Stage(id: "a-3", name: "交付")])
}
