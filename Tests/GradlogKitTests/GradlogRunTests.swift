import Foundation
import GradlogKit
import SQLiteDB
import TestSupport
import Testing
import Tracker
import Training

@Suite struct GradlogRunTests {
    /// The lesson's loss, written out by hand as a user's own code would.
    static func loss(_ w: Double, _ b: Double) -> Double {
        let t = w * 2 + b
        return max(t, 0) - t + log1p(exp(-abs(t)))
    }

    @Test func aHandWrittenLoopLogsTheSameRowsAsGradlogRun() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("kit.db")
        let run = try GradlogRun(database: path, name: "by hand", tags: ["by": "hand"], config: "{\"lr\": 0.1}",
                                 parameters: ["w", "b"])
        var (w, b) = (0.5, -1.0)
        let eps = 1e-6
        for step in 1...20 {
            let t = w * 2 + b
            let residual = -1 / (1 + exp(t))  // σ(t) - 1 without cancellation
            let analytic = [residual * 2, residual]
            let numeric = [(Self.loss(w + eps, b) - Self.loss(w - eps, b)) / (2 * eps),
                           (Self.loss(w, b + eps) - Self.loss(w, b - eps)) / (2 * eps)]
            try run.log(step: step, loss: Self.loss(w, b), values: [w, b], analytic: analytic, numeric: numeric,
                        batchSize: 1, metrics: ["t": t])
            (w, b) = (w - 0.1 * analytic[0], b - 0.1 * analytic[1])
        }
        try run.finish(finalValues: [w, b])
        #expect(run.id == 1)
        let db = try Database(path: path)
        var config = TrainingConfig()
        config.epochs = 20
        let own = try RunExecutor.execute(RunRequest(dataset: .lesson, config: config), in: Store(path: path)).runID
        for sql in ["SELECT step, epoch, batch_size, loss FROM steps WHERE run_id = ? ORDER BY step",
                    "SELECT step, param, value, analytic, numeric, passed FROM gradients WHERE run_id = ? ORDER BY step, param",
                    "SELECT param, initial, final FROM params WHERE run_id = ? ORDER BY position",
                    "SELECT epoch, mean_loss, worst_rel_error FROM epochs WHERE run_id = ? ORDER BY epoch"] {
            #expect(try db.rows(sql, [1]) == db.rows(sql, [.integer(own)]), "\(sql)")
        }
        #expect(try db.rows("SELECT source, name, config FROM runs WHERE id = 1") == [["external", "by hand", "{\"lr\": 0.1}"]])
        #expect(try db.scalar("SELECT count(*) FROM step_metrics WHERE run_id = 1 AND name = 't'") == .integer(20))
        // Its fingerprint, kept as it logged: the rows agree with it, until one of them changes.
        let digest = try db.scalar("SELECT fingerprint FROM runs WHERE id = 1")?.stringValue ?? ""
        let ownDigest = try db.scalar("SELECT fingerprint FROM runs WHERE id = ?", [.integer(own)])?.stringValue
        #expect(digest.count == 64 && digest != ownDigest)
        #expect(throws: TrackerError.externalRun(runID: 1)) { try RunVerifier.verify(1, in: Store(path: path)) }
        try db.execute("UPDATE step_metrics SET value = value + 1 WHERE run_id = 1 AND step = 20")
        #expect(try RunVerifier.verify(1, in: Store(path: path)).difference?.column == "fingerprint")
    }

    @Test func aStepThatBreaksTheRulesIsRefusedInWordsAndTheRunGoesOn() throws {
        let directory = try TemporaryDirectory()
        let run = try GradlogRun(database: directory.file("kit.db"), parameters: ["w"])
        try run.log(step: 1, values: [1])
        let error = #expect(throws: GradlogError.self) { try run.log(step: 1, values: [2]) }
        #expect(error?.description.contains("step numbers increase") == true)
        #expect(throws: GradlogError.self) { try run.log(step: 2, values: [2, 3]) }
        try run.log(step: 2, values: [2])
        try run.finish(.failed("stopped by hand"))
        let db = try Database(path: directory.file("kit.db"))
        #expect(try db.rows("SELECT status, error, step_count FROM runs") == [["failed", "stopped by hand", 2]])
        #expect(throws: GradlogError.self) { try GradlogRun(database: directory.file("kit.db"), parameters: ["a b"]) }
    }

    @Test func aLoopMayLogSomeParametersByNameAndDeclareNewOnesLater() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("kit.db")
        let run = try GradlogRun(database: path, parameters: ["w", "b"])
        try run.log(step: 1, loss: 0.9)
        try run.log(step: 2, loss: 0.8, parameters: ["b": -1])
        try run.log(step: 3, loss: 0.7, parameters: ["w": 0.5, "layer2.w": 2], analytic: ["layer2.w": 0.5, "w": 0.25],
                    numeric: ["w": 0.25, "layer2.w": 0.5])
        #expect(throws: GradlogError.self) { try run.log(step: 4, loss: 1, parameters: ["w": 1], analytic: ["b": 1]) }
        #expect(throws: GradlogError.self) { try run.finish(finalParameters: ["c": 1]) }
        try run.finish(finalParameters: ["layer2.w": 3])
        let db = try Database(path: path)
        // Positions in the order of first values, a step's names in sorted order.
        #expect(try db.rows("SELECT param, position, initial, final FROM params ORDER BY position") == [
            ["b", 0, -1.0, .null], ["layer2.w", 1, 2.0, 3.0], ["w", 2, 0.5, .null],
        ])
        #expect(try db.rows("SELECT step, param, passed FROM gradients ORDER BY step, param") == [
            [2, "b", .null], [3, "layer2.w", 1], [3, "w", 1],
        ])
    }

    @Test func aRunRecordsTheUserGivenOrTheEnvironments() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("kit.db")
        for user in ["ana", nil] {
            let run = try GradlogRun(database: path, user: user)
            try run.log(step: 1, loss: 0.5)
            try run.finish()
        }
        let users = try Database(path: path).rows("SELECT run_by FROM runs ORDER BY id").map { $0[0] }
        #expect(users == [.text("ana"), .text(RunUser.current())])
    }
}
