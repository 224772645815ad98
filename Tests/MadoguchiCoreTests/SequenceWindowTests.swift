import MadoguchiCore
import Testing

@Suite("Sequence window")
struct SequenceWindowTests {
    @Test("an event arriving twice is applied once; the window stays bounded and keeps the newest sequences")
    func admitsOnce() {
        // Given a window of 10 sequences
        var window = SequenceWindow(capacity: 10)
        // When sequences 1…11 arrive, each twice
        var admitted: [Int64] = []
        for sequence in Int64(1)...11 {
            if window.admit(sequence) { admitted.append(sequence) }
            if window.admit(sequence) { admitted.append(sequence) }
        }
        // Then each is admitted once
        #expect(admitted == Array(1...11))
        // and the newest are still recognised as repeats, while the oldest half was let go to bound memory
        let repeats = [window.admit(11), window.admit(7), window.admit(1)]
        #expect(repeats == [false, false, true])
    }
}
