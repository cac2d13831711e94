#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Training

/// Where and how a run was made, recorded beside its hyperparameters so that it can be traced and
/// re-executed. Nothing here feeds into training.
public struct Provenance: Sendable {
    /// The full command line, program name first.
    public var commandLine: [String]
    /// The working directory the command ran in.
    public var workingDirectory: String
    /// Who ran it (`--user`), or nil for the user the environment names (`RunUser.current`).
    public var user: String?

    /// Creates the caller-supplied part; the rest is read from the machine when the run starts.
    public init(commandLine: [String], workingDirectory: String, user: String? = nil) {
        self.commandLine = commandLine
        self.workingDirectory = workingDirectory
        self.user = user
    }

    /// The current process's working directory, or "" when it cannot be read.
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The operating system and its release, e.g. "Linux 6.1.0", and the CPU architecture.
    static func system() -> (os: String, arch: String) {
        var names = utsname()
        uname(&names)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return ("\(text(names.sysname)) \(text(names.release))", text(names.machine))
    }

    /// The Swift compiler that built this binary, to the minor version.
    static var swiftVersion: String {
        #if compiler(>=6.4)
        "6.4 or later"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    /// SHA-256 of the samples in order: for each sample its inputs, then its label, each as the
    /// 8 bytes of the Double's bit pattern, big-endian. Equal samples give equal digests anywhere.
    public static func samplesDigest(_ data: Dataset) -> String {
        var hash = SHA256()
        for sample in 0..<data.sampleCount {
            for value in data.inputs(ofSample: sample) + [data.labels[sample]] {
                // As stored: a REAL column keeps no sign of zero, so -0.0 is hashed as 0.0.
                hash.update(withUnsafeBytes(of: (value + 0.0).bitPattern.bigEndian) { Array($0) })
            }
        }
        return hash.hexDigest()
    }
}
