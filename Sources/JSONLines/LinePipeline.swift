import Dispatch
import Synchronization

/// Reads and decodes `gradlog log`'s lines on a second thread while the calling thread logs them,
/// so that parsing JSON costs the run no time on a machine with two cores.
///
/// Lines travel in batches; a batch is handed over when it is full or when no more input is ready,
/// so that a slow producer's steps still reach the database within the commit interval.
package final class LinePipeline: @unchecked Sendable {
    /// One decoded line, or why it could not be decoded, with its number.
    package typealias Line = (number: Int, line: Result<LogLine, JSONScanner.Failure>)

    /// What the reading thread hands over.
    package enum Batch: Sendable {
        /// Decoded lines, in order.
        case lines([Line])
        /// The input ended after `lastLine` lines; `cutLine` is a last line it ended in the middle
        /// of (no newline, and not a whole line of JSON), as a killed producer leaves one.
        case end(lastLine: Int, cutLine: Int?)
        /// Reading failed (or a line was too long).
        case failed(LineReader.Failure, lastLine: Int)
    }

    /// Lines per batch: enough to make handing over cheap, few enough to keep memory flat.
    package static let batchSize = 512
    /// Batches in flight at most, so that a fast producer cannot fill memory.
    package static let depth = 4

    /// UTF-8's byte-order mark, which some Windows tools write before the first line: not JSON.
    package static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private let queue = Mutex<[Batch]>([])
    private let ready = DispatchSemaphore(value: 0)
    private let free = DispatchSemaphore(value: 0)

    /// Starts reading `descriptor` on a thread of its own.
    package init(descriptor: Int32) {
        // Counted up from 0: libdispatch traps when a semaphore is freed below its initial value,
        // which it is when `gradlog log` stops reading early (a bad line, Ctrl-C).
        for _ in 0..<Self.depth { free.signal() }
        DispatchQueue(label: "gradlog.log.reader").async { [self] in read(descriptor) }
    }

    /// The next batch, or nil when none came within `seconds`.
    package func next(waitingAtMost seconds: Double) -> Batch? {
        guard ready.wait(timeout: .now() + max(0, seconds)) == .success else { return nil }
        let batch = queue.withLock { $0.removeFirst() }
        free.signal()
        return batch
    }

    private func send(_ batch: Batch) {
        free.wait()
        queue.withLock { $0.append(batch) }
        ready.signal()
    }

    private func read(_ descriptor: Int32) {
        let reader = LineReader(descriptor: descriptor)
        var decoder = LogLineDecoder()
        var lines: [Line] = []
        var cutLine: Int?
        func flush() {
            guard !lines.isEmpty else { return }
            send(.lines(lines))
            lines = []
        }
        do {
            // With lines waiting, hand them over as soon as no more input is ready.
            try reader.forEach(wait: { lines.isEmpty ? nil : 0 }, idle: { flush(); return true }) { bytes in
                let text = reader.lineNumber == 1 && bytes.starts(with: Self.byteOrderMark)
                    ? UnsafeBufferPointer(rebasing: bytes[3...]) : bytes
                let decoded = Result { () throws(JSONScanner.Failure) in try decoder.decode(text) }
                if reader.inUnterminatedLine, case .failure = decoded {
                    cutLine = reader.lineNumber
                    return false
                }
                lines.append((reader.lineNumber, decoded))
                if lines.count == Self.batchSize { flush() }
                return true
            }
            flush()
            send(.end(lastLine: reader.lineNumber - (cutLine == nil ? 0 : 1), cutLine: cutLine))
        } catch {
            flush()
            send(.failed(error as? LineReader.Failure ?? .read(0), lastLine: reader.lineNumber))
        }
    }
}
