import Foundation
import SQLiteDB
import TestSupport
import Testing
import Training
@testable import GradlogCLI
@testable import Output

/// Seeded fuzzing of the command line, of CSV data files and of database files. Every case must
/// end with a documented exit code, and every failure must say what was wrong: a trap would crash
/// the test run itself. `GRADLOG_FUZZ_SCALE=N` makes N times the trials (`FuzzScale`).
@Suite struct FuzzTests {
    static let documentedCodes: Set<Int32> = [0, 1, 2, 64]

    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    func check(_ result: CLIHarness.Result, _ arguments: [String]) {
        #expect(Self.documentedCodes.contains(result.code), "exit \(result.code) for \(arguments)")
        if result.code != 0 {
            #expect(result.err.hasPrefix("Error: ") && result.err.count > 12, "no message for \(arguments): \(result.err)")
        }
    }

    // MARK: Argument vectors

    static let commands = ["run", "runs", "show", "report", "bogus", ""]
    static let options = ["--dataset", "--loss", "--lr", "--epochs", "--batch-size", "--seed", "--eps", "--atol",
                          "--rtol", "--w", "--b", "--name", "--tag", "--steps", "--sql", "--csv", "--tsv", "--json",
                          "--markdown", "--table", "--output", "--help", "-x", "--", "-h"]
    static let values = ["0", "1", "-1", "2", "3", "1e308", "-1e308", "nan", "inf", "-inf", "abc", "", "latest",
                         "lesson", "and", "or", "xor", "nope", "a=b", "=", "0.1,0.2", "1,2,3", "é✓", "-0",
                         "99999999999999999999", "0x10", "1e-400", "textbook", "stable", " 1", "1,", ",", "'; DROP"]

    /// The `trial`-th vector: its command, its first option and that option's value go round their
    /// lists in turn (so that every one of them is drawn in a short run), the rest is drawn at random.
    func randomArguments(_ generator: inout SplitMix64, trial: Int) -> [String] {
        var arguments = [Self.commands[trial % Self.commands.count]]
        for index in 0..<(1 + generator.nextIndex(below: 7)) {
            let first = index == 0
            let option = first ? Self.options[trial % Self.options.count] : Self.options[generator.nextIndex(below: Self.options.count)]
            arguments.append(option)
            switch option {
            case "--output":
                arguments.append(generator.nextIndex(below: 2) == 0 ? cli.directory.file("out.txt") : cli.directory.path)
            case "--dataset" where generator.nextIndex(below: 3) == 0:
                arguments.append(cli.directory.path)
            default:
                if first || generator.nextIndex(below: 4) > 0 {
                    arguments.append(first ? Self.values[trial % Self.values.count] : Self.values[generator.nextIndex(below: Self.values.count)])
                }
            }
        }
        // A bare command is drawn too, now and then.
        return generator.nextIndex(below: 8) == 0 ? [arguments[0]] : arguments
    }

    @Test func randomArgumentVectorsEndWithADocumentedCodeAndAMessage() {
        var generator = SplitMix64(seed: 2026)
        // A vector drawn again (a bare `runs`, `show` or `bogus`, say) runs once: each distinct
        // vector is checked.
        var seen: Set<[String]> = []
        let trials = FuzzScale.trials(100)
        for trial in 0..<trials {
            var arguments = randomArguments(&generator, trial: trial)
            if arguments[0] == "run" && !arguments.contains("--epochs") { arguments += ["--epochs", "2"] }
            guard seen.insert(arguments).inserted else { continue }
            check(cli.run(arguments), arguments)
        }
        #expect(seen.count > trials * 3 / 4)
        let drawn = Set(seen.joined())
        for word in Self.commands + Self.options + Self.values {
            #expect(drawn.contains(word), "'\(word)' was never drawn")
        }
    }

    // MARK: CSV data

    static let seeds = ["x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,1\n", "y,a\n1,0.5\n0,-2e3\n", "\"a\",\"b, c\",y\n1,2,0\n"]

    static let specialBytes = Array("\",\n\r\0-.e9".utf8)

    func mutated(_ bytes: [UInt8], _ generator: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0...generator.nextIndex(below: 4) {
            let position = bytes.isEmpty ? 0 : generator.nextIndex(below: bytes.count)
            switch generator.nextIndex(below: 4) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            case 1: bytes.insert(Self.specialBytes[generator.nextIndex(below: Self.specialBytes.count)], at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            default: bytes = Array(bytes.prefix(position))
            }
        }
        return bytes
    }

