#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Swift 6 cannot use the C globals `stdout` and `stderr`; these streams own the same descriptors.
// gradlog writes to them from one thread only, and exit() flushes them.
nonisolated(unsafe) private let standardOutput = fdopen(STDOUT_FILENO, "w")
nonisolated(unsafe) private let standardError = fdopen(STDERR_FILENO, "w")

/// Where a command writes: data to `out`, messages to `err`.
///
/// Commands never print directly, so that tests can run the whole CLI in-process and read both streams.
public final class Console: @unchecked Sendable {
    private let writeOut: (String) -> Void
    private let writeErr: (String) -> Void
    /// What was written to `out` when capturing.
    public private(set) var capturedOut = ""
    /// What was written to `err` when capturing.
    public private(set) var capturedErr = ""

    private init(out: @escaping (String) -> Void, err: @escaping (String) -> Void) {
        writeOut = out
        writeErr = err
    }

    /// A console that keeps everything in memory (for tests); one thread at a time.
    public static func capturing() -> Console {
        var console: Console!
        console = Console(out: { console.capturedOut += $0 }, err: { console.capturedErr += $0 })
        return console
    }

    /// The process's standard output and standard error.
    public static func standard() -> Console {
        Console(out: { fputs($0, standardOutput) }, err: { fputs($0, standardError); fflush(standardError) })
    }

    /// Writes data.
    public func out(_ text: String) { writeOut(text) }

    /// Writes a diagnostic line.
    public func err(_ text: String) { writeErr(text) }
}
