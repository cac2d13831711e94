import FlyingSocks
import Output
import SQLiteDB
import Tracker

/// The live rows of one run as server-sent events (`text/event-stream`): only what comes after the
/// step and epoch the page already has, never the whole history.
///
/// Every `interval` the stream reads the run's row in `runs` by its key; only when its step count,
/// epoch count, status or heartbeat moved does it read the new rows, by the keys of `steps` and
/// `epochs`. Events: `steps` (`[[step, epoch, loss], ...]`), `epochs` (`{"columns": [...], "rows":
/// [[...], ...], "texts": [[...], ...]}`, the per-epoch report's rows, as values and as the page's
/// table prints them), `progress` (`{"status", "steps", "epochs", "step", "loss", "lossText"}`, with
/// the id `STEP:EPOCH` that a reconnecting browser sends back as Last-Event-ID), and
/// `end` once a run that is no longer running has sent everything; then the stream closes.
public struct EventStream: AsyncBufferedSequence, Sendable {
    public typealias Element = UInt8

    let store: SharedStore
    let runID: Int64
    /// The last step and epoch the page has.
    let after: (step: Int64, epoch: Int64)
    var interval: Duration = .milliseconds(250)
    /// A comment line this often keeps proxies from closing a quiet stream (and finds closed ones).
    var keepAlive: Duration = .seconds(15)
    /// The stream ends after this long; the browser reconnects from where it was.
    var lifetime: Duration = .seconds(1_800)

    /// Whether every step goes out as `steps` events (`?steps=1`); the run page needs only the
    /// latest, in `progress`, and reads it by the key instead.
    var sendsSteps = false

    /// The most steps, and epochs, one poll sends; the rest follow at the next.
    static let batchLimit = 2_000

    /// The run's poll shared with the other clients that follow it (`RunFeed`); without one (or
    /// with `sendsSteps`) the stream reads for itself.
    var feed: RunFeed?

    public func makeAsyncIterator() -> Iterator {
        Iterator(stream: self, step: after.step, epoch: after.epoch)
    }

    public struct Iterator: AsyncBufferedIteratorProtocol {
        let stream: EventStream
        var step: Int64
        var epoch: Int64
        var seen: RunState?
        /// The progress of the last `progress` event sent from the feed.
        var sent: RunState?
        var finished = false
        var pacer: EventPacer

        init(stream: EventStream, step: Int64, epoch: Int64) {
            self.stream = stream
            self.step = step
            self.epoch = epoch
            pacer = EventPacer(interval: stream.interval, keepAlive: stream.keepAlive, lifetime: stream.lifetime)
        }

        public mutating func next() async throws -> UInt8? {
            guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
            return buffer.first
        }

        public mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            var pacer = self.pacer
            defer { self.pacer = pacer }
            return try await pacer.nextBuffer(suggested: count, parts: { finished ? nil : try poll() })
        }

        /// The events since the last poll, in parts (none when the run has not moved).
        mutating func poll() throws -> [[UInt8]] {
            guard let feed = stream.feed, !stream.sendsSteps else { return [Array(try pollAlone().utf8)] }
            let shared = try feed.poll(stream.store, from: epoch)
            guard let progress = shared.progress else {
                finished = true
                return [Array("event: end\ndata: \"gone\"\n\n".utf8)]
            }
            guard progress != seen else { return [] }
            let rows = try feed.rows(after: epoch, stream.store)
            // Waiting for the feed's next read of a run that writes faster than it is read: nothing
            // new to send until then (a progress event each time would keep the stream from pausing).
            if rows.last == nil && !rows.complete && progress == sent { return [] }
            sent = progress
            if let latest = shared.latest { step = Swift.max(step, latest.step) }
            if let last = rows.last { epoch = last }
            // Only a complete read may be remembered: otherwise the next poll must read on.
            if rows.complete { seen = progress }
            var text = progressEvent(progress, latest: shared.latest)
            if rows.complete && progress.status != RunStatus.running.rawValue {
                finished = true
                text += "event: end\ndata: \(JSONRowWriter.json(.text(progress.status)))\n\n"
            }
            // The rows' event is the feed's, shared with the other clients: sent as it is, not copied.
            return [rows.event, Array(text.utf8)]
        }

