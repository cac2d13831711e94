import Output
import Tracker

/// `gradlog log`'s progress line on a terminal: the run's last step as its rows hold it, read
/// through the logging connection (one look-up by the key of `steps`) only when the line is redrawn.
final class LogProgress {
    private let line: ProgressLine
    private let catalog: RunCatalog

    /// A line for runs written into `store`, or nil when standard error is not a terminal.
    init?(store: Store, console: Console) {
        guard console.errorIsTerminal else { return nil }
        line = ProgressLine(console: console)
        catalog = RunCatalog(store: store)
    }

    /// Redraws the line for run `runID` (nil before the first step) when a redraw is due; a read
    /// that fails leaves the line as it was, for the run's own write to report the error.
    func show(_ runID: Int64?) {
        guard let runID else { return }
        line.update((try? catalog.latestStep(of: runID)).map { ProgressLine.describe($0) })
    }

    /// Erases the line, if it was ever drawn.
    func erase() {
        line.erase()
    }
}
