import Foundation
import SQLiteDB
import Testing
import Tracker
@testable import GradlogCLI

/// The `.db` file alone holds every finished run once the last connection closes: a `-wal` file
/// left beside it is empty.
@Suite struct SelfContainedFileTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    func sideFiles() -> [String] {
        ["-wal", "-shm", "-journal"].filter { FileManager.default.fileExists(atPath: cli.database + $0) }
    }

    /// The size of the write-ahead log, 0 when there is none.
    func logBytes() throws -> Int {
        guard FileManager.default.fileExists(atPath: cli.database + "-wal") else { return 0 }
        return try FileManager.default.attributesOfItem(atPath: cli.database + "-wal")[.size] as? Int ?? -1
    }

    @Test func aRunThatFinishesWhileAReaderHoldsTheFileIsWholeInACopyOfTheDatabaseFileAlone() throws {
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        var reader: Store? = try Store(path: cli.database, access: .read)
        try reader?.db.execute("BEGIN")
        _ = try reader?.db.scalar("SELECT count(*) FROM steps")  // holds a snapshot from before the run
        #expect(cli.run(["run", "--dataset", "and", "--epochs", "3000", "--batch-size", "1"]).code == 0)
        #expect(try logBytes() > 0)  // the reader still holds the log
        try reader?.db.execute("COMMIT")
        reader = nil
        #expect(try logBytes() == 0)
        let copy = cli.directory.file("copy.db")
        try FileManager.default.copyItem(atPath: cli.database, toPath: copy)
        let db = try Database(path: copy, mode: .immutable)
        #expect(try db.scalar("SELECT count(*) FROM steps WHERE run_id = 2") == .integer(12_000))
        #expect(try db.scalar("SELECT status FROM runs WHERE id = 2") == .text("finished"))
    }

    @Test func aWritingCommandLeavesNoSideFilesAndReadingCommandsLeaveAnEmptyLog() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        #expect(sideFiles().isEmpty)
        for arguments in [["runs"], ["show", "1"], ["report", "1", "--steps"], ["plot", "1"], ["verify", "1"],
                          ["compare", "1", "1"], ["report", "1", "--html"]] {
            #expect(cli.run(arguments).code == 0, "\(arguments)")
            #expect(try logBytes() == 0, "\(arguments)")
        }
        #expect(cli.run(["tag", "1", "a=b"]).code == 0)
        #expect(sideFiles().isEmpty)
    }
}
