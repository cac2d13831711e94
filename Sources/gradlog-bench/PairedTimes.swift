/// Seconds of two commands timed in turn, repeat by repeat, so that load from elsewhere on the
/// machine slows both sides of a ratio alike: best and median of each, and of the pairs' ratios.
struct PairedTimes {
    private(set) var first: [Double] = []
    private(set) var second: [Double] = []

    /// Adds one pair.
    mutating func add(_ firstSeconds: Double, _ secondSeconds: Double) {
        first.append(firstSeconds)
        second.append(secondSeconds)
    }

    /// The fastest of each side.
    var best: (first: Double, second: Double) { (first.min() ?? .nan, second.min() ?? .nan) }

    /// The median of each side.
    var median: (first: Double, second: Double) { (Self.median(first), Self.median(second)) }

    /// first / second of the fastest of each.
    var bestRatio: Double { best.first / best.second }

    /// The median of the pairs' ratios first / second.
    var medianRatio: Double { Self.median(zip(first, second).map { $0 / $1 }) }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
