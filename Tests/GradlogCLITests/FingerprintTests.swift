import Foundation
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
import Training
@testable import GradlogCLI

/// A run's fingerprint (`runs.fingerprint`): kept by the recorder as it writes, equal to the digest
/// of its stored rows for every kind of run, shown by show and runs --json, recomputed by verify,
/// checked by merge, and computed for runs of older files by the migration's backfill.
@Suite struct FingerprintTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    private func stored(_ id: Int64, in path: String? = nil) throws -> String? {
        try Database(path: path ?? cli.database).scalar("SELECT fingerprint FROM runs WHERE id = ?", [.integer(id)])?.stringValue
    }

    private func computed(_ id: Int64, in path: String? = nil) throws -> String {
        try RunFingerprint.compute(id, in: Database(path: path ?? cli.database))
    }

    /// A run of each kind: the lesson, a CSV file, diverged, a hidden layer with autodiff, and runs
    /// logged from outside with metrics, NaN, infinities, parameters on some steps only.
    private func logEveryKindOfRun() throws {
        #expect(cli.run(["run", "--epochs", "30", "--tag", "kind=lesson"]).code == 0)
        let csv = cli.directory.file("data.csv")
        try "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(cli.run(["run", "--dataset", csv, "--epochs", "20", "--batch-size", "2", "--check-every", "3"]).code == 0)
        #expect(cli.run(["run", "--dataset", "and", "--w=1e308,1e308", "--b", "1e308", "--lr", "10"]).code == 2)
        #expect(cli.run(["run", "--dataset", "xor", "--hidden", "4", "--epochs", "10", "--autodiff"]).code == 0)
        let lines = (1...5).map { step in
            #"{"step": \#(step), "loss": \#(step == 3 ? "NaN" : "0.5"), "params": {"w": \#(Double(step) / 4), "b": \#(step == 1 ? "-0.0" : "-Infinity")}, "#
                + #""analytic": {"w": 0.25, "b": null}, "numeric": {"w": 0.25, "b": 1}, "metrics": {"val_loss": \#(step), "acc": 0.5}}"#
        }
        #expect(cli.run(["log", "--name", "outside"], input: (lines + [#"{"end": "finished"}"#]).joined(separator: "\n") + "\n").code == 0)
        let sparse = stride(from: 10, through: 60, by: 10).map { step in
            let params = (step % 20 == 0 ? [#""zeta": \#(Double(step) / 100)"#] : []) + (step >= 30 ? [#""alpha": -\#(step)"#] : [])
            return #"{"step": \#(step), "loss": \#(1 / Double(step)), "metrics": {"z_last": 1, "a_first": \#(step)}"#
                + (params.isEmpty ? "" : #", "params": {\#(params.joined(separator: ", "))}"#) + "}"
        }
        #expect(cli.run(["log", "--name", "sparse"], input: (sparse + [#"{"end": "finished"}"#]).joined(separator: "\n") + "\n").code == 0)
    }

    @Test("the digest the recorder kept while writing equals the digest of the stored rows, for every kind of run")
    func recorderAgreesWithStoredRows() throws {
        try logEveryKindOfRun()
        let ids = try Database(path: cli.database).column(Int64.self, "SELECT id FROM runs ORDER BY id")
        #expect(ids.count == 6)
        var digests: Set<String> = []
        for id in ids {
            let digest = try #require(try stored(id))
            #expect(digest.count == 64 && digest.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(try computed(id) == digest, "run \(id)")
            digests.insert(digest)
        }
        #expect(digests.count == ids.count)
        #expect(cli.run(["verify", "1"]).out.hasPrefix("identical"))
    }

    @Test("a running run's digest is that of the rows committed so far, at every commit")
    func runningRunDigest() throws {
        var config = TrainingConfig()
        config.epochs = 400
        var steps = 0
        var checked = 0
        let outcome = try RunExecutor.execute(
            RunRequest(dataset: .lesson, config: config), in: try Store(path: cli.database), commitInterval: 0,
            stopRequested: {
                steps += 1
                if steps % 97 == 0 {
                    // Another connection, as another process would read it: rows and digest of one commit.
                    let reader = try? Database(path: cli.database)
                    try? reader?.transaction {
                        let digest = try reader?.scalar("SELECT fingerprint FROM runs WHERE id = 1")?.stringValue
                        let rows = try RunFingerprint.compute(1, in: reader!)
                        #expect(digest != nil && digest == rows)
                        checked += 1
                    }
                }
                return nil
            })
        #expect(outcome.status == .finished)
        #expect(checked == 4)
        #expect(try stored(1) == computed(1))
    }

    @Test("show gives the fingerprint, runs gives it with --json and --jsonl only")
    func shownByShowAndRunsJSON() throws {
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        let digest = try #require(try stored(1))
        let shown = cli.run(["show", "1", "--csv"])
        #expect(shown.out.contains("fingerprint,\(digest)"), "\(shown.out)")
        #expect(cli.run(["runs", "--json"]).out.contains(#""fingerprint": "\#(digest)""#))
        #expect(cli.run(["runs", "--jsonl"]).out.contains(#""fingerprint": "\#(digest)""#))
        #expect(!cli.run(["runs", "--csv"]).out.contains("fingerprint"))
        #expect(cli.run(["runs", "--metric", "fingerprint"]).code == 64)
    }

    @Test("verify catches a tampered file: a metric of a run logged from outside, or a digest, changed; with words that say so")
    func verifyCatchesTampering() throws {
        #expect(cli.run(["run", "--epochs", "5"]).code == 0)
        #expect(cli.run(["log", "--name", "outside"], input: #"{"step": 1, "loss": 0.5, "metrics": {"m": 1}}"# + "\n" + #"{"end": "finished"}"# + "\n").code == 0)
        #expect(cli.run(["verify", "2"]).code == 3)  // a run logged from outside: its digest agrees, nothing to re-run
        let db = try Database(path: cli.database)
        // A value the re-run would find is reported at its step and column; these only the digest finds.
        try db.execute("UPDATE runs SET fingerprint = '" + String(repeating: "0", count: 64) + "' WHERE id = 1")
        try db.execute("UPDATE step_metrics SET value = 2 WHERE run_id = 2")
        for id in ["1", "2"] {
            let verified = cli.run(["verify", id])
            #expect(verified.code == 1, "\(verified.out)\(verified.err)")
            #expect(verified.out.contains("column fingerprint") && verified.out.contains("they were changed after they were logged"),
                    "\(verified.out)")
        }
    }

    @Test("merge refuses a run whose rows do not hash to its digest and writes nothing; an intact one arrives with the same digest")
    func mergeChecksArrivals() throws {
        let source = CLIHarness.sharing(cli.directory, name: "source.db")
        #expect(source.run(["run", "--epochs", "6"]).code == 0)
        #expect(source.run(["run", "--epochs", "4", "--seed", "3", "--lr", "0.5"]).code == 0)
        #expect(cli.run(["merge", source.database]).code == 0)
        for id: Int64 in [1, 2] { #expect(try stored(id) == stored(id, in: source.database) && stored(id) != nil) }
        let tampered = CLIHarness.sharing(cli.directory, name: "tampered.db")
        #expect(tampered.run(["run", "--epochs", "6", "--lr", "0.7"]).code == 0)
        try Database(path: tampered.database).execute("UPDATE gradients SET value = 0.25 WHERE step = 2 AND param = 'w'")
        let target = CLIHarness.sharing(cli.directory, name: "target.db")
        let merged = target.run(["merge", tampered.database])
        #expect(merged.code == 1, "\(merged.err)")
        #expect(merged.err.contains("run 1 is inconsistent: its rows do not hash to its fingerprint"), "\(merged.err)")
        let written = FileManager.default.fileExists(atPath: target.database)
            ? try Database(path: target.database).scalar("SELECT count(*) FROM runs") : .integer(0)
        #expect(written == .integer(0))
    }

    @Test("the migration's backfill gives runs of an older file the digest the recorder would have written")
    func backfillOfOlderFiles() throws {
        #expect(cli.run(["run", "--epochs", "7"]).code == 0)
        #expect(cli.run(["log"], input: #"{"step": 2, "loss": 1, "params": {"w": 1}, "metrics": {"m": 3}}"# + "\n" + #"{"end": "finished"}"# + "\n").code == 0)
        let original = try [stored(1), stored(2)]
        // The file as gradlog left it before schema v10.
        let db = try Database(path: cli.database)
        try db.execute("ALTER TABLE runs DROP COLUMN fingerprint")
        // And without what later versions added: those migrations run again after the backfill.
        try db.execute("DROP TABLE epoch_blocks")
        try db.run("DELETE FROM schema_migrations WHERE version >= ?", [.integer(Int64(RunFingerprint.sqliteVersion))])
        #expect(cli.run(["runs"]).code == 0)  // opening it upgrades it
        #expect(try [stored(1), stored(2)] == original)
        #expect(try Database(path: cli.database).scalar("SELECT max(version) FROM schema_migrations")
                == .integer(Int64(Store.migrator.latestVersion)))
    }

    @Test("the fingerprint's version constants name the migrations that add the column, so a renumbering changes one line each")
    func versionConstantsNameTheMigrations() {
        #expect(MigrationCatalog.sqlite.filter { $0.name.hasSuffix("fingerprint") }.map(\.version) == [RunFingerprint.sqliteVersion])
        #expect(MigrationCatalog.postgres.filter { $0.name.hasSuffix("fingerprint") }.map(\.version) == [RunFingerprint.postgresVersion])
        #expect(MigrationCatalog.sqlite.first { $0.version == RunFingerprint.sqliteVersion }?.backfill != nil)
    }

    @Test("SHA-256 by the CPU's instructions and by portable code agree with each other and with the standard's vectors")
    func sha256Paths() {
        let vectors: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ]
        for portable in [false, true] {
            FingerprintHasher.portableOnly(portable)
            defer { FingerprintHasher.portableOnly(false) }
            for (message, digest) in vectors { #expect(FingerprintHasher.sha256(Array(message.utf8)) == digest) }
            // Every length around the block size and the padding boundary, against the Swift SHA256.
            for length in 0...200 {
                let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
                var reference = SHA256()
                reference.update(bytes)
                #expect(FingerprintHasher.sha256(bytes) == reference.hexDigest(), "length \(length), portable \(portable)")
            }
        }
    }
}
