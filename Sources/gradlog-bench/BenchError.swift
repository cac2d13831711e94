/// Why the benchmark could not go on: a file it could not write, or a command that failed.
struct BenchError: Error, CustomStringConvertible {
    /// What failed, in words.
    let description: String

    /// The file at `path` could not be written.
    static func cannotWrite(_ path: String) -> BenchError { BenchError(description: "\(path): cannot write") }

    /// A command the benchmark ran failed.
    static func failed(_ command: String) -> BenchError { BenchError(description: "\(command) failed") }
}
