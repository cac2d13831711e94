import Foundation
import Output
import SQLiteDB
import Tracker

/// One poll of a watched run shared by every client that follows it: its progress, latest step and
/// new epoch rows are read once per interval, and each epoch row is formatted once, however many
/// event streams send it.
///
/// The feed keeps the formatted rows of a window of recent epochs (at most `windowLimit`). A
/// client whose last epoch lies in the window gets its rows from there; one further behind reads
/// its own from the database (and those rows widen the window backwards while it has room, so
/// that the clients behind it share them too).
final class RunFeed: @unchecked Sendable {
    /// What every client of the run sees from one poll.
    struct Poll {
        /// The run's progress, nil once it is gone.
        let progress: RunState?
        /// Its latest step.
        let latest: StepPoint?
    }

    /// Epoch rows for one client, as the `epochs` event that sends them.
    struct Rows {
        /// The event's bytes, empty when there are no rows; the same array for every client that
        /// gets the same rows from the window, so fifty clients hold one copy.
        var event: [UInt8] = []
        var last: Int64?
        /// Whether these are all the rows the run had at the poll's progress after the client's epoch.
        var complete = true
    }

    /// The most formatted rows the window keeps (a few megabytes).
    static let windowLimit = 8_000

    let runID: Int64
    private let interval: Duration
    private let lock = NSLock()
    private let clock = ContinuousClock()
    private var polled: (at: ContinuousClock.Instant, poll: Poll)?
    /// The progress at the window's last read of new rows, and whether that read got all of them.
    private var readAt: RunState?
    private var readAll = false
    private var columns = ""
    /// The rows of epochs after `windowStart`, in order, without gaps in what the run has.
    private var window: [(epoch: Int64, row: String, texts: String)] = []
    private var windowStart: Int64?
    /// The events made from the window lately, by their first and last epochs: clients that keep up
    /// ask for the same rows one after the other.
    private var events: [(first: Int64, last: Int64, bytes: [UInt8])] = []
    /// The rows read lately for clients far behind the window, by the epoch they came after.
    private var caughtUp: [(after: Int64, rows: Rows)] = []

    init(runID: Int64, interval: Duration) {
        (self.runID, self.interval) = (runID, interval)
    }

    /// The run's progress and latest step, read at most once per interval, and the new epoch rows
    /// after the window's last read with that progress.
    func poll(_ store: SharedStore, from epoch: Int64) throws -> Poll {
        lock.lock()
        defer { lock.unlock() }
        if windowStart == nil { windowStart = epoch }
        // A little under the interval: the clients' polls drift, and one of them reads for all.
        if let polled, clock.now - polled.at < interval * 0.8 { return polled.poll }
        let runID = self.runID
        let poll = try store.read { catalog throws -> Poll in
            guard let progress = try catalog.progress(of: runID) else { return Poll(progress: nil, latest: nil) }
            let latest = try catalog.latestStep(of: runID).map { StepPoint(step: Int64($0.step), epoch: Int64($0.epoch),
                                                                           loss: $0.loss.isNaN ? nil : $0.loss) }
            return Poll(progress: progress, latest: latest)
        }
        polled = (clock.now, poll)
        if let progress = poll.progress, progress != readAt || !readAll {
            let rows = try read(after: window.last?.epoch ?? windowStart ?? epoch, store)
            window += zip(rows.rows, rows.texts).enumerated().map { (epoch: rows.epochs[$0.offset], row: $0.element.0, texts: $0.element.1) }
            (readAt, readAll) = (progress, rows.rows.count < EventStream.batchLimit)
            trim()
        }
        return poll
    }

    /// The rows after `epoch` for a client, at most `EventStream.batchLimit`, from the window when
    /// it holds that epoch, else read for it.
    func rows(after epoch: Int64, _ store: SharedStore) throws -> Rows {
        lock.lock()
        defer { lock.unlock() }
        let start = windowStart ?? epoch
        guard epoch >= start else { return try behind(epoch, start: start, store) }
        let first = firstIndex(after: epoch)
        let end = min(window.count, first + EventStream.batchLimit)
        var rows = Rows()
        rows.last = end > first ? window[end - 1].epoch : nil
        rows.complete = end == window.count && readAll
        guard let last = rows.last else { return rows }
        if let made = events.first(where: { $0.first == window[first].epoch && $0.last == last }) {
            rows.event = made.bytes
        } else {
            rows.event = Self.event(columns: columns, rows: window[first..<end].map(\.row), texts: window[first..<end].map(\.texts))
            events = Self.keeping(events, (window[first].epoch, last, rows.event))
        }
        return rows
    }

    /// How many recent events the feed keeps for the clients that ask for the same rows.
    private static let eventsKept = 4

    /// The newest `eventsKept` of `kept` and `new`.
    private static func keeping<T>(_ kept: [T], _ new: T) -> [T] {
        Array(kept.suffix(eventsKept - 1)) + [new]
    }

