import Foundation
import SQLiteDB
import Testing
import Tracker
@testable import GradlogCLI

/// The `.db` file alone holds every finished run once the last connection closes, and commands
/// that only read leave no `-wal` or `-shm` file behind.
@Suite struct SelfContainedFileTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    func sideFiles() -> [String] {
        ["-wal", "-shm", "-journal"].filter { FileManager.default.fileExists(atPath: cli.database + $0) }
    }

    @Test func aRunThatFinishesWhileAReaderHoldsTheFileIsWholeInACopyOfTheDatabaseFileAlone() throws {
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        var reader: Store? = try Store(path: cli.database, access: .read)
        try reader?.db.execute("BEGIN")
        _ = try reader?.db.scalar("SELECT count(*) FROM steps")  // holds a snapshot from before the run
        #expect(cli.run(["run", "--dataset", "and", "--epochs", "3000", "--batch-size", "1"]).code == 0)
        #expect(!sideFiles().isEmpty)  // the reader still holds the log
        try reader?.db.execute("COMMIT")
        reader = nil
        #expect(sideFiles().isEmpty)
        let copy = cli.directory.file("copy.db")
        try FileManager.default.copyItem(atPath: cli.database, toPath: copy)
        let db = try Database(path: copy, mode: .immutable)
        #expect(try db.scalar("SELECT count(*) FROM steps WHERE run_id = 2") == .integer(12_000))
        #expect(try db.scalar("SELECT status FROM runs WHERE id = 2") == .text("finished"))
    }

    @Test func commandsThatOnlyReadLeaveNoSideFiles() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        #expect(sideFiles().isEmpty)
        for arguments in [["runs"], ["show", "1"], ["report", "1", "--steps"], ["plot", "1"], ["verify", "1"],
                          ["compare", "1", "1"], ["report", "1", "--html"]] {
            #expect(cli.run(arguments).code == 0, "\(arguments)")
            #expect(sideFiles().isEmpty, "\(arguments) left \(sideFiles())")
        }
    }
}
