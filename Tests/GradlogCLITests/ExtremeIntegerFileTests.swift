import Foundation
import SQLiteDB
import Testing
@testable import GradlogCLI
@testable import Output

/// Files whose integer columns were edited to the ends of the 64-bit range, one column at a time:
/// every reading command, charts and pages included, ends with a documented code. An overflow
/// trap would end the test run itself.
@Suite struct ExtremeIntegerFileTests {
    /// Every integer column of gradlog's tables, as `table.column`.
    static func integerColumns(of db: Database) throws -> [(table: String, column: String)] {
        try db.rows("""
            SELECT m.name, p.name FROM sqlite_schema m, pragma_table_xinfo(m.name) p
            WHERE m.type = 'table' AND p.type = 'INTEGER' AND p.hidden = 0 AND m.name <> 'schema_migrations'
            ORDER BY 1, 2
            """).map { ($0[0].stringValue ?? "", $0[1].stringValue ?? "") }
    }

    /// The commands that compute with stored integers (the others are fuzzed in `HostileFileCommandTests`).
    static let commands: [[String]] = [
        ["report", "1"], ["report", "2", "--steps"], ["plot", "1", "2"],
        ["plot", "1", "--chart", "params"], ["plot", "2", "--chart", "params", "--steps"],
        ["plot", "1", "--chart", "gradcheck", "--steps", "--log-y"], ["plot", "2", "--chart", "accuracy"],
        ["report", "1", "2", "--html"],
    ]

    @Test func integersAtTheEndsOfTheRangeInAnyColumnNeverCrashACommand() throws {
        let cli = try CLIHarness()
        let healthy = cli.directory.file("healthy.db")
        for arguments in [["run", "--dataset", "and", "--epochs", "3", "--batch-size", "2"],
                          ["run", "--dataset", "xor", "--hidden", "2", "--epochs", "2"]] {
            #expect(Gradlog.execute([arguments[0], "--db", healthy] + arguments.dropFirst(),
                                    context: CommandContext(console: .capturing(), environment: [:])) == 0)
        }
        try Database(path: healthy).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let columns = try Self.integerColumns(of: Database(path: healthy))
        #expect(columns.count > 30)
        // Every column's file is made at one path, so each command line is parsed once (a parse
        // costs tens of milliseconds in a debug build) and run against every crafted file.
        let crafted = cli.directory.file("crafted.db")
        for (table, column) in columns {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: crafted + suffix) }
            try FileManager.default.copyItem(atPath: healthy, toPath: crafted)
            // The rows holding the column's largest value (the last step, the last epoch, ...) get
            // the largest integer, and those holding its smallest the smallest.
            for (value, end) in [(Int64.max, "max"), (Int64.min, "min")] {
                try? Database(path: crafted).execute(
                    "UPDATE \(table) SET \(column) = \(value) WHERE \(column) = (SELECT \(end)(\(column)) FROM \(table))")
            }
            for arguments in Self.commands.map({ [$0[0], "--db", crafted] + $0.dropFirst() }) {
                let code = ParsedCommandLines.shared.execute(arguments, context: CommandContext(console: .capturing(), environment: [:]))
                #expect([0, 1, 2, 3, 64].contains(code), "exit \(code): \(table).\(column): \(arguments)")
            }
        }
    }
}