    /// The `epochs` event of these rows and their texts (JSON arrays), under the report's columns.
    static func event(columns: String, rows: [String], texts: [String]) -> [UInt8] {
        Array(("event: epochs\ndata: {\"columns\":[" + columns + "],\"rows\":[" + rows.joined(separator: ",")
            + "],\"texts\":[" + texts.joined(separator: ",") + "]}\n\n").utf8)
    }

    /// A client behind the window reads its own rows; they join the window when they reach it and it has room.
    ///
    /// Further behind (a run that writes faster than its clients keep up leaves them all there), a
    /// read ends at the next multiple of the batch: clients behind from different epochs meet after
    /// one read, and those at the same epoch share the next ones (`caughtUp`) instead of each
    /// reading the same rows.
    private func behind(_ epoch: Int64, start: Int64, _ store: SharedStore) throws -> Rows {
        let batch = Int64(EventStream.batchLimit)
        if epoch >= 0, epoch < Int64.max - batch, case let boundary = (epoch / batch + 1) * batch, boundary < start {
            if let kept = caughtUp.first(where: { $0.after == epoch }) { return kept.rows }
            // Every row up to the boundary exists (the window starts after it), and fits in one batch.
            let read = try self.read(after: epoch, store)
            let shown = Self.count(read.epochs, through: boundary)
            let rows = Rows(event: shown == 0 ? [] : Self.event(columns: columns, rows: Array(read.rows.prefix(shown)),
                                                                texts: Array(read.texts.prefix(shown))),
                            last: boundary, complete: false)
            caughtUp = Self.keeping(caughtUp, (epoch, rows))
            return rows
        }
        let read = try self.read(after: epoch, store)
        var rows = Rows(event: read.rows.isEmpty ? [] : Self.event(columns: columns, rows: read.rows, texts: read.texts),
                        last: read.epochs.last, complete: read.rows.count < EventStream.batchLimit)
        let reachesWindow = (read.epochs.last ?? epoch) >= start || rows.complete
        if reachesWindow && window.count + read.rows.count <= Self.windowLimit {
            let joined = (0..<Self.count(read.epochs, through: start))
                .map { (epoch: read.epochs[$0], row: read.rows[$0], texts: read.texts[$0]) }
            window.insert(contentsOf: joined, at: 0)
            windowStart = epoch
        }
        if !rows.complete { return rows }
        rows.complete = readAll
        return rows
    }

    /// How many of `epochs` (in increasing order, as the report reads them) are `last` or before.
    private static func count(_ epochs: [Int64], through last: Int64) -> Int {
        epochs.prefix { $0 <= last }.count
    }

    /// The index of the window's first row after `epoch` (its count when none is).
    private func firstIndex(after epoch: Int64) -> Int {
        var (low, high) = (0, window.count)
        while low < high {
            let middle = (low + high) / 2
            if window[middle].epoch <= epoch { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Keeps the newest `windowLimit` rows.
    private func trim() {
        guard window.count > Self.windowLimit else { return }
        let dropped = window.count - Self.windowLimit
        windowStart = window[dropped - 1].epoch
        window.removeFirst(dropped)
    }

    /// The per-epoch report's rows after `epoch`, at most a batch, each formatted once.
    private func read(after epoch: Int64, _ store: SharedStore) throws -> (epochs: [Int64], rows: [String], texts: [String]) {
        let runID = self.runID
        var table = Table(columns: [], rows: [])
        try store.read { catalog in
            try catalog.streamEpochReport(of: runID, after: epoch, limit: EventStream.batchLimit,
                                          columns: { table.columns = $0 }, row: { table.rows.append($0) })
        }
        if columns.isEmpty { columns = table.columns.map { JSONRowWriter.json(.text($0)) }.joined(separator: ",") }
        return (table.rows.map { $0.first?.int64Value ?? 0 },
                table.rows.map { "[" + $0.map(JSONRowWriter.json).joined(separator: ",") + "]" },
                table.rows.map(EventStream.Iterator.texts))
    }
}

/// The feeds of the runs being watched, one per run while any client follows it.
final class RunFeeds: @unchecked Sendable {
    private final class Weak {
        weak var feed: RunFeed?
        init(_ feed: RunFeed) { self.feed = feed }
    }

    private let lock = NSLock()
    private var feeds: [Int64: Weak] = [:]

    /// The feed of run `runID`, made when no client follows the run yet.
    func feed(of runID: Int64, interval: Duration) -> RunFeed {
        lock.lock()
        defer { lock.unlock() }
        if let feed = feeds[runID]?.feed { return feed }
        feeds = feeds.filter { $0.value.feed != nil }
        let feed = RunFeed(runID: runID, interval: interval)
        feeds[runID] = Weak(feed)
        return feed
    }
}
