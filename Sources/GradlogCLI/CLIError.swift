#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tracker
import Training

/// A problem found by the command line itself, outside the tracker.
enum CLIError: Error, CustomStringConvertible {
    /// The `--output` file could not be written.
    case outputFile(path: String, reason: String)
    /// A run diverged; the message says where.
    case diverged(runID: Int64, divergence: Trainer.Divergence)
    /// A signal stopped a run after it committed its last step.
    case interrupted(runID: Int64, signal: Int32, steps: Int)
    /// Standard output could not be written (errno): a full disk, a closed pipe.
    case standardOutput(errno: Int32)
    /// Another error, passed through while writing output.
    case failed(any Error)

    var description: String {
        switch self {
        case let .outputFile(path, reason): "--output \(path): \(reason)"
        case let .diverged(runID, divergence):
            "run \(runID) diverged: \(divergence); every step up to there is logged"
                + (divergence.isSaturatedFromTheStart ? "" : " (try a smaller --lr)")
        case let .interrupted(runID, signal, steps):
            "run \(runID) was stopped by \(signalName(signal)); its \(steps) steps so far are kept"
        case .standardOutput(let number): "cannot write to standard output: \(String(cString: strerror(number)))"
        case let .failed(error as TrackerError): error.message
        case let .failed(error): "\(error)"
        }
    }
}
