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
        // debug build). The sweep is stopped once both short ones have finished and a long one runs:
        // waiting for both long ones, the first could finish while the second waited for the write
        // lock (a second, on a busy machine), and the stop would find fewer trials to end.
        let options = ["--dataset", "and", "--epochs", "5,40000", "--lr", "0.1,1"]
        let sweep = Process()
        sweep.executableURL = URL(fileURLWithPath: BinaryRunner.gradlog)
        sweep.arguments = ["sweep", "--db", database, "--jobs", "2"] + options
        sweep.standardOutput = FileHandle.nullDevice
        sweep.standardError = FileHandle.nullDevice
        try sweep.run()
        var waited = 0
        let shortDoneLongRunning = """
            SELECT count(*) FILTER (WHERE epochs = 5 AND status = 'finished') = 2
                   AND count(*) FILTER (WHERE epochs = 40000 AND status = 'running') >= 1 FROM runs
            """
        while (try? sql(shortDoneLongRunning)) != "1" && waited < 2000 {
            usleep(5_000)
            waited += 1
        }
        // Sent to the sweep alone, as `kill` would: it passes the signal on to its workers.
        kill(sweep.processIdentifier, SIGINT)
        sweep.waitUntilExit()
        #expect(sweep.terminationStatus == 130)
        // The long trial that ran is interrupted, and so is the other if it had begun; none finished.
        #expect(try sql("SELECT group_concat(status, ',') FROM (SELECT status FROM runs WHERE epochs = 5)") == "finished,finished")
        let stopped = try sql("SELECT group_concat(status, ',') FROM (SELECT status FROM runs WHERE epochs = 40000)")
        #expect(stopped == "interrupted" || stopped == "interrupted,interrupted", "\(stopped)")
        let before = try #require(Int(try sql("SELECT count(*) FROM runs")))
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
        #expect(try sql("SELECT count(*) FROM runs") == String(before + 2))
        #expect(try sql("SELECT count(*) FROM runs WHERE status = 'running'") == "0")
    }
}
