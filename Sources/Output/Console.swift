#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CTerminal

// Swift 6 cannot use the C globals `stdout` and `stderr`; these streams own the same descriptors.
// gradlog writes to them from one thread only, and exit() flushes them.
nonisolated(unsafe) private let standardOutput = fdopen(STDOUT_FILENO, "w")
nonisolated(unsafe) private let standardError = fdopen(STDERR_FILENO, "w")

/// Where a command writes: data to `out`, messages to `err`.
///
/// Commands never print directly, so that tests can run the whole CLI in-process and read both
/// streams. Writes to `out` report failure (a full disk, a closed pipe) as an errno value.
public final class Console: @unchecked Sendable {
    private let writeOut: (String) -> Int32?
    private let flushOutput: () -> Int32?
    private let writeErr: (String) -> Void
    /// True when `out` is a terminal (a person watching, who typed any ^C on the current line).
    public let outputIsTerminal: Bool
    /// The width of `out`'s terminal in columns, when it is one and says.
    public let outputColumns: Int?
    /// True when a person can answer a question: standard input and standard error are terminals.
    public let isInteractive: Bool
    /// True when `err` is a terminal, where a progress line can be redrawn.
    public let errorIsTerminal: Bool
    /// The width of `err`'s terminal in columns, when it is one and says.
    public let errorColumns: Int?
    private let readAnswer: () -> String?
    /// What was written to `out` when capturing.
    public private(set) var capturedOut = ""
    /// What was written to `err` when capturing.
    public private(set) var capturedErr = ""

    private init(
        out: @escaping (String) -> Int32?, flush: @escaping () -> Int32?, err: @escaping (String) -> Void,
        terminal: Bool, columns: Int? = nil, interactive: Bool = false, errorTerminal: Bool = false,
        errorWidth: Int? = nil, answer: @escaping () -> String? = { nil }
    ) {
        outputIsTerminal = terminal
        outputColumns = columns
        errorColumns = errorTerminal ? (errorWidth ?? columns) : nil
        errorIsTerminal = errorTerminal
        isInteractive = interactive
        readAnswer = answer
        writeOut = out
        flushOutput = flush
        writeErr = err
    }

    /// A console that keeps everything in memory (for tests); one thread at a time.
    ///
    /// With `failingAfter`, writes to `out` fail with `failure` (e.g. ENOSPC) once that many bytes
    /// were written, as a full disk or a closed pipe would.
    ///
    /// With `answers`, the console is interactive and `ask` gets them in turn.
    public static func capturing(
        failingAfter limit: Int? = nil, failure: Int32 = ENOSPC, terminal: Bool = false, answers: [String]? = nil,
        errorTerminal: Bool = false, columns: Int? = nil
    ) -> Console {
        var remaining = answers ?? []
        var console: Console!
        console = Console(
            out: { text in
                if let limit, console.capturedOut.utf8.count + text.utf8.count > limit { return failure }
                console.capturedOut += text
                return nil
            },
            flush: { nil },
            err: { console.capturedErr += $0 },
            terminal: terminal, columns: columns, interactive: answers != nil, errorTerminal: errorTerminal,
            answer: { remaining.isEmpty ? nil : remaining.removeFirst() })
        return console
    }

    /// The process's standard output and standard error.
    public static func standard() -> Console {
        Console(
            out: { fputs($0, standardOutput) < 0 ? errno : nil },
            flush: { fflush(standardOutput) != 0 ? errno : nil },
            err: { fputs($0, standardError); fflush(standardError) },
            terminal: isatty(STDOUT_FILENO) == 1,
            columns: { let width = gradlog_terminal_columns(STDOUT_FILENO); return width > 0 ? Int(width) : nil }(),
            interactive: isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1,
            errorTerminal: isatty(STDERR_FILENO) == 1,
            errorWidth: { let width = gradlog_terminal_columns(STDERR_FILENO); return width > 0 ? Int(width) : nil }(),
            answer: { readLine(strippingNewline: true) })
    }

    /// Writes data; returns errno when the write failed.
    @discardableResult
    public func out(_ text: String) -> Int32? { writeOut(text) }

    /// Pushes buffered data out; returns errno when that failed.
    public func flushOut() -> Int32? { flushOutput() }

    /// Writes a diagnostic line.
    public func err(_ text: String) { writeErr(text) }

    /// Asks a yes/no question on the error stream; true only for an answer of y or yes.
    public func confirm(_ question: String) -> Bool {
        writeErr(question + " [y/N] ")
        guard let line = readAnswer() else {
            writeErr("\n")  // end of input (Ctrl-D): the next message starts on a line of its own
            return false
        }
        let answer = line.filter { !$0.isWhitespace }.lowercased()
        return answer == "y" || answer == "yes"
    }
}
