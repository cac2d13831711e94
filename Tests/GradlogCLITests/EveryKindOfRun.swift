import Foundation
import Testing
import Tracker
import Training

extension CLIHarness {
    /// Every kind of run: the lesson, a CSV file, a diverged run with NaN, an interrupted one, a
    /// network with a hidden layer, a run logged from outside (with a metric, cut short), and a
    /// sparse one logged every 10 steps with a loss, two metrics and some parameters on some steps.
    func logEveryKindOfRun() throws {
        #expect(run(["run", "--epochs", "40", "--tag", "kind=lesson"]).code == 0)
        let csv = directory.file("data.csv")
        try "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(run(["run", "--dataset", csv, "--epochs", "30", "--batch-size", "2"]).code == 0)
        #expect(run(["run", "--dataset", "and", "--w=1e308,1e308", "--b", "1e308", "--lr", "10"]).code == 2)
        var config = TrainingConfig()
        config.epochs = 1000
        var steps = 0
        let stopped = try RunExecutor.execute(RunRequest(dataset: .lesson, config: config), in: try Store(path: database),
                                              stopRequested: { steps += 1; return steps == 300 ? SIGINT : nil })
        #expect(stopped.status == .interrupted)
        #expect(run(["run", "--dataset", "xor", "--hidden", "4", "--epochs", "20", "--autodiff", "--fault", "l1.n2"]).code == 0)
        let lines = (1...5).map { step in
            #"{"step": \#(step), "loss": \#(step == 3 ? "NaN" : "0.5"), "params": {"w": \#(Double(step) / 4), "b": \#(step == 1 ? "0.5" : "-Infinity")}, "#
                + #""analytic": {"w": 0.25, "b": null}, "numeric": {"w": 0.25, "b": 1}, "metrics": {"val_loss": \#(step)}}"#
        }
        #expect(run(["log", "--name", "outside"], input: lines.joined(separator: "\n") + "\n").code == 1)
        // Watched parameters on some steps only: w every 20 steps, b from step 50 on, gradients at step 60.
        let sparse = stride(from: 10, through: 100, by: 10).map { step in
            let params = (step % 20 == 0 ? [#""w": \#(Double(step) / 100)"#] : []) + (step >= 50 ? [#""b": -\#(step)"#] : [])
            let gradients = step == 60 ? #", "analytic": {"b": 1, "w": 2}, "numeric": {"w": 2, "b": 1.5}"# : ""
            return #"{"step": \#(step), "loss": \#(1 / Double(step)), "metrics": {"val_loss": \#(2 / Double(step)), "val_acc": 0.5}"#
                + (params.isEmpty ? "" : #", "params": {\#(params.joined(separator: ", "))}"#) + gradients + "}"
        }
        #expect(run(["log", "--name", "sparse"], input: (sparse + [#"{"end": "finished"}"#]).joined(separator: "\n") + "\n").code == 0)
    }
}
