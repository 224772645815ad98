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

    @Test(
        "display numbers carry the prefix and are padded to the width of the range",
        arguments: [
            (NumberRange(1, 100), 7, "A007"), (NumberRange(200, 300), 250, "A250"), (NumberRange(1, 9), 3, "A3")
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

@Suite("Numbering never traps on any configuration (issue 14, item 1)")
struct NumberingRobustnessTests {
    /// Bounds as a stored configuration may hold them: sane ones, the extremes of Int, and everything between.
    static func randomBound(_ generator: inout some RandomNumberGenerator) -> Int {
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: Int.max
        case 1: Int.min
        case 2: Int.random(in: Int.min...Int.max, using: &generator)
        case 3: Int.random(in: -10...10, using: &generator)
        default: Int.random(in: 0...12_000, using: &generator)
        }
    }

    @Test("random ranges, last numbers and taken sets: every answer lies in a valid range, or there is none")
    func property() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            // given
            let range = NumberRange(Self.randomBound(&generator), Self.randomBound(&generator))
            let last: Int? = Bool.random(using: &generator) ? nil : Self.randomBound(&generator)
            let taken = Set((0..<Int.random(in: 0...20, using: &generator)).map { _ in Self.randomBound(&generator) })
            // when
            let next = range.successor(of: last)
            let free = range.nextFree(after: last, isTaken: taken.contains)
            let faults = range.validate(dailyNeed: Int.random(in: 1...500, using: &generator))
            // then
            if range.isValid {
                #expect(next.map(range.contains) == true)
                if let free { #expect(range.contains(free) && !taken.contains(free)) }
                #expect(range.count == range.upperBound - range.lowerBound + 1)
            } else {
                #expect(next == nil && free == nil && range.count == 0 && !faults.isEmpty)
            }
            let service = Service(id: "s", officeID: "o", name: "n", prefix: "A", numberRange: range, route: [Stage(id: "x", name: "x")])
            #expect(service.displayNumber(Self.randomBound(&generator)).hasPrefix("A"))
        }
    }

    @Test("the settings accept 0…9,999 with lower ≤ upper and room for the day's web tickets, and name each fault")
    func validation() {
        #expect(NumberRange(0, 9_999).validate().isEmpty)
        #expect(NumberRange(1, 100).validate(dailyNeed: 100).isEmpty)
        #expect(NumberRange(0, Int.max).validate() == ["番号範囲の終わりは9999以下で指定してください"])
        #expect(NumberRange(6, 5).validate().first?.contains("始まり（6）が終わり（5）より大きく") == true)
        #expect(NumberRange(-1, 5).validate() == ["番号範囲は0以上で指定してください"])
        #expect(NumberRange(1, 50).validate(dailyNeed: 60).first?.contains("狭すぎます") == true)
    }
}
