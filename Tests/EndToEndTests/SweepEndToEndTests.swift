import Foundation
import TestSupport
import Testing

/// `gradlog sweep` through the built binary: worker processes, a signal, and --resume.
@Suite struct SweepEndToEndTests {
    let directory: TemporaryDirectory
    let database: String

    init() throws {
        directory = try TemporaryDirectory()
        database = directory.file("sweep.db")
    }

    private func sql(_ query: String) throws -> String {
        try BinaryRunner.run("sqlite3", [database, query]).out.trimmingCharacters(in: .newlines)
    }

    @Test func aSweepsSummaryPrintsCommandsThatNameItsDatabase() throws {
        let sweep = try BinaryRunner.run(BinaryRunner.gradlog, ["sweep", "--db", database, "--epochs", "3", "--lr", "0.1,0.5"])
        #expect(sweep.code == 0, "\(sweep.err)")
        #expect(sweep.err.contains("the two lowest final losses: gradlog compare 2 1 --db \(database)")
            || sweep.err.contains("the two lowest final losses: gradlog compare 1 2 --db \(database)"), "\(sweep.err)")
        #expect(sweep.err.contains("gradlog runs --tag sweep="))
    }

    @Test func everyTrialRecordsTheUserGivenWithUserOrTheEnvironmentsOwn() throws {
        let given = try BinaryRunner.run(BinaryRunner.gradlog, ["sweep", "--db", database, "--jobs", "1", "--epochs", "2",
                                                                "--lr", "0.1,1", "--user", "bo"])
        #expect(given.code == 0, "\(given.err)")
        #expect(try BinaryRunner.run(BinaryRunner.gradlog, ["sweep", "--db", database, "--jobs", "1", "--epochs", "2",
                                                            "--lr", "0.1,1"]).code == 0)
        // The workers inherit the environment: its USER, else LOGNAME, else the system's name.
        let own = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ProcessInfo.processInfo.environment["LOGNAME"].flatMap { $0.isEmpty ? nil : $0 }
        let users = try sql("SELECT run_by FROM runs ORDER BY id").split(separator: "\n").map(String.init)
        #expect(users.count == 4 && users.prefix(2) == ["bo", "bo"] && users[2] == users[3], "\(users)")
        if let own { #expect(users[2] == own) }
    }

    @Test func aSweepStoppedBySIGINTEndsItsRunningTrialsInterruptedAndResumeRunsOnlyThose() throws {
        // Trials 1 and 2 are short, 3 and 4 long enough to be stopped (a second or two each, in a
        // debug build, and the sweep is stopped as soon as both have started).
        let options = ["--dataset", "and", "--epochs", "5,40000", "--lr", "0.1,1"]
        let sweep = Process()
        sweep.executableURL = URL(fileURLWithPath: BinaryRunner.gradlog)
        sweep.arguments = ["sweep", "--db", database, "--jobs", "2"] + options
        sweep.standardOutput = FileHandle.nullDevice
        sweep.standardError = FileHandle.nullDevice
        try sweep.run()
        var waited = 0
        while (try? sql("SELECT count(*) FROM runs WHERE status = 'running' AND epochs = 40000")) != "2" && waited < 2000 {
            usleep(5_000)
            waited += 1
        }
        // Sent to the sweep alone, as `kill` would: it passes the signal on to its workers.
        kill(sweep.processIdentifier, SIGINT)
        sweep.waitUntilExit()
        #expect(sweep.terminationStatus == 130)
        #expect(try sql("SELECT group_concat(status, ',') FROM (SELECT status FROM runs ORDER BY epochs, lr)")
                == "finished,finished,interrupted,interrupted")
        let id = try sql("SELECT DISTINCT value FROM tags WHERE key = 'sweep'")
        #expect(id.count == 8)

        let different = try BinaryRunner.run(BinaryRunner.gradlog, ["sweep", "--db", database, "--resume", id, "--lr", "0.1"])
        #expect(different.code == 64 && different.err.contains("was started with other options"), "\(different.err)")
        let resumed = try BinaryRunner.run(
            BinaryRunner.gradlog, ["sweep", "--db", database, "--resume", id, "--csv"] + options)
        #expect(resumed.code == 0, "\(resumed.err)")
        #expect(resumed.err.hasPrefix("Sweep \(id): 2 of 4 trials, 2 at a time"))
        let rows = resumed.out.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",") }
        #expect(rows.map { String($0[0]) } == ["1", "2", "3", "4"])
        #expect(rows.allSatisfy { $0[2] == "finished" })
        #expect(try sql("SELECT count(*) FROM runs") == "6")
        #expect(try sql("SELECT count(*) FROM runs WHERE status = 'running'") == "0")
    }
}
