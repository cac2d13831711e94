#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tracker
import Training
import Wording
import JSONLines

/// A problem found by the command line itself, outside the tracker.
enum CLIError: Error, CustomStringConvertible {
    /// A run diverged; the message says where.
    case diverged(runID: Int64, divergence: Trainer.Divergence)
    /// A signal stopped a run after it committed its last step.
    case interrupted(runID: Int64, signal: Int32, steps: Int)
    /// `gradlog log` read no step, so no run was made.
    case nothingLogged
    /// A line of `gradlog log`'s input breaks the format; the run (if it began) ended `failed`.
    case badLogLine(line: Int, message: String, runID: Int64?)
    /// `gradlog log`'s end line said the run did not finish.
    case loggedEnding(runID: Int64, status: RunStatus, error: String?)
    /// `gradlog log`'s input ended without an end line; the run ended `interrupted`.
    case inputEndedEarly(runID: Int64, cutLine: Int?)
    /// Standard input could not be read (errno) after `afterLine` lines.
    case unreadableInput(errno: Int32, afterLine: Int)
    /// A signal stopped `gradlog log`; the run (if one began) ended `interrupted`.
    case logInterrupted(runID: Int64?, signal: Int32)
    /// The arguments of `gradlog sweep` do not describe a sweep.
    case badSweep(String)
    /// A sweep's worker process could not be started (posix_spawn's errno).
    case cannotStartWorker(executable: String, errno: Int32)
    /// Some trials of a sweep failed (their runs say why), or a signal stopped it.
    case sweepIncomplete(sweep: String, failed: Int, signal: Int32?)
    /// `gradlog serve` found no `gradlog-serve` executable beside gradlog.
    case serverMissing(path: String)
    /// `gradlog-serve` could not be started (execv's errno).
    case cannotStartServer(executable: String, errno: Int32)
    /// Another error, passed through while writing output.
    case failed(any Error)

    /// What to try after a divergence, in the command line's flags (the divergence itself, stored
    /// in `runs.error`, names none): never the learning rate before it could have acted.
    private static func hint(for divergence: Trainer.Divergence) -> String {
        guard divergence.happenedBeforeAnyUpdate else { return " (try a smaller --lr)" }
        if case .textbookLossSaturated = divergence { return " (try --loss stable)" }
        return " (at the initial parameters, before any update: not the learning rate; check --w, --b or --init)"
    }

    var description: String {
        switch self {
        case let .diverged(runID, divergence):
            "run \(runID) diverged: \(divergence); every step up to there is logged"
                + Self.hint(for: divergence)
        case let .interrupted(runID, signal, steps):
            "run \(runID) was stopped by \(signalName(signal)); its \(steps) steps so far are kept"
        case .nothingLogged:
            "no step was read from standard input, so no run was made; see `gradlog log --help` for the lines it takes"
        case let .badLogLine(line, message, runID):
            "line \(line): \(message)" + (runID.map { "; run \($0) is marked failed, with every step before that line" }
                ?? "; nothing was logged")
        case let .loggedEnding(runID, status, error):
            "the input ended run \(runID) as \(status.rawValue)" + (error.map { ": \(MessageText.shown($0))" } ?? "")
        case let .inputEndedEarly(runID, cutLine):
            (cutLine.map { "the input ended in the middle of line \($0) (left out), " } ?? "the input ended ")
                + "without an end line ({\"end\": \"finished\"}): run \(runID) is marked interrupted, with every step read"
        case let .unreadableInput(number, line):
            "cannot read standard input after line \(line): \(String(cString: strerror(number)))"
        case let .logInterrupted(runID?, signal):
            "run \(runID) was stopped by \(signalName(signal)); every step read so far is kept"
        case let .logInterrupted(nil, signal):
            "stopped by \(signalName(signal)) before any step was read: no run was made"
        case .badSweep(let problem): problem
        case let .serverMissing(path):
            "gradlog serve needs the web server, \(path), which is not built; build it with: swift build --product gradlog-serve"
        case let .cannotStartServer(executable, number):
            "cannot start the web server \(executable): \(String(cString: strerror(number)))"
        case let .cannotStartWorker(executable, number):
            "cannot start a trial with \(executable): \(String(cString: strerror(number)))"
        case let .sweepIncomplete(sweep, failed, signal?):
            "sweep \(sweep) stopped by \(signalName(signal))\(failed > 0 ? " (\(failed) trials failed)" : ""); "
                + "the trials not finished run again with the same command and --resume \(sweep)"
        case let .sweepIncomplete(sweep, failed, nil):
            "\(failed) trial\(failed == 1 ? "" : "s") of sweep \(sweep) failed (see `\(Hint.command("sweep show \(sweep)"))` and "
                + "each run's error); they run again with the same command and --resume \(sweep)"
        case let .failed(error as TrackerError): error.message
        case let .failed(error): "\(error)"
        }
    }
}
