import Foundation
import SQLiteDB
import Testing
@testable import GradlogCLI

/// A file whose run carries the uuid of another run here never replaces that run through `merge`.
@Suite struct UUIDTakeoverTests {
    let cli: CLIHarness
    let intruder: CLIHarness

    init() throws {
        cli = try CLIHarness()
        intruder = CLIHarness.sharing(cli.directory, name: "intruder.db")
    }

    /// Every row of the database's runs, steps and gradients, to compare before and after.
    func snapshot(_ path: String) throws -> [[SQLiteValue]] {
        let db = try Database(path: path, mode: .readOnly)
        return try db.rows("SELECT uuid, status, lr, step_count, config FROM runs ORDER BY id")
            + db.rows("SELECT run_id, step, loss FROM steps ORDER BY 1, 2")
            + db.rows("SELECT run_id, step, param, value FROM gradients ORDER BY 1, 2, 3")
    }

    func takeUUID(ofRun id: Int) throws {
        let uuid = try Database(path: cli.database).scalar("SELECT uuid FROM runs WHERE id = \(id)")
        try Database(path: intruder.database).run("UPDATE runs SET uuid = ?", [uuid ?? .null])
    }

    @Test func aFinishedRunIsNeverReplacedByAnotherRunOfItsUUID() throws {
        #expect(cli.run(["run", "--epochs", "5"]).code == 0)
        #expect(intruder.run(["run", "--epochs", "50", "--lr", "0.5"]).code == 0)
        try takeUUID(ofRun: 1)
        let (here, there) = try (snapshot(cli.database), snapshot(intruder.database))
        let merged = cli.run(["merge", intruder.database, "--csv"])
        #expect(merged.code == 1)
        #expect(merged.out.contains("refused,"))
        #expect(merged.err.contains("has the uuid of a run here but is not the same run"), "\(merged.err)")
        #expect(merged.err.contains("to keep both, give the other copy a new uuid"))
        #expect(try snapshot(cli.database) == here)
        #expect(try snapshot(intruder.database) == there)
    }

    @Test func anUnfinishedRunIsCompletedOnlyByTheSameRunWithMoreSteps() throws {
        #expect(cli.run(["run", "--epochs", "5"]).code == 0)
        #expect(intruder.run(["run", "--epochs", "50", "--lr", "0.5"]).code == 0)
        try Database(path: cli.database).execute("UPDATE runs SET status = 'interrupted'")
        try takeUUID(ofRun: 1)
        let here = try snapshot(cli.database)
        #expect(cli.run(["merge", intruder.database]).code == 1)
        #expect(try snapshot(cli.database) == here)
        // The same run, cut short here: its first five steps are exactly those of the longer one.
        let longer = CLIHarness.sharing(cli.directory, name: "longer.db")
        #expect(longer.run(["run", "--epochs", "8"]).code == 0)
        let cut = cli.directory.file("cut.db")
        try FileManager.default.copyItem(atPath: longer.database, toPath: cut)
        try Database(path: cut).execute("""
            DELETE FROM gradients WHERE step > 5; DELETE FROM steps WHERE step > 5; DELETE FROM epochs WHERE epoch > 5;
            DELETE FROM gradient_blocks; UPDATE runs SET status = 'interrupted', step_count = 5, epoch_count = 5
            """)
        let completed = CLIHarness.sharing(cli.directory, name: "cut.db").run(["merge", longer.database, "--csv"])
        #expect(completed.code == 0, "\(completed.err)")
        #expect(completed.out.contains("completed,"))
        #expect(try Database(path: cut).scalar("SELECT step_count FROM runs") == .integer(8))
    }
}
