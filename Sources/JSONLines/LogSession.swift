import Tracker
import Training
import Wording

/// Turns `gradlog log`'s lines into one external run: the optional config line, the steps, and
/// the optional end line, refusing the first line that breaks the format.
package final class LogSession {
    /// How the input ended.
    package enum Ending {
        /// An end line said so (after the input ended with nothing but blank lines after it).
        case stated(RunStatus, error: String?, finals: [Double]?, positions: [Int]?)
        /// The input ended without an end line, perhaps in the middle of line `cutLine`.
        case endOfInput(cutLine: Int?)
        /// A signal stopped the command.
        case signal(Int32)
    }

    /// A line that breaks the format, and why.
    package struct BadLine: Error {
        package let line: Int
        package let message: String

        /// A bad line `line`, for `message`.
        package init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    private let store: Store
    private var setup: ExternalRunSetup
    private let commitInterval: Double
    package private(set) var run: ExternalRun?
    private var stated: Ending?
    private var sawContent = false
    private var endLine = 0

    /// A session writing into `store` a run described by `setup` (its parameters are named by the input).
    package init(store: Store, setup: ExternalRunSetup, commitInterval: Double) {
        self.store = store
        self.setup = setup
        self.commitInterval = commitInterval
    }

    /// Handles line `number`, as the decoder read it; throws `BadLine` for a line that breaks the format.
    package func handle(_ decoded: Result<LogLine, JSONScanner.Failure>, number: Int) throws {
        let line: LogLine
        switch decoded {
        case .success(let decodedLine): line = decodedLine
        case .failure(let failure): throw BadLine(line: number, message: failure.message)
        }
        if case .blank = line { return }
        defer { sawContent = true }
        guard stated == nil else { throw BadLine(line: number, message: "a line after the end line") }
        switch line {
        case .blank: return
        case .config(let text):
            guard !sawContent else { throw BadLine(line: number, message: "a config line must be the first line") }
            do {
                try ExternalRun.checkConfig(text, in: store)
            } catch {
                guard case .externalStep(let problem) = error else { throw error }
                throw BadLine(line: number, message: problem.message)
            }
            setup.configJSON = text
        case .step(let step):
            do {
                try startIfNeeded().log(step)
            } catch {
                guard case .externalStep(let problem) = error else { throw error }
                throw BadLine(line: number, message: problem.message)
            }
        case let .end(status, error, finals, positions):
            stated = .stated(status, error: error, finals: finals, positions: positions)
            endLine = number
        }
    }

    private func startIfNeeded() throws(TrackerError) -> ExternalRun {
        if let run { return run }
        let run = try ExternalRun(store: store, setup: setup, commitInterval: commitInterval)
        self.run = run
        return run
    }

    /// Ends the run as the input ended (`ending` when no end line came first) and returns its id,
    /// nil when no step was read; an end line's final values must name the run's parameters.
    package func finish(_ ending: Ending, lastLine: Int) throws -> (Int64?, Ending) {
        let ending = stated ?? ending
        guard let run else { return (nil, ending) }
        switch ending {
        case let .stated(status, error, finals, positions):
            do {
                try run.finish(status: status, error: error, finalValues: finals, positions: positions)
            } catch {
                guard case .externalStep(let problem) = error else { throw error }
                throw BadLine(line: endLine, message: "its params: \(problem.message)")
            }
        case .endOfInput(let cut):
            try run.finish(status: .interrupted, error: cut.map { "the input ended in the middle of line \($0), without an end line" }
                ?? "the input ended after line \(lastLine) without an end line")
        case .signal(let number):
            try run.finish(status: .interrupted, error: "stopped by \(signalName(number))")
        }
        return (run.runID, ending)
    }

    /// Marks the run failed at a bad line, keeping every earlier step.
    package func fail(_ bad: BadLine) throws {
        try run?.finish(status: .failed, error: "line \(bad.line): \(bad.message)")
    }

    /// Seconds until logged steps are due to be committed; nil when none wait.
    package var secondsToCommit: Double? { run.map(\.secondsToNextCommit) }

    /// Commits the steps logged so far once they are due.
    package func commitIfDue() throws {
        try run?.commitIfDue()
    }
}
