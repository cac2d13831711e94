import Foundation
import PostgresDB
import TestSupport
import Testing

/// Push and pull through the built binary as separate processes: many at once, and one killed (each
/// test with a database of its own on the server, and watching only that one).
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct TeamStoreEndToEndTests {
    let directory: TemporaryDirectory
    let store: String

    init() throws {
        directory = try TemporaryDirectory()
        store = try PostgresTestServer.freshDatabase()
    }

    private func gradlog(_ arguments: [String], db: String) throws -> BinaryRunner.Output {
        try BinaryRunner.run(BinaryRunner.gradlog, [arguments[0], "--db", directory.file(db)] + arguments.dropFirst())
    }

    private func count(_ sql: String) throws -> Int {
        Int(try PostgresTestServer.connect(store).query(sql).scalar ?? "") ?? -1
    }

    /// Starts `gradlog push STORE --all` on a file, as its own process.
    private func startPush(_ db: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BinaryRunner.gradlog)
        process.arguments = ["push", store, "--all", "--csv", "--db", directory.file(db)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }

    @Test func theBinaryReadsTheStoreNamedByGRADLOGSTOREAndLeavesNothingInTMPDIR() throws {
        #expect(try gradlog(["run", "--epochs", "3", "--name", "pushed"], db: "here.db").code == 0)
        #expect(try gradlog(["push", store, "--all"], db: "here.db").code == 0)
        let temporary = directory.file("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        // In a folder without gradlog.db: only the store can answer.
        let listed = try BinaryRunner.run(BinaryRunner.gradlog, ["runs", "--tsv"], in: temporary,
                                          environment: ["GRADLOG_STORE": store, "TMPDIR": temporary])
        #expect(listed.code == 0 && listed.out.contains("\tpushed\t"), "\(listed.err)")
        let reported = try BinaryRunner.run(BinaryRunner.gradlog, ["report", "latest", "--steps", "--csv"], in: temporary,
                                            environment: ["GRADLOG_STORE": store, "TMPDIR": temporary])
        #expect(reported.code == 0 && reported.out.split(separator: "\r\n").count == 4, "\(reported.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    }

    @Test func eightMachinesPushingAtOnceLoseAndDuplicateNothing() throws {
        // Every machine holds one shared run (merged from the same file) and one of its own.
        #expect(try gradlog(["run", "--epochs", "500", "--name", "shared"], db: "shared.db").code == 0)
        for machine in 1...8 {
            #expect(try gradlog(["run", "--epochs", "\(100 * machine)", "--seed", "\(machine)"], db: "m\(machine).db").code == 0)
            #expect(try gradlog(["merge", directory.file("shared.db")], db: "m\(machine).db").code == 0)
        }
        let pushes = try (1...8).map { try startPush("m\($0).db") }
        var outputs: [String] = []
        for (process, output) in pushes {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
            outputs.append(text)
        }
        let sharedActions = outputs.flatMap { $0.split(separator: "\r\n") }.filter { $0.contains(",shared,") }
            .map { $0.split(separator: ",")[0] }
        #expect(sharedActions.sorted() == ["pushed"] + Array(repeating: "unchanged", count: 7))
        #expect(try count("SELECT count(*) FROM runs") == 9)
        #expect(try count("SELECT count(*) FROM steps") == 500 + 100 * 36)
        #expect(try count("SELECT count(*) FROM gradients") == 2 * (500 + 100 * 36))
        #expect(try count("SELECT count(*) FROM epochs") == 500 + 100 * 36)
        #expect(try count("SELECT count(DISTINCT uuid) FROM runs") == 9)
    }

    @Test func aPushKilledWithSignalNineLeavesTheStoreConsistentAndTheNextPushCompletesIt() throws {
        #expect(try gradlog(["run", "--epochs", "5"], db: "k.db").code == 0)
        #expect(try gradlog(["push", store, "--all"], db: "k.db").code == 0)
        #expect(try gradlog(["run", "--epochs", "15000"], db: "k.db").code == 0)
        let (process, _) = try startPush("k.db")
        // Killed while it copies the long run's 30,000 gradient rows (about a quarter of a second in a
        // debug build, watched for every 2 ms on one connection; only this test's database is watched,
        // as other suites push to databases of their own on the same server meanwhile).
        let watcher = try PostgresTestServer.connect(store)
        var waited = 0
        while try watcher.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND query LIKE 'COPY gradients%'").scalar == "0"
                && waited < 2000 {
            usleep(2_000)
            waited += 1
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // The server rolls back the killed connection's transaction: the first run only.
        var runs = -1
        for _ in 0..<100 {
            runs = try count("SELECT count(*) FROM runs")
            if try count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name = 'gradlog'") == 0 { break }
            usleep(50_000)
        }
        #expect(runs == 1)
        #expect(try count("SELECT count(*) FROM steps") == 5)
        let again = try gradlog(["push", store, "--all", "--csv"], db: "k.db")
        #expect(again.code == 0)
        #expect(again.out.contains("pushed,") && again.out.contains(",15000,"), "\(again.out)")
        #expect(try count("SELECT count(*) FROM steps") == 15_005)
        #expect(try count("SELECT count(*) FROM gradients") == 30_010)
        #expect(try gradlog(["pull", store, "--all"], db: "pulled.db").code == 0)
        let counts = try BinaryRunner.run("sqlite3", [directory.file("pulled.db"), "SELECT count(*) FROM gradients"])
        #expect(counts.out == "30010\n")
    }
}
