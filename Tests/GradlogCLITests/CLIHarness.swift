import TestSupport
import Foundation
@testable import GradlogCLI
@testable import Output

/// Runs gradlog commands in-process against a fresh database file.
final class CLIHarness {
    let directory: TemporaryDirectory
    let database: String

    init() throws {
        directory = try TemporaryDirectory()
        database = directory.file("test.db")
    }

    private init(directory: TemporaryDirectory, database: String) {
        self.directory = directory
        self.database = database
    }

    /// A harness whose database is a fresh copy of `template`; returns it with what the template tells.
    static func copying<Extra>(_ template: DatabaseTemplate<Extra>) throws -> (CLIHarness, Extra) {
        let cli = try CLIHarness()
        let extra = try template.copy(to: cli.database)
        return (cli, extra)
    }

    /// A harness for another database in the same temporary directory.
    static func sharing(_ directory: TemporaryDirectory, name: String) -> CLIHarness {
        CLIHarness(directory: directory, database: directory.file(name))
    }

    struct Result {
        let code: Int32
        let out: String
        let err: String
    }

    /// Runs one command on this harness's database, named by `GRADLOG_DB` (unless `useDatabase` is
    /// false, or `environment` names another); with `errorTerminal`, standard error is a terminal,
    /// where progress lines are drawn. A test about `--db` itself gives it in `arguments`.
    @discardableResult
    func run(_ arguments: [String], useDatabase: Bool = true, environment: [String: String] = [:],
             input: String? = nil, errorTerminal: Bool = false) -> Result {
        let console = Console.capturing(errorTerminal: errorTerminal)
        let named = useDatabase ? ["GRADLOG_DB": database] : [:]
        var context = CommandContext(console: console, environment: named.merging(environment) { _, given in given })
        if let input {
            // Standard input from a file, as `gradlog log < file` reads it.
            let path = directory.file("input-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: path, contents: Data(input.utf8))
            context.input = open(path, O_RDONLY)
        }
        defer { if input != nil { close(context.input) } }
        // The database is named by GRADLOG_DB, not --db, so that the same line in two tests
        // (`run --epochs 3`) is one line, parsed once.
        let code = ParsedCommandLines.shared.execute(arguments, context: context)
        return Result(code: code, out: console.capturedOut, err: console.capturedErr)
    }
}
