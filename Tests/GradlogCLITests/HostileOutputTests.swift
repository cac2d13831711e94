#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import GradlogCLI
@testable import Output

/// `--output` never destroys a database or another file it was not meant to replace, output
/// errors are errors, and text from a file cannot drive the terminal.
@Suite struct HostileOutputTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        cli.run(["run", "--epochs", "5"])
    }

    func runCount(_ path: String) -> String {
        cli.run(["runs", "--db", path, "--csv"], useDatabase: false).out
    }

    @Test func theDatabaseItsCompanionsAndOtherSQLiteFilesAreNeverOverwritten() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.database))
        for target in [cli.database, cli.database + "-wal", cli.database + "-shm", cli.database + "-journal"] {
            let result = cli.run(["runs", "--csv", "--output", target])
            #expect(result.code == 1, "\(target)")
            #expect(result.err.hasPrefix("Error: --output \(target): it is "), "\(result.err)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.database)) == before)
        #expect(cli.run(["runs", "--csv"]).out.contains("finished"))
        let other = cli.directory.file("other.db")
        try FileManager.default.copyItem(atPath: cli.database, toPath: other)
        let refused = cli.run(["report", "1", "--output", other])
        #expect(refused.err == "Error: --output \(other): it is an SQLite database; gradlog never writes output over one, choose another file\n")
        // The same database through a symbolic link and through another spelling of its path.
        let link = cli.directory.file("link.db")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: cli.database)
        #expect(cli.run(["runs", "--output", link]).code == 1)
        #expect(cli.run(["runs", "--output", cli.directory.path + "/./test.db-wal"]).code == 1)
        #expect(cli.run(["merge", other, "--output", other]).code == 1)
    }

    @Test func aPlantedLinkAtAPredictableTemporaryNameIsNeverFollowed() throws {
        let victim = cli.directory.file("victim.txt")
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        let output = cli.directory.file("out.csv")
        for name in [output + ".gradlog-partial", cli.directory.file(".out.csv.gradlog-partial")] {
            try FileManager.default.createSymbolicLink(atPath: name, withDestinationPath: victim)
        }
        #expect(cli.run(["runs", "--csv", "--output", output]).code == 0)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("id,name,status"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.contains(".gradlog-") && !$0.hasSuffix("partial") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aTemporaryFileLeftByAKilledCommandIsRemovedByTheNextOne() throws {
        let output = cli.directory.file("out.csv")
        let stale = cli.directory.file(".out.csv.gradlog-999999999-AbCdEf")
        try "half".write(toFile: stale, atomically: false, encoding: .utf8)
        #expect(cli.run(["runs", "--csv", "--output", output]).code == 0)
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    @Test func aSymbolicLinkIsWrittenThroughAndStaysALink() throws {
        let target = cli.directory.file("real.csv")
        let link = cli.directory.file("link.csv")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.csv")  // dangling, relative
        #expect(cli.run(["runs", "--csv", "--output", link]).code == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.csv")
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("id,name,status"))
        chmod(target, 0o640)
        #expect(cli.run(["runs", "--tsv", "--output", link]).code == 0)
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("id\tname"))
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test func aFIFOIsWrittenToAndNotReplaced() throws {
        let fifo = cli.directory.file("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = LockedText()
        let reader = Thread {
            let descriptor = open(fifo, O_RDONLY)
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while descriptor >= 0 {
                let count = read(descriptor, &buffer, buffer.count)
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            close(descriptor)
            received.set(String(decoding: bytes, as: UTF8.self))
        }
        reader.start()
        #expect(cli.run(["runs", "--csv", "--output", fifo]).code == 0)
        let deadline = Date().addingTimeInterval(10)
        while received.get() == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(received.get()?.hasPrefix("id,name,status") == true)
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
        let directory = cli.run(["runs", "--output", cli.directory.path])
        #expect(directory.err.contains("it is a directory"))
    }

    @Test func twoWritersOfOneFileNeverMixAndTheLoserSaysSo() throws {
        let path = cli.directory.file("shared.csv")
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        let console = Console.capturing()
        let first = try OutputTarget(path: path, console: console, protecting: [])
        let second = #expect(throws: OutputError.self) { try OutputTarget(path: path, console: console, protecting: []) }
        #expect(second?.description.contains("another gradlog command is writing this file") == true)
        first.write("first\n")
        try first.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")
        // A new file that another writer creates meanwhile is left as that writer made it.
        let fresh = cli.directory.file("fresh.csv")
        let slow = try OutputTarget(path: fresh, console: console, protecting: [])
        let fast = try OutputTarget(path: fresh, console: console, protecting: [])
        fast.write("fast\n")
        try fast.commit()
        slow.write("slow\n")
        let lost = #expect(throws: OutputError.self) { try slow.commit() }
        #expect(lost?.description.contains("another process created the file") == true)
        #expect(try String(contentsOfFile: fresh, encoding: .utf8) == "fast\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.contains(".gradlog-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aFailedWriteToStandardOutputIsAnErrorAndABrokenPipeEndsQuietly() {
        for format in ["--csv", "--table", "--json"] {
            let full = Console.capturing(failingAfter: 200, failure: ENOSPC)
            let code = Gradlog.execute(["report", "1", "--steps", format, "--db", cli.database],
                                       context: CommandContext(console: full, environment: [:]))
            #expect(code == 1, "\(format)")
            #expect(full.capturedErr == "Error: cannot write to standard output: No space left on device\n")
        }
        let closed = Console.capturing(failingAfter: 10, failure: EPIPE)
        let code = Gradlog.execute(["runs", "--db", cli.database], context: CommandContext(console: closed, environment: [:]))
        #expect(code == Gradlog.brokenPipeExitCode)
        #expect(closed.capturedErr.isEmpty)
    }

    @Test func controlCharactersAreEscapedInTablesAndKeptExactlyElsewhere() {
        let name = "a\u{1B}[31mred\u{07}\u{9B}2J\u{08}\u{7F}\0tail"
        cli.run(["run", "--epochs", "1", "--name", name])
        let table = cli.run(["runs"]).out
        #expect(table.contains("a\\e[31mred\\x07\\u009b2J\\x08\\x7f\\x00tail"), "\(table)")
        #expect(!table.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) })
        let markdown = cli.run(["runs", "--markdown"]).out
        #expect(markdown.contains("a\\e\\[31mred\\x07\\u009b2J\\x08\\x7f\\x00tail"))
        #expect(cli.run(["runs", "--csv"]).out.contains(",\(name),"))
        #expect(cli.run(["runs", "--json"]).out.contains("\"name\": \"a\\u001b[31mred\\u0007\u{9B}2J\\b\u{7F}\\u0000tail\""))
    }

    @Test func aTenMegabyteNoteIsShownWhole() throws {
        let note = String(decoding: [UInt8](repeating: UInt8(ascii: "n"), count: 10_000_000), as: UTF8.self)
        cli.run(["note", "1", note])
        // The note is ten million n's: an output holds it when it has that many n's in a row (a byte
        // count, where a search for the string takes seconds in a debug build).
        let shown = cli.run(["show", "1", "--csv"])
        #expect(Self.longestRun(of: UInt8(ascii: "n"), in: shown.out) >= note.utf8.count)
        let table = cli.run(["show", "1"])
        #expect(Self.longestRun(of: UInt8(ascii: "n"), in: table.out) >= note.utf8.count)
    }

    /// The length of the longest run of `byte` in the UTF-8 of `text`.
    static func longestRun(of byte: UInt8, in text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var longest = 0
            var current = 0
            for value in bytes {
                current = value == byte ? current + 1 : 0
                longest = max(longest, current)
            }
            return longest
        }
    }
}

/// Text set by another thread.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    func set(_ value: String) { lock.withLock { text = value } }
    func get() -> String? { lock.withLock { text } }
}
