import Foundation
@testable import GradlogCLI

/// Runs command lines in-process as `Gradlog.execute` does, parsing each distinct one once per test
/// process: a test that runs the same commands against many crafted files at one path, or the same
/// line as another test, pays for a few parses, not hundreds (a parse costs milliseconds in a debug
/// build). A line that does not parse is parsed again each time, as it must be to word its error.
final class ParsedCommandLines: @unchecked Sendable {
    /// The lines every test of this process has run.
    static let shared = ParsedCommandLines()

    private init() {}

    private let lock = NSLock()
    private var parsed: [[String]: Gradlog.ParsedCommandLine] = [:]

    /// The exit code of `arguments` run within `context`.
    func execute(_ arguments: [String], context: CommandContext) -> Int32 {
        if let line = lock.withLock({ parsed[arguments] }) { return Gradlog.execute(line, context: context) }
        return Gradlog.execute(arguments, context: context) { line in lock.withLock { parsed[arguments] = line } }
    }
}
