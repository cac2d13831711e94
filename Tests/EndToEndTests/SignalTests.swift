import Foundation
import TestSupport
import Testing

/// Real signals sent to a real `gradlog run`: Ctrl-C and SIGTERM keep what was logged and say so;
/// kill -9 leaves a sound database whose run every command then calls crashed.
@Suite struct SignalTests {
    let directory: TemporaryDirectory
    let database: String

    init() throws {
        directory = try TemporaryDirectory()
        database = directory.file("signals.db")
    }

    /// Starts a run too long to finish and waits until it has committed some steps.
    func startLongRun() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BinaryRunner.gradlog)
        process.arguments = ["run", "--db", database, "--epochs", "1000000000", "--csv"]
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let steps = try BinaryRunner.run("sqlite3", [database, "SELECT count(*) FROM steps"]).out
            if let count = Int(steps.trimmingCharacters(in: .whitespacesAndNewlines)), count > 0 { break }
            // Briefly: the run commits its first step at once, and trains flat out until the signal.
            Thread.sleep(forTimeInterval: 0.02)
        }
        return process
    }

    /// Waits for the process to exit; kills it and fails after 60 seconds so a hang cannot stall CI.
    func waitForExit(_ process: Process) {
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("gradlog did not stop within 60 seconds")
        }
        process.waitUntilExit()
    }

    func sql(_ query: String) throws -> String {
        try BinaryRunner.run("sqlite3", [database, query]).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts `gradlog log` reading from a pipe whose writing end it returns.
    func startLog() throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BinaryRunner.gradlog)
        process.arguments = ["log", "--db", database]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        return (process, input)
    }

    @Test func aStopSignalEndsGradlogLogWhileItsProducerIsStillWriting() throws {
        let (process, input) = try startLog()
        // The producer writes three steps, then goes quiet but keeps its end of the pipe open.
        let steps = (1...3).map { "{\"step\": \($0), \"params\": {\"w\": \($0)}}\n" }.joined()
        input.fileHandleForWriting.write(Data(steps.utf8))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, (try? sql("SELECT count(*) FROM steps")) != "3" { Thread.sleep(forTimeInterval: 0.1) }
        kill(process.processIdentifier, SIGTERM)
        waitForExit(process)
        #expect(process.terminationStatus == 143)
        #expect(try sql("SELECT status, step_count, error FROM runs") == "interrupted|3|stopped by SIGTERM")
        try input.fileHandleForWriting.close()
    }

    @Test func ctrlCBeforeAnyStepEndsGradlogLogWithoutARun() throws {
        let (process, input) = try startLog()
        // Waiting for its first line: the database exists just before the signals are caught.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && !FileManager.default.fileExists(atPath: database) { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGINT)
        waitForExit(process)
        #expect(process.terminationStatus == 130)
        let err = String(decoding: (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(err.contains("stopped by SIGINT before any step was read: no run was made"), "\(err)")
        try input.fileHandleForWriting.close()
    }

    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM"), (SIGHUP, Int32(129), "SIGHUP")])
    func aStopSignalCommitsAndMarksTheRunInterrupted(signal: Int32, code: Int32, name: String) throws {
        let process = try startLongRun()
        kill(process.processIdentifier, signal)
        waitForExit(process)
        #expect(process.terminationStatus == code)
        let err = String(decoding: (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(err.contains("stopped by \(name)"))
        #expect(try sql("SELECT status FROM runs") == "interrupted")
        #expect(try sql("SELECT step_count = (SELECT count(*) FROM steps) FROM runs") == "1")
        #expect(try sql("SELECT count(*) FROM gradients") == (try sql("SELECT 2 * count(*) FROM steps")))
    }

    @Test func killNineLeavesASoundDatabaseAndACrashedRun() throws {
        let process = try startLongRun()
        kill(process.processIdentifier, SIGKILL)
        waitForExit(process)
        #expect(try sql("PRAGMA integrity_check") == "ok")
        #expect(try sql("SELECT count(*) FROM gradients") == (try sql("SELECT 2 * count(*) FROM steps")))
        #expect(try sql("SELECT status FROM runs") == "running")
        let runs = try BinaryRunner.run(BinaryRunner.gradlog, ["runs", "--db", database, "--csv"])
        #expect(runs.out.contains(",crashed,"))
        #expect(try sql("SELECT status FROM runs") == "crashed")
        #expect(try sql("SELECT step_count = (SELECT count(*) FROM steps) FROM runs") == "1")
    }

    @Test func removingALiveRunNeedsForceWhichStopsItCleanlyFirst() throws {
        let process = try startLongRun()
        let refused = try BinaryRunner.run(BinaryRunner.gradlog, ["rm", "1", "--db", database])
        #expect(refused.code == 1)
        #expect(refused.err.contains("run 1 is still training (process \(process.processIdentifier))"))
        #expect(process.isRunning)
        let forced = try BinaryRunner.run(BinaryRunner.gradlog, ["rm", "1", "--force", "--db", database, "--csv"])
        #expect(forced.code == 0, "\(forced.err)")
        #expect(forced.out.contains(",interrupted,"))
        waitForExit(process)
        #expect(process.terminationStatus == 143)
        #expect(try sql("SELECT count(*) FROM runs") == "0")
        #expect(try sql("SELECT count(*) FROM steps") == "0")
    }

    @Test func forceNeverSignalsAGradlogProcessThatDoesNotWriteThisDatabase() throws {
        let process = try startLongRun()  // a real gradlog run, writing signals.db
        defer { kill(process.processIdentifier, SIGKILL); waitForExit(process) }
        let other = directory.file("crafted.db")
        #expect(try BinaryRunner.run(BinaryRunner.gradlog, ["run", "--db", other, "--epochs", "2"]).code == 0)
        // The crafted row names that process: its pid, host and start token, all genuine.
        let (host, token) = try (sql("SELECT host FROM runs"), sql("SELECT process_token FROM runs"))
        let craft = "UPDATE runs SET status = 'running', host = '\(host)', pid = \(process.processIdentifier), "
            + "process_token = '\(token)'"
        #expect(try BinaryRunner.run("sqlite3", [other, craft]).code == 0)
        let forced = try BinaryRunner.run(BinaryRunner.gradlog, ["rm", "1", "--force", "--yes", "--db", other])
        #expect(forced.code == 1)
        #expect(forced.err.contains("does not have this database open as the run's writer, so it was not signalled"), "\(forced.err)")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(process.isRunning)
        #expect(try BinaryRunner.run("sqlite3", [other, "SELECT count(*) FROM runs"]).out == "1\n")
    }

    /// A database with one run long enough that its per-step CSV takes a third of a second to write
    /// (in a debug build), trained once by the built binary; each test signalling the report gets a
    /// copy, and signals it as soon as its temporary file appears.
    static let longRun = DatabaseTemplate<Void> { path in
        let run = try BinaryRunner.run(BinaryRunner.gradlog, ["run", "--db", path, "--epochs", "30000"])
        #expect(run.code == 0, "\(run.err)")
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSignalDuringALongOutputLeavesNoTemporaryFile(signal: Int32) throws {
        try Self.longRun.copy(to: database)
        let output = directory.file("steps.csv")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BinaryRunner.gradlog)
        process.arguments = ["report", "1", "--steps", "--csv", "--db", database, "--output", output]
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        func temporaries() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".steps.csv.gradlog-") }
        }
        while try temporaries().isEmpty && process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        #expect(process.isRunning, "the report ended before it could be interrupted")
        kill(process.processIdentifier, signal)
        waitForExit(process)
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        #expect(try temporaries().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aSecondCtrlCDuringShutdownStillLeavesTheRunInterrupted() throws {
        let process = try startLongRun()
        kill(process.processIdentifier, SIGINT)
        usleep(1_000)
        kill(process.processIdentifier, SIGINT)
        waitForExit(process)
        let err = String(decoding: (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(process.terminationStatus): \(err)")
        #expect(try sql("SELECT status FROM runs") == "interrupted")
        #expect(try sql("SELECT step_count = (SELECT count(*) FROM steps) FROM runs") == "1")
    }
}
