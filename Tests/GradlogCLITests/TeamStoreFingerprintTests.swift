import Foundation
import PostgresDB
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
import Training
@testable import GradlogCLI

/// Runs' fingerprints through the team store: equal on both sides after push, pull and merge; a
/// row changed in the store refused by pull; a running run pushed with the digest of what it pushed.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct TeamStoreFingerprintTests {
    let cli: CLIHarness
    let other: CLIHarness
    let store: String

    init() throws {
        cli = try CLIHarness()
        other = CLIHarness.sharing(cli.directory, name: "pulled.db")
        store = try PostgresTestServer.freshDatabase()
    }

    private func local(_ harness: CLIHarness) throws -> [String: String] {
        var digests: [String: String] = [:]
        for row in try Database(path: harness.database).rows("SELECT uuid, fingerprint FROM runs") {
            digests[row[0].stringValue ?? ""] = row[1].stringValue
        }
        return digests
    }

    private func remote() throws -> [String: String] {
        var digests: [String: String] = [:]
        for row in try PostgresTestServer.connect(store).query("SELECT uuid, fingerprint FROM runs").rows {
            digests[row[0] ?? ""] = row[1]
        }
        return digests
    }

    @Test("a run's digest is the same here, in the store, in a pulled copy and in a merged one")
    func equalOnEverySide() throws {
        #expect(cli.run(["run", "--epochs", "12"]).code == 0)
        #expect(cli.run(["log", "--name", "outside"],
                        input: #"{"step": 1, "loss": 0.5, "params": {"w": 1}, "metrics": {"m": 2}}"# + "\n" + #"{"end": "finished"}"# + "\n").code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        let here = try local(cli)
        #expect(here.count == 2 && here.values.allSatisfy { $0.count == 64 })
        #expect(try remote() == here)
        #expect(other.run(["pull", store, "--all"]).code == 0)
        #expect(try local(other) == here)
        let third = CLIHarness.sharing(cli.directory, name: "merged.db")
        #expect(third.run(["merge", other.database]).code == 0)
        #expect(try local(third) == here)
        #expect(other.run(["verify", "1"]).out.hasPrefix("identical"))
    }

    @Test("pull refuses a run one of whose gradients was changed in the store, and writes nothing of it")
    func pullRefusesATamperedRun() throws {
        #expect(cli.run(["run", "--epochs", "8"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        try PostgresTestServer.connect(store).execute("UPDATE gradients SET analytic = analytic + 1e-12 WHERE step = 5 AND param = 'w'")
        #expect(other.run(["run", "--epochs", "2"]).code == 0)
        let pulled = other.run(["pull", store, "--all"])
        #expect(pulled.code == 1, "\(pulled.err)")
        #expect(pulled.err.contains("its rows do not hash to its fingerprint"), "\(pulled.err)")
        #expect(try Database(path: other.database).scalar("SELECT count(*) FROM runs") == .integer(1))
    }

    @Test("a run pushed while it trains carries the digest of the rows it pushed; the last push, the final one")
    func runningRunPushed() throws {
        var config = TrainingConfig()
        config.epochs = 500
        var steps = 0
        var during: (code: Int32, committed: String?)?
        let outcome = try RunExecutor.execute(
            RunRequest(dataset: .lesson, config: config), in: try Store(path: cli.database), commitInterval: 0,
            stopRequested: {
                steps += 1
                if steps == 250 {
                    let pushed = cli.run(["push", store, "latest"])
                    // Nothing commits meanwhile: the file's committed rows are what the push read.
                    let digest = try? RunFingerprint.compute(1, in: Database(path: cli.database))
                    during = (pushed.code, digest)
                }
                return nil
            })
        #expect(outcome.status == .finished)
        #expect(during?.code == 0)
        let pushedDigest = try remote().values.first
        #expect(pushedDigest != nil && pushedDigest == during?.committed)
        #expect(pushedDigest != (try local(cli).values.first))
        #expect(cli.run(["push", store, "latest"]).code == 0)
        #expect(try remote() == local(cli))
        #expect(other.run(["pull", store, "--all"]).code == 0)
        #expect(try local(other) == local(cli))
    }

    @Test("a run pushed before the store kept fingerprints is pulled with one computed from its rows")
    func runWithoutDigestInTheStore() throws {
        #expect(cli.run(["run", "--epochs", "5"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        try PostgresTestServer.connect(store).execute("UPDATE runs SET fingerprint = NULL")
        #expect(other.run(["pull", store, "--all"]).code == 0)
        #expect(try local(other) == local(cli))
        // The owner's next push sends it.
        #expect(cli.run(["push", store, "--all", "--csv"]).out.contains("updated,"))
        #expect(try remote() == local(cli))
    }
}