        /// The `progress` event, with the id `STEP:EPOCH` a reconnecting browser sends back.
        func progressEvent(_ progress: RunState, latest: StepPoint?) -> String {
            let lossValue = latest.map { $0.loss.map(SQLiteValue.real) ?? .null }
            let loss = lossValue.map(JSONRowWriter.json) ?? "null"
            // The loss as the page prints it (`-1.0`, not JavaScript's `-1`), so live and drawn text agree.
            let lossText = lossValue.map { JSONRowWriter.json(.text(CellText.plain($0))) } ?? "null"
            return "id: \(step):\(epoch)\nevent: progress\ndata: {\"status\":\(JSONRowWriter.json(.text(progress.status))),"
                + "\"steps\":\(progress.steps),\"epochs\":\(progress.epochs),\"step\":\(step),\"loss\":\(loss),"
                + "\"lossText\":\(lossText)}\n\n"
        }

        /// The events since the last poll read by this stream alone (every step with `sendsSteps`).
        mutating func pollAlone() throws -> String {
            let runID = stream.runID, after = (step: step, epoch: epoch)
            let sendsSteps = stream.sendsSteps
            let read = try stream.store.read { catalog throws -> (RunState?, [StepPoint], Table) in
                guard let progress = try catalog.progress(of: runID) else { return (nil, [], Table(columns: [], rows: [])) }
                guard progress != seen else { return (progress, [], Table(columns: [], rows: [])) }
                // The page shows only the latest step: one row by the key, unless every step was asked for.
                let steps = sendsSteps ? try catalog.steps(of: runID, after: after.step, limit: EventStream.batchLimit)
                    : try catalog.latestStep(of: runID).map { [StepPoint(step: Int64($0.step), epoch: Int64($0.epoch),
                                                                          loss: $0.loss.isNaN ? nil : $0.loss)] } ?? []
                var epochs = Table(columns: [], rows: [])
                try catalog.streamEpochReport(of: runID, after: after.epoch, limit: EventStream.batchLimit,
                                              columns: { epochs.columns = $0 }, row: { epochs.rows.append($0) })
                return (progress, steps, epochs)
            }
            guard let progress = read.0 else {
                finished = true
                return "event: end\ndata: \"gone\"\n\n"
            }
            guard progress != seen else { return "" }
            let (steps, epochs) = (read.1, read.2)
            var text = ""
            if !sendsSteps, let latest = steps.last {
                step = Swift.max(step, latest.step)
            } else if !steps.isEmpty {
                text += "event: steps\ndata: [" + steps.map { point in
                    "[\(point.step),\(point.epoch),\(JSONRowWriter.json(point.loss.map(SQLiteValue.real) ?? .null))]"
                }.joined(separator: ",") + "]\n\n"
                step = steps[steps.count - 1].step
            }
            if !epochs.rows.isEmpty {
                text += "event: epochs\ndata: {\"columns\":[" + epochs.columns.map { JSONRowWriter.json(.text($0)) }.joined(separator: ",")
                    + "],\"rows\":[" + epochs.rows.map { "[" + $0.map(JSONRowWriter.json).joined(separator: ",") + "]" }.joined(separator: ",")
                    + "],\"texts\":[" + epochs.rows.map(Self.texts).joined(separator: ",") + "]}\n\n"
                epoch = epochs.rows[epochs.rows.count - 1].first?.int64Value ?? epoch
            }
            let complete = (!sendsSteps || steps.count < EventStream.batchLimit) && epochs.rows.count < EventStream.batchLimit
            // Only a complete read may be remembered: otherwise the next poll must read on.
            if complete { seen = progress }
            text += progressEvent(progress, latest: steps.last)
            if complete && progress.status != RunStatus.running.rawValue {
                finished = true
                text += "event: end\ndata: \(JSONRowWriter.json(.text(progress.status)))\n\n"
            }
            return text
        }

        /// A row's cells as the page's table prints them (`HTMLTable`), a JSON array of strings.
        static func texts(_ row: [SQLiteValue]) -> String {
            "[" + row.map { JSONRowWriter.json(.text(CellText.plain($0))) }.joined(separator: ",") + "]"
        }
    }
}
