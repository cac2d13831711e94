#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tracker
import Wording

/// Output that could not be written where it was to go.
public enum OutputError: Error, CustomStringConvertible {
    /// The `--output` file could not be written.
    case outputFile(path: String, reason: String)
    /// Standard output could not be written (errno): a full disk, a closed pipe.
    case standardOutput(errno: Int32)
    /// The `--output` path is a device, directory or socket, which output never goes to.
    case refused(TrackerError)

    /// The error in words, with what to do about it.
    public var description: String {
        switch self {
        case let .outputFile(path, reason): "--output \(path): \(reason)"
        case .standardOutput(let number): "cannot write to standard output: \(String(cString: strerror(number)))"
        case .refused(let error): error.message
        }
    }
}
