#if canImport(Glibc)
import Glibc
#endif
import Tracker
import Training

/// A table of the size of a classic tabular data set: 569 samples of 30 features, full batch; the features are drawn from a seeded generator and the label from a fixed
/// linear rule, so that the file is the same on every machine.
enum WideWorkload {
    static let samples = 569
    static let features = 30

    /// The samples as a CSV file at `path`.
    static func writeCSV(to path: String) throws {
        var generator = SplitMix64(seed: 569)
        var text = (1...features).map { "f\($0)" }.joined(separator: ",") + ",y\n"
        for _ in 0..<samples {
            let x = (0..<features).map { _ in (generator.nextUnitDouble() * 4 - 2) }
            let score = x.enumerated().reduce(0.0) { $0 + (Double($1.offset % 5) - 2) * $1.element }
            text += x.map { "\($0)" }.joined(separator: ",") + (score >= 0 ? ",1\n" : ",0\n")
        }
        guard let file = fopen(path, "w") else { throw BenchError.cannotWrite(path) }
        fputs(text, file)
        fclose(file)
    }

    /// Times `gradlog run` and the per-epoch `report --csv` on it (processes, best of `repeats`).
    static func print(epochs: Int, directory: String, executable: String, repeats: Int) throws {
        let csv = "\(directory)/gradlog-bench-569x30.csv"
        let database = "\(directory)/gradlog-bench-569x30.db"
        try writeCSV(to: csv)
        var run = ChildProcess.Cost(seconds: .infinity, peakKiB: 0, exitCode: 0)
        for _ in 0..<repeats {
            Measurements.removeDatabase(database)
            let cost = ChildProcess.run([executable, "run", "--dataset", csv, "--epochs", "\(epochs)", "--db", database])
            guard cost.exitCode == 0 else { throw BenchError.failed("gradlog run") }
            if cost.seconds < run.seconds { run = cost }
        }
        let report = ChildProcess.best(of: repeats, [executable, "report", "latest", "--csv", "--db", database])
        let steps = ChildProcess.best(of: repeats, [executable, "report", "latest", "--steps", "--csv", "--db", database])
        Swift.print("\n\(samples) samples x \(features) features, full batch, \(epochs) epochs (best of \(repeats), incl. process start):")
        Swift.print("  gradlog run                 \(fixed(run.seconds, 2)) s, \(fixed(Double(run.peakKiB) / 1024, 1)) MiB, "
            + "\(fixed(Double(Measurements.databaseBytes(database)) / 1_048_576, 1)) MiB file")
        Swift.print("  gradlog report --csv        \(fixed(report.seconds, 3)) s")
        Swift.print("  gradlog report --steps --csv \(fixed(steps.seconds, 3)) s")
        Measurements.removeDatabase(database)
        unlink(csv)
    }
}
