import SQLiteDB
import Testing
import TestSupport
import Tracker
import Training
import Wording

/// What a command does, and says, while another program holds the database.
@Suite struct LockedFileTests {
    @Test func vacuumBesideAReaderOfAnOlderSnapshotSaysTheFileShrinksLater() throws {
        let cli = try CLIHarness()
        cli.run(["run", "--epochs", "20"])
        let reader = try Database(path: cli.database)
        try reader.execute("BEGIN")
        _ = try reader.scalar("SELECT count(*) FROM steps")
        let result = cli.run(["vacuum"])
        #expect(result.code == 0 && result.out.hasPrefix("vacuumed: "))
        #expect(result.err.contains("Note: another program is using the database (reading an older snapshot, or writing)"))
        #expect(result.err.contains("\(cli.database)-wal"))
        try reader.execute("COMMIT")
        #expect(!cli.run(["vacuum"]).err.contains("Note:"))
    }

    @Test func aLockHeldPastTheBusyTimeoutIsNamedWithWhatToDo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("held.db")
        let store = try Store(path: path)
        _ = try RunExecutor.execute(RunRequest(dataset: .lesson, config: TrainingConfig()), in: store)
        let holder = try Database(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        store.db.setBusyTimeout(milliseconds: 20)
        let error = #expect(throws: TrackerError.self) { try RunEditor(store: store).note(1, "x") }
        #expect(error?.isBusy == true)
        #expect(error?.message.hasSuffix("database is locked - while executing `UPDATE runs SET note = ? WHERE id = ?`; "
            + "another program held the file's lock for over 60 s (a long write or vacuum, or a sqlite3 shell "
            + "in an open transaction): let it finish, then try again") == true)
        try holder.execute("ROLLBACK")
    }
}
