#if canImport(Glibc)
import Glibc
#endif
import Tracker
import Training

/// Peak memory of the reading commands on a large and a small database: every report format
/// (per epoch and per step), compare, diff and verify, each a child process.
enum MemoryChecks {
    static let formats = ["--table", "--csv", "--tsv", "--json", "--jsonl", "--markdown"]

    /// Two lesson runs of `steps` steps each in a database kept under `directory` (built once).
    static func database(steps: Int, directory: String) throws -> String {
        let path = "\(directory)/gradlog-bench-memory-\(steps).db"
        let store = try Store(path: path)
        let existing = try RunCatalog(store: store).query("SELECT count(*) FROM runs").rows[0][0].int64Value ?? 0
        var config = TrainingConfig()
        config.epochs = steps
        for index in existing..<2 {
            config.learningRate = index == 0 ? 0.1 : 0.2
            _ = try RunExecutor.execute(RunRequest(dataset: .lesson, config: config), in: store)
        }
        return path
    }

    static var commands: [[String]] {
        formats.map { ["report", "1", $0] } + formats.map { ["report", "1", "--steps", $0] }
            + [["compare", "1", "2", "--csv"], ["diff", "1", "2", "--csv"], ["verify", "1"]]
    }

    static func print(large: Int, small: Int, directory: String, executable: String) throws {
        let big = try database(steps: large, directory: directory)
        let little = try database(steps: small, directory: directory)
        Swift.print("\npeak memory, two lesson runs of \(rate(Double(large))) steps vs of \(rate(Double(small))) steps:")
        Swift.print(Row.padded(["command", "MiB", "MiB small", "ratio", "seconds"], widths: [32, 8, 10, 7, 8]))
        for command in commands {
            let a = ChildProcess.run([executable] + command + ["--db", big])
            let b = ChildProcess.run([executable] + command + ["--db", little])
            guard a.exitCode == 0, b.exitCode == 0 else {
                throw BenchError.failed("gradlog \(command.joined(separator: " "))")
            }
            Swift.print(Row.padded([command.joined(separator: " "), fixed(Double(a.peakKiB) / 1024, 1),
                                    fixed(Double(b.peakKiB) / 1024, 1), fixed(Double(a.peakKiB) / Double(b.peakKiB), 2) + "x",
                                    fixed(a.seconds, 2)], widths: [32, 8, 10, 7, 8]))
        }
    }
}
