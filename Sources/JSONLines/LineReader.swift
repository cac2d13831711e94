#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor in large chunks and hands each over in place, without
/// copying it; while no input comes it wakes up to let its caller commit or stop.
package final class LineReader {
    /// Why reading stopped before the end of the input.
    package enum Failure: Error, Sendable {
        /// read(2) failed with this errno.
        case read(Int32)
        /// A line longer than `maxLineBytes`.
        case lineTooLong(line: Int)
    }

    /// The longest line taken: far above any step of a model gradlog can chart.
    package static let maxLineBytes = 64 << 20

    private let descriptor: Int32
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var start = 0, end = 0
    /// The number of the last line handed over, from 1.
    private(set) var lineNumber = 0
    /// True while handing over a last line that the input ended without a newline.
    private(set) var inUnterminatedLine = false

    /// A reader of `descriptor`, which stays open.
    package init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer = .allocate(capacity: 1 << 16)
    }

    deinit { buffer.deallocate() }

    /// Calls `line` with each line (without its newline; the byte after it is a newline or a 0),
    /// until the input ends or `line` returns false. While no input is ready it waits at most
    /// `wait()` seconds (nil: a second), then calls `idle`, which may return false to stop.
    package func forEach(wait: () -> Double?, idle: () throws -> Bool,
                 _ line: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws {
        while true {
            if let newline = nextNewline() {
                lineNumber += 1
                let text = UnsafeBufferPointer(rebasing: buffer[start..<newline])
                start = newline + 1
                guard try line(text) else { return }
                continue
            }
            guard try ready(waitingAtMost: wait() ?? 1) else {
                guard try idle() else { return }
                continue
            }
            try makeRoom()
            let count = read(descriptor, buffer.baseAddress! + end, buffer.count - end - 1)
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure.read(errno)
            }
            if count == 0 {  // the end: a last line without its newline still counts
                guard end > start else { return }
                lineNumber += 1
                buffer[end] = 0
                inUnterminatedLine = true
                _ = try line(UnsafeBufferPointer(rebasing: buffer[start..<end]))
                return
            }
            end += count
        }
    }

    private func nextNewline() -> Int? {
        guard end > start, let base = buffer.baseAddress,
              let found = memchr(base + start, 0x0A, end - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether input (or its end) is ready within `seconds`; false after a timeout or a signal.
    private func ready(waitingAtMost seconds: Double) throws -> Bool {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let result = poll(&request, 1, Int32(max(0, min(seconds, 1)) * 1000))
        return result > 0
    }

    /// Moves the unread bytes to the front and grows the buffer when a line fills it, keeping one
    /// byte free after the data for the 0 that ends a last line.
    private func makeRoom() throws {
        if start > 0 {
            let count = end - start
            if count > 0 { buffer.baseAddress!.update(from: buffer.baseAddress! + start, count: count) }
            (start, end) = (0, count)
        }
        guard end + 1 >= buffer.count else { return }
        guard buffer.count < Self.maxLineBytes else { throw Failure.lineTooLong(line: lineNumber + 1) }
        let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
        larger.baseAddress!.update(from: buffer.baseAddress!, count: end)
        buffer.deallocate()
        buffer = larger
    }
}
