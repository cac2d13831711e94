import ArgumentParser
import Tracker

/// The runs a command was given: those named, then those with every tag asked for (a sweep's
/// `sweep=ID`), each once, in that order.
enum TaggedRuns {
    /// The ids of `references`, then of the runs with all of `tags` not named already
    /// (`RunCatalog.runIDs(_:thenTagged:)`, which the compare page of `gradlog serve` uses too).
    static func resolve(_ references: [String], tags: [Tag], catalog: RunCatalog) throws(TrackerError) -> [Int64] {
        try catalog.runIDs(try catalog.resolve(references), thenTagged: tags.map { ($0.key, $0.value) })
    }
}

/// `--epochs A..B`: a window of epochs, either end open (`A..`, `..B`).
struct EpochWindow: ExpressibleByArgument {
    let from: Int64?
    let through: Int64?

    init?(argument: String) {
        let parts = argument.split(separator: "..", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let (low, high) = (parts[0], parts[1])
        from = low.isEmpty ? nil : Int64(low)
        through = high.isEmpty ? nil : Int64(high)
        // Each end, when given, is a whole number; at least one end is given.
        if (!low.isEmpty && from == nil) || (!high.isEmpty && through == nil) || (from == nil && through == nil) { return nil }
    }
}
