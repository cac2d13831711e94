#if canImport(Glibc)
import Glibc
#endif
import Tracker
import Training

/// `gradlog log` against `gradlog run` on the same lesson steps: the steps as JSON Lines in a file
/// (both gradients, every digit), read by `gradlog log`, parsing included.
enum LogThroughput {
    /// One line per step and the end line, as an outside program would print them.
    static func writeLines(steps: Int, to path: String) throws {
        guard let file = fopen(path, "w") else { throw BenchError.cannotWrite(path) }
        defer { fclose(file) }
        var config = TrainingConfig()
        config.epochs = steps
        var trainer = Trainer(dataset: .lesson, config: config)
        var record = StepRecord(parameterCount: 2)
        func pair(_ values: [Double]) -> String { "{\"w\": \(values[0]), \"b\": \(values[1])}" }
        while trainer.next(into: &record) {
            fputs("{\"step\": \(record.step), \"loss\": \(record.loss), \"params\": \(pair(record.values)), "
                + "\"analytic\": \(pair(record.analytic)), \"numeric\": \(pair(record.numeric))}\n", file)
        }
        fputs("{\"end\": \"finished\", \"params\": \(pair(trainer.parameters))}\n", file)
    }

    /// Times both, interleaved repeat by repeat, and prints the steps per second of each.
    static func print(steps: Int, directory: String, executable: String, repeats: Int) throws {
        let lines = "\(directory)/gradlog-bench-log-\(steps).jsonl"
        let database = "\(directory)/gradlog-bench-log-\(steps).db"
        try writeLines(steps: steps, to: lines)
        defer { unlink(lines) }
        var run = Double.infinity, log = Double.infinity
        for _ in 0..<repeats {
            Measurements.removeDatabase(database)
            let ran = ChildProcess.run([executable, "run", "--epochs", "\(steps)", "--quiet", "--db", database])
            Measurements.removeDatabase(database)
            let logged = ChildProcess.run([executable, "log", "--db", database], input: lines)
            guard ran.exitCode == 0, logged.exitCode == 0 else { throw BenchError.failed("gradlog run or log") }
            (run, log) = (min(run, ran.seconds), min(log, logged.seconds))
        }
        Measurements.removeDatabase(database)
        let size = Double(Measurements.databaseBytes(lines)) / 1_048_576
        Swift.print("\ngradlog log reading the lesson's \(rate(Double(steps))) steps as JSON Lines (\(fixed(size, 0)) MiB), "
            + "against gradlog run (best of \(repeats), incl. process start):")
        Swift.print("  gradlog run  \(fixed(run, 2)) s  \(rate(Double(steps) / run)) steps/s")
        Swift.print("  gradlog log  \(fixed(log, 2)) s  \(rate(Double(steps) / log)) steps/s  \(fixed(run / log * 100, 0))% of run")
    }
}
