import Foundation

/// Estimated wait (Q11).
///
/// minutes = ⌈ peopleAhead × meanServiceSeconds(stage) ÷ servingCounters(stage) ÷ 60 ⌉
///
/// - meanServiceSeconds: mean of the most recent `sampleSize` observed service times at the stage (from the call
///   to the finish or transfer of a ticket there).
/// - servingCounters: counters serving the stage that are open; when none is open yet, all counters configured
///   for the stage (the office is about to open).
/// - The result is `nil` until the stage has at least one observed service time, or when no counter serves it.
public enum WaitEstimate {
    public static let sampleSize = 20

    public static func minutes(peopleAhead: Int, serviceSeconds: [Double], openCounters: Int, configuredCounters: Int) -> Int? {
        guard !serviceSeconds.isEmpty else { return nil }
        let counters = openCounters > 0 ? openCounters : configuredCounters
        guard counters > 0 else { return nil }
        let mean = serviceSeconds.reduce(0, +) / Double(serviceSeconds.count)
        let seconds = Double(peopleAhead) * mean / Double(counters)
        return Int((seconds / 60).rounded(.up))
    }
}
