import Foundation
import TestSupport
import Testing

/// Runs' fingerprints from the built binary: the same digest from two processes, and an independent
/// Python reimplementation of the canonical form (Tests/Oracle/fingerprint.py, hashlib) that gives
/// the stored digest bit for bit.
@Suite struct FingerprintEndToEndTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func gradlog(_ database: String, _ arguments: [String]) throws -> BinaryRunner.Output {
        try BinaryRunner.run(BinaryRunner.gradlog, [arguments[0], "--db", database] + arguments.dropFirst())
    }

    private func digest(_ database: String, run: Int) throws -> String {
        try BinaryRunner.run("sqlite3", [database, "SELECT fingerprint FROM runs WHERE id = \(run)"]).out
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("two processes running the same lesson store the same digest, and runs that differ in one setting differ")
    func stableAcrossProcesses() throws {
        let (first, second) = (directory.file("a.db"), directory.file("b.db"))
        for database in [first, second] { #expect(try gradlog(database, ["run", "--epochs", "300", "--quiet"]).code == 0) }
        #expect(try gradlog(first, ["run", "--epochs", "300", "--lr", "0.2", "--quiet"]).code == 0)
        let digest = try digest(first, run: 1)
        #expect(digest.count == 64)
        #expect(try self.digest(second, run: 1) == digest)
        #expect(try self.digest(first, run: 2) != digest)
    }

    @Test("the Python oracle reproduces the digest of a lesson run and of runs logged from outside, bit for bit")
    func pythonOracleReproducesTheDigest() throws {
        let database = directory.file("oracle.db")
        #expect(try gradlog(database, ["run", "--epochs", "200", "--quiet"]).code == 0)
        #expect(try gradlog(database, ["run", "--dataset", "xor", "--hidden", "3", "--epochs", "20", "--check-every", "4", "--quiet"]).code == 0)
        let lines = (1...30).map { step in
            #"{"step": \#(step * 2), "loss": \#(step == 7 ? "NaN" : "\(1.0 / Double(step))"), "params": {"w": \#(step == 3 ? "-0.0" : "\(step)"), "b": 1e308}, "#
                + #""analytic": {"w": 0.5, "b": -1}, "numeric": {"w": 0.5, "b": -Infinity}, "metrics": {"val": \#(step), "Val": 2, "b_m": 3}}"#
        }
        let input = directory.file("steps.jsonl")
        try ((lines + [#"{"end": "finished"}"#]).joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let logged = try BinaryRunner.run("bash", ["-c", "'\(BinaryRunner.gradlog)' log --db '\(database)' --name 'ünï' < '\(input)'"])
        #expect(logged.code == 0, "\(logged.err)")
        let oracle = BinaryRunner.packageRoot.appendingPathComponent("Tests/Oracle/fingerprint.py").path
        for run in 1...3 {
            let result = try BinaryRunner.run("/usr/bin/python3", [oracle, database, "\(run)"])
            let printed = result.out.split(separator: "\n").map(String.init)
            #expect(result.code == 0 && printed.count == 2, "\(result.out)\(result.err)")
            #expect(printed.first?.count == 64 && printed.first == printed.last, "run \(run): \(result.out)")
        }
    }
}
