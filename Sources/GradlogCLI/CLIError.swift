/// A problem found by the command line itself, outside the tracker.
enum CLIError: Error, CustomStringConvertible {
    /// The `--output` file could not be written.
    case outputFile(path: String, reason: String)
    /// A run diverged; the message says where.
    case diverged(runID: Int64, reason: String)
    /// Another error, passed through while writing output.
    case failed(any Error)

    var description: String {
        switch self {
        case let .outputFile(path, reason): "--output \(path): \(reason)"
        case let .diverged(runID, reason):
            "run \(runID) diverged: \(reason); every step up to there is logged (try a smaller --lr)"
        case let .failed(error): "\(error)"
        }
    }
}