    @Test func randomAndMutatedCSVFilesAreTrainedOnOrRefusedWithFileLineAndColumn() throws {
        var generator = SplitMix64(seed: 7)
        let path = cli.directory.file("fuzz.csv")
        var seen: Set<[UInt8]> = []  // a file drawn again is trained on once
        // Every fifth file is random bytes; the others are each seed in turn, mutated.
        for trial in 0..<FuzzScale.trials(50) {
            let bytes = trial % 5 == 0
                ? (0..<generator.nextIndex(below: 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                : mutated(Array(Self.seeds[trial % Self.seeds.count].utf8), &generator)
            guard seen.insert(bytes).inserted else { continue }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let arguments = ["run", "--dataset", path, "--epochs", "2"]
            let result = cli.run(arguments)
            check(result, arguments + ["<\(bytes)>"])
            if result.code == 1 { #expect(result.err.contains(path), "\(result.err)") }
        }
    }

    // MARK: Database files

    @Test func randomAndCorruptedDatabaseFilesAreRefusedWithAMessage() throws {
        cli.run(["run", "--dataset", "and", "--epochs", "30", "--batch-size", "2"])
        cli.run(["runs"])  // folds the write-ahead log into the file
        let healthy = try [UInt8](Data(contentsOf: URL(fileURLWithPath: cli.database)))
        var generator = SplitMix64(seed: 99)
        // Every third file is random bytes; the others are the healthy file with bytes overwritten.
        for trial in 0..<FuzzScale.trials(15) {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.database + suffix) }
            var bytes = healthy
            if trial % 3 == 0 {
                bytes = (0..<generator.nextIndex(below: 8192)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                for _ in 0..<(1 + generator.nextIndex(below: 20)) {
                    bytes[generator.nextIndex(below: bytes.count)] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: cli.database))
            for arguments in [["runs"], ["show", "1"], ["report", "latest", "--steps", "--csv"], ["run", "--epochs", "2"]] {
                check(cli.run(arguments), arguments + ["trial \(trial)"])
            }
        }
    }

    // MARK: Crafted database files

    @Test func seededCombinationsOfCraftedDatabasesEndWithADocumentedCodeAndAMessage() throws {
        let healthy = cli.directory.file("healthy.db")
        _ = Gradlog.execute(["run", "--db", healthy, "--dataset", "and", "--epochs", "3", "--batch-size", "2"],
                            context: CommandContext(console: .capturing(), environment: [:]))
        _ = try Database(path: healthy).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        var generator = SplitMix64(seed: 31)
        let crafts = HostileFileCommandTests.crafts
        // Each trial takes the next two crafts in turn, so that every craft is in a combination of
        // the short run, and up to two more at random.
        // Every trial's files are made at the same two paths, so that each command line is parsed
        // once (a parse costs tens of milliseconds in a debug build) and run against every trial.
        let crafted = cli.directory.file("combo.db")
        let into = cli.directory.file("into.db")
        for trial in 0..<FuzzScale.trials((crafts.count + 1) / 2) {
            for path in [crafted, into] {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            try FileManager.default.copyItem(atPath: healthy, toPath: crafted)
            let chosen = [crafts[(2 * trial) % crafts.count], crafts[(2 * trial + 1) % crafts.count]]
                + (0..<generator.nextIndex(below: 3)).map { _ in crafts[generator.nextIndex(below: crafts.count)] }
            for craft in chosen { try? Database(path: crafted).execute(craft) }
            _ = try Database(path: crafted).execute("PRAGMA wal_checkpoint(TRUNCATE)")
            for arguments in [["runs"], ["show", "latest"], ["report", "1", "--steps"], ["report", "1", "--sql"],
                              ["verify", "--all"], ["diff", "1", "1"], ["merge", crafted, "--db", into]] {
                let full = arguments[0] == "merge" ? arguments : [arguments[0], "--db", crafted] + arguments.dropFirst()
                let console = Console.capturing()
                let code = ParsedCommandLines.shared.execute(full, context: CommandContext(console: console, environment: [:]))
                #expect(Self.documentedCodes.contains(code), "exit \(code) for \(chosen): \(full)")
                if code != 0 && !(arguments[0] == "verify" && console.capturedOut.contains("different at")) {
                    #expect(console.capturedErr.hasPrefix("Error: "), "\(chosen): \(full): \(console.capturedErr.prefix(200))")
                }
                #expect(!console.capturedOut.contains("\u{1B}"), "raw ESC for \(chosen): \(full)")
            }
        }
    }
}
