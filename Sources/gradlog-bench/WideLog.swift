#if canImport(Glibc)
import Glibc
#endif
import Tracker

/// `gradlog log` of steps with many parameters (by default 10,000 and 100,000): its time and memory must grow
/// with the parameter count, not with its square.
enum WideLog {
    /// Writes `steps` lines, each with `parameters` values, and the end line.
    static func writeLines(parameters: Int, steps: Int, to path: String) throws {
        guard let file = fopen(path, "w") else { throw BenchError.cannotWrite(path) }
        defer { fclose(file) }
        let values = (0..<parameters).map { "\"p\($0)\": 0.\($0 % 10)" }.joined(separator: ", ")
        for step in 1...steps { fputs("{\"step\": \(step), \"loss\": 0.5, \"params\": {\(values)}}\n", file) }
        fputs("{\"end\": \"finished\"}\n", file)
    }

    /// Prints the time, rows per second and peak memory of `gradlog log` at each width (parameters a step).
    static func print(directory: String, executable: String, steps: Int = 5, widths: [Int] = [10_000, 100_000]) throws {
        Swift.print("\ngradlog log with many parameters (\(steps) steps, one gradients row per parameter per step, "
            + "incl. process start):")
        for parameters in widths {
            let lines = "\(directory)/gradlog-bench-wide-\(parameters).jsonl"
            let database = "\(directory)/gradlog-bench-wide-\(parameters).db"
            try writeLines(parameters: parameters, steps: steps, to: lines)
            defer { unlink(lines); Measurements.removeDatabase(database) }
            Measurements.removeDatabase(database)
            let cost = ChildProcess.run([executable, "log", "--db", database], input: lines)
            guard cost.exitCode == 0 else { throw BenchError.failed("gradlog log") }
            let rows = Double(parameters * steps)
            Swift.print("  \(rate(Double(parameters))) parameters  \(fixed(cost.seconds, 2)) s  "
                + "\(rate(rows / cost.seconds)) rows/s  peak \(cost.peakKiB / 1024) MiB")
        }
    }
}
