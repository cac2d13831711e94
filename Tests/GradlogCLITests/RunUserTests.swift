import Foundation
import SQLiteDB
import TestSupport
import Testing
import Tracker
@testable import GradlogCLI

/// Who ran a run (`runs.run_by`): from `--user`, else the environment, shown by `runs` and `show`.
/// A fresh database per test.
@Suite struct RunUserTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    private func runBy() throws -> [SQLiteValue] {
        try Database(path: cli.database).rows("SELECT run_by FROM runs ORDER BY id").map { $0[0] }
    }

    @Test func theUserComesFromUSERThenLOGNAMEThenTheSystemElseIsEmpty() {
        let system = { "sys" as String? }
        #expect(RunUser.current(environment: ["USER": "ana", "LOGNAME": "bo"], systemName: system) == "ana")
        #expect(RunUser.current(environment: ["USER": "", "LOGNAME": "bo"], systemName: system) == "bo")
        #expect(RunUser.current(environment: ["LOGNAME": "bo"], systemName: system) == "bo")
        #expect(RunUser.current(environment: [:], systemName: system) == "sys")
        #expect(RunUser.current(environment: [:], systemName: { nil }) == "")
    }

    @Test func runAndLogRecordTheEnvironmentsUserOrTheOneGivenWithUser() throws {
        #expect(cli.run(["run", "--epochs", "2"], environment: ["USER": "ana"]).code == 0)
        #expect(cli.run(["run", "--epochs", "2", "--user", "bo"], environment: ["USER": "ana"]).code == 0)
        #expect(cli.run(["run", "--epochs", "2"], environment: ["LOGNAME": "cy"]).code == 0)
        let line = #"{"step": 1, "loss": 0.5}"# + "\n" + #"{"end": "finished"}"# + "\n"
        #expect(cli.run(["log", "--user", "dee"], environment: ["USER": "ana"], input: line).code == 0)
        #expect(cli.run(["log"], environment: ["USER": "eve"], input: line).code == 0)
        #expect(try runBy() == [.text("ana"), .text("bo"), .text("cy"), .text("dee"), .text("eve")])
        // With neither variable set, the system's name of this process's user (empty if it has none).
        #expect(cli.run(["run", "--epochs", "1"]).code == 0)
        #expect(try runBy().last == .text(RunUser.systemName() ?? ""))
    }

    @Test func runsShowsAUserColumnAndShowTheRunByField() throws {
        #expect(cli.run(["run", "--epochs", "2", "--user", "ana"]).code == 0)
        // A run logged before gradlog recorded its user has none (NULL): an empty cell.
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        try Database(path: cli.database).execute("UPDATE runs SET run_by = NULL WHERE id = 2")
        let listed = cli.run(["runs", "--csv"]).out.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(listed.first?.last == "user")
        #expect(listed.dropFirst().map { $0.last.map(String.init) } == ["ana", ""])
        let shown = cli.run(["show", "1", "--csv"]).out
        #expect(shown.contains("\r\nrun_by,ana\r\n"), "\(shown)")
    }

    @Test func aFileFromBeforeVersion9KeepsItsRunsWithNoUser() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent("schema-v3.db").path, toPath: cli.database)
        #expect(cli.run(["run", "--epochs", "1", "--user", "ana"]).code == 0)
        let users = try runBy()
        #expect(users.count > 1)
        #expect(users.dropLast().allSatisfy { $0 == .null } && users.last == .text("ana"))
    }
}
