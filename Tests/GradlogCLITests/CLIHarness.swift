import TestSupport
import Foundation
import GradlogCLI

/// Runs gradlog commands in-process against a fresh database file.
final class CLIHarness {
    let directory: TemporaryDirectory
    let database: String

    init() throws {
        directory = try TemporaryDirectory()
        database = directory.file("test.db")
    }

    struct Result {
        let code: Int32
        let out: String
        let err: String
    }

    /// Runs one command with `--db` pointing at this harness's database (unless `useDatabase` is false).
    @discardableResult
    func run(_ arguments: [String], useDatabase: Bool = true, environment: [String: String] = [:]) -> Result {
        let console = Console.capturing()
        let context = CommandContext(console: console, environment: environment)
        let full = useDatabase && !arguments.isEmpty ? [arguments[0]] + ["--db", database] + arguments.dropFirst() : arguments
        let code = Gradlog.execute(full, context: context)
        return Result(code: code, out: console.capturedOut, err: console.capturedErr)
    }
}
