#if canImport(Glibc)
import Glibc
#endif
import Training

/// `gradlog log` of steps that give 1,000 parameter values and a loss, against `gradlog run`
/// writing as many rows: a network of exactly 1,000 parameters (25 inputs, one hidden layer of 37
/// units) on one sample, checked at its first step only, so that both write a `steps` row, 1,000
/// `gradients` rows and an `epochs` row a step, and the blocks of the same 1,000 parameters.
enum ParametersLog {
    static let inputs = 25, hidden = 37

    /// The one sample: features drawn from a seeded generator, label 1.
    static let dataset: Dataset = {
        var generator = SplitMix64(seed: 1_000)
        let x = (0..<inputs).map { _ in generator.nextUnitDouble() * 2 - 1 }
        return Dataset(name: "bench-1000", featureNames: (1...inputs).map { "f\($0)" }, inputs: x, labels: [1])
    }()

    /// The run's settings: full batch, every step its own epoch, the gradient check at step 1 only.
    static func config(steps: Int) -> TrainingConfig {
        var config = TrainingConfig()
        config.epochs = steps
        config.hidden = [hidden]
        config.checkEvery = steps
        return config
    }

    /// The sample as a CSV file, for `gradlog run --dataset`.
    static func writeCSV(to path: String) throws {
        guard let file = fopen(path, "w") else { throw BenchError.cannotWrite(path) }
        defer { fclose(file) }
        fputs(dataset.featureNames.joined(separator: ",") + ",y\n", file)
        fputs(dataset.inputs.map { "\($0)" }.joined(separator: ",") + ",1\n", file)
    }

    /// The run's own steps (its parameter names and values, its loss) as JSON Lines, and the end line.
    static func writeLines(steps: Int, to path: String) throws -> Int {
        guard let file = fopen(path, "w") else { throw BenchError.cannotWrite(path) }
        defer { fclose(file) }
        var trainer = Trainer(dataset: dataset, config: config(steps: steps))
        let keys = trainer.parameterNames.map { "\"\($0)\": " }
        var record = StepRecord(parameterCount: keys.count)
        while trainer.next(into: &record) {
            var line = "{\"step\": \(record.step), \"loss\": \(record.loss), \"params\": {"
            for k in keys.indices { line += (k == 0 ? "" : ", ") + keys[k] + "\(record.values[k])" }
            fputs(line + "}}\n", file)
        }
        fputs("{\"end\": \"finished\"}\n", file)
        return keys.count
    }

    /// Times `gradlog log` and `gradlog run` in turn, `repeats` pairs, and prints the figures.
    static func print(steps: Int, directory: String, executable: String, repeats: Int) throws {
        let csv = "\(directory)/gradlog-bench-1000.csv", lines = "\(directory)/gradlog-bench-1000.jsonl"
        let logged = "\(directory)/gradlog-bench-1000-log.db", ran = "\(directory)/gradlog-bench-1000-run.db"
        try writeCSV(to: csv)
        let parameters = try writeLines(steps: steps, to: lines)
        let megabytes = Double(Measurements.databaseBytes(lines)) / 1_048_576
        defer { unlink(csv); unlink(lines); Measurements.removeDatabase(logged); Measurements.removeDatabase(ran) }
        var times = PairedTimes()
        for _ in 0..<repeats {
            Measurements.removeDatabase(logged)
            let log = ChildProcess.run([executable, "log", "--db", logged], input: lines)
            Measurements.removeDatabase(ran)
            let run = ChildProcess.run([executable, "run", "--dataset", csv, "--hidden", "\(hidden)", "--epochs", "\(steps)",
                                        "--check-every", "\(steps)", "--quiet", "--db", ran])
            guard log.exitCode == 0, run.exitCode == 0 else { throw BenchError.failed("gradlog log or run") }
            times.add(log.seconds, run.seconds)
        }
        guard let logRows = TableRows.count(in: logged), let runRows = TableRows.count(in: ran) else {
            throw BenchError.failed("counting the rows")
        }
        func perStep(_ rows: [String: Int]) -> String { fixed(Double(rows.values.reduce(0, +)) / Double(steps), 2) }
        Swift.print("\ngradlog log of \(rate(Double(steps))) steps of \(rate(Double(parameters))) parameters and a loss "
            + "(\(fixed(megabytes, 0)) MiB of JSON Lines), against gradlog run of a \(inputs)-input, \(hidden)-unit network "
            + "as large (\(repeats) pairs, incl. process start):")
        Swift.print("  rows/step: log \(perStep(logRows)), run \(perStep(runRows)) (gradients \(fixed(Double(logRows["gradients"] ?? 0) / Double(steps), 0)) a step)")
        let best = times.best, median = times.median
        Swift.print("  gradlog log  best \(fixed(best.first, 2)) s  median \(fixed(median.first, 2)) s  "
            + "\(rate(Double(steps) / best.first)) steps/s")
        Swift.print("  gradlog run  best \(fixed(best.second, 2)) s  median \(fixed(median.second, 2)) s  "
            + "\(rate(Double(steps) / best.second)) steps/s")
        Swift.print("  \(rate(Double(parameters))) parameters: gradlog log / gradlog run  \(fixed(times.bestRatio, 2))x best, "
            + "\(fixed(times.medianRatio, 2))x median of pairs")
    }
}
