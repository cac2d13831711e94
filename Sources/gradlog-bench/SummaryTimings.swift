import Tracker
import Training

/// Times the run summaries (`gradlog runs`, `gradlog show`) on a large database: 1,000 runs of
/// 10,000 lesson steps each, 10 million steps in all. The file is built once and kept.
enum SummaryTimings {
    static let runs = 1_000
    static let stepsPerRun = 10_000

    static func print(directory: String, executable: String) throws {
        let path = "\(directory)/gradlog-bench-summary.db"
        let store = try Store(path: path)
        let existing = try RunCatalog(store: store).query("SELECT count(*) FROM runs").rows[0][0].int64Value ?? 0
        var config = TrainingConfig()
        config.epochs = stepsPerRun
        let start = Timestamp.monotonicSeconds()
        for _ in existing..<Int64(runs) {
            _ = try RunExecutor.execute(RunRequest(dataset: .lesson, config: config), in: store)
        }
        if existing < runs {
            Swift.print("\nbuilt \(path) in \(fixed(Timestamp.monotonicSeconds() - start, 0)) s")
        }
        Swift.print("\nsummaries on \(runs) runs, \(rate(Double(runs * stepsPerRun))) steps (best of 5, incl. process start):")
        for arguments in [["runs"], ["show", "500"], ["show", "latest"]] {
            let cost = ChildProcess.best(of: 5, [executable] + arguments + ["--db", path])
            Swift.print("  gradlog \(arguments.joined(separator: " ")): \(fixed(cost.seconds * 1000, 1)) ms")
        }
        let baseline = ChildProcess.best(of: 5, [executable, "--version"])
        Swift.print("  gradlog --version (process start alone): \(fixed(baseline.seconds * 1000, 1)) ms")
    }
}
