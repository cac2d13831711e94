import Foundation
import Testing
@testable import GradlogCLI

/// Devices, FIFOs, directories and sockets given as a database, as a file beside one, or as
/// output: refused before anything opens them (exit 2), and no side file appears next to them.
@Suite struct SpecialFileTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    /// Every command that takes --db, with the arguments it needs to get as far as opening it
    /// (`DB` stands for the database's path).
    func commands(merging source: String) -> [[String]] {
        [["run", "--epochs", "2"], ["tag", "1", "a=b"], ["note", "1", "text"], ["vacuum"], ["rm", "1", "--yes"],
         ["merge", source], ["runs"], ["show", "1"], ["report", "1"], ["plot", "1"], ["verify", "1"],
         ["compare", "1", "1"], ["diff", "1", "1"], ["log"], ["sweep", "--epochs", "2", "--lr", "0.1,0.2"],
         ["push", "host=/nonexistent", "--all"], ["pull", "host=/nonexistent", "--all"], ["serve"], ["check", "1"]]
            .map { [$0[0], "--db", "DB"] + $0.dropFirst() } + [["sweep", "show", "--db", "DB", "x"]]
    }

    @Test func theListCoversEveryCommand() {
        let listed = Set(commands(merging: "x").map { $0[1] == "show" ? "sweep show" : $0[0] })
        #expect(Set(HelpTests.commands).subtracting(["sweep start"]) == listed)
    }

    /// A Linux device number of small major and minor numbers (Glibc's makedev is a macro Swift cannot call).
    static func device(_ major: UInt64, _ minor: UInt64) -> dev_t { dev_t((major << 8) | minor) }

    /// Special files made in the test's directory: never a real disk, which a failing test would write over.
    func specialFiles() throws -> [(path: String, kind: String)] {
        let fifo = cli.directory.file("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let link = cli.directory.file("null-link.db")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        var files = [("/dev/null", "a character device"), (link, "a character device"), (fifo, "a FIFO (named pipe)"),
                     (cli.directory.path, "a directory")]
        // A block device node (loop device 7:250) without a disk behind it; root may make one, as CI runs.
        let block = cli.directory.file("block")
        if mknod(block, S_IFBLK | 0o600, Self.device(7, 250)) == 0 { files.append((block, "a block device")) }
        return files
    }

    @Test func aDeviceFIFOOrDirectoryAsTheDatabaseIsRefusedByEveryCommandBeforeItIsOpened() throws {
        let source = cli.directory.file("source.db")
        #expect(cli.run(["run", "--epochs", "2", "--db", source], useDatabase: false).code == 0)
        for (path, kind) in try specialFiles() {
            let before = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).sorted()
            for arguments in commands(merging: source) {
                let result = cli.run(arguments.map { $0 == "DB" ? path : $0 }, useDatabase: false, input: "")
                #expect(result.code == 2, "\(arguments) --db \(path): \(result.err)")
                #expect(result.err.contains("\(path): refused: it is \(kind), not a regular file"), "\(result.err)")
            }
            let after = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).sorted()
            #expect(after.filter { !$0.hasPrefix("input-") } == before.filter { !$0.hasPrefix("input-") }, "\(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-journal"))
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-wal"))
    }

    @Test func aMergeSourceThatIsADeviceIsRefusedAndTheTargetIsNotCreated() throws {
        for (path, kind) in try specialFiles() {
            let result = cli.run(["merge", path])
            #expect(result.code == 2 && result.err.contains("it is \(kind)"), "\(path): \(result.err)")
            #expect(!FileManager.default.fileExists(atPath: cli.database))
        }
    }

    @Test func aSpecialFileWhereSQLiteKeepsItsJournalIsRefused() throws {
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        for suffix in ["-journal", "-wal", "-shm"] {
            let companion = cli.database + suffix
            try? FileManager.default.removeItem(atPath: companion)
            try FileManager.default.createSymbolicLink(atPath: companion, withDestinationPath: "/dev/null")
            for arguments in [["run", "--epochs", "2"], ["runs"]] {
                let result = cli.run(arguments)
                #expect(result.code == 2 && result.err.contains("\(companion): refused: it is a character device"),
                        "\(arguments): \(result.err)")
            }
            try FileManager.default.removeItem(atPath: companion)
        }
        #expect(cli.run(["runs", "--tsv"]).out.split(separator: "\n").count == 2)
    }

    @Test func outputStreamsIntoAFIFOATerminalOrDevNullAndRefusesOtherSpecialFiles() throws {
        #expect(cli.run(["run", "--epochs", "2"]).code == 0)
        #expect(cli.run(["runs", "--output", "/dev/null"]).code == 0)
        for (path, kind) in try specialFiles() where !path.hasPrefix("/dev/") && !kind.contains("FIFO") && !kind.contains("character") {
            let result = cli.run(["runs", "--output", path])
            #expect(result.code == 2 && result.err.contains("\(path): refused: it is \(kind)"), "\(result.err)")
        }
        // Another character device that is neither a terminal nor /dev/null (1:5 is /dev/zero).
        let zero = cli.directory.file("zero")
        if mknod(zero, S_IFCHR | 0o600, Self.device(1, 5)) == 0 {
            let result = cli.run(["runs", "--output", zero])
            #expect(result.code == 2 && result.err.contains("it is a character device"), "\(result.err)")
        }
    }
}
