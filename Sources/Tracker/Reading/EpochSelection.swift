/// Which epochs `compare` shows: those in a window (`from` through `through`), and of these every
/// `every`th one counted from the window's start, with each run's first and last epoch in it.
///
/// Thinning keeps every run's ends so that where each run started and stopped stays visible, and
/// keeps them for all runs at once: an epoch shown for one run is shown for every run that has it.
public struct EpochSelection: Sendable, Equatable {
    /// The first epoch shown; nil: from each run's first.
    public var from: Int64?
    /// The last epoch shown; nil: up to each run's last.
    public var through: Int64?
    /// Show every Nth epoch of the window (1: all of them).
    public var every: Int64

    /// Every epoch of every run.
    public static let all = EpochSelection()

    /// Creates a selection; `every` below 1 counts as 1.
    public init(from: Int64? = nil, through: Int64? = nil, every: Int64 = 1) {
        self.from = from
        self.through = through
        self.every = max(every, 1)
    }

    /// The bounds of the window, the whole range of epoch numbers when open.
    var window: ClosedRange<Int64> { (from ?? .min)...max(through ?? .max, from ?? .min) }

    /// The SQL condition on a row's `epoch` that keeps the selected epochs, given each run's first
    /// and last epoch in the window (`ends`). Every value is an integer, written in place.
    func condition(ends: [Int64]) -> String {
        var clause = "epoch BETWEEN \(window.lowerBound) AND \(window.upperBound)"
        guard every > 1 else { return clause }
        // Counted from the window's start, or from epoch 1 (gradlog numbers epochs from 1).
        let base = from ?? 1
        let kept = ends.isEmpty ? "" : " OR epoch IN (" + Set(ends).sorted().map(String.init).joined(separator: ", ") + ")"
        clause += " AND ((epoch >= \(base) AND (epoch - \(base)) % \(every) = 0)\(kept))"
        return clause
    }
}
