#if canImport(Glibc)
import Glibc
#endif
import CFloor
import CSQLite

/// `gradlog log` of steps that give a loss and three metrics and no parameters, against the C
/// floor writing the same rows into gradlog's own tables (`cfloor_metrics`), in pairs.
enum MetricsLog {
    /// The metrics' names, as a training loop might call them.
    static let names = ["val_loss", "val_acc", "lr"]

    /// One line per step (`cfloor_metric_value`'s numbers, every digit) and the end line.
    static func writeLines(steps: Int, to path: String) throws {
        guard let file = fopen(path, "w") else { throw BenchError.cannotWrite(path) }
        defer { fclose(file) }
        for step in 1...max(1, steps) {
            let metrics = names.enumerated().map { "\"\($1)\": \(cfloor_metric_value(step, Int32($0 + 1)))" }
            fputs("{\"step\": \(step), \"loss\": \(cfloor_metric_value(step, 0)), \"metrics\": {"
                + metrics.joined(separator: ", ") + "}}\n", file)
        }
        fputs("{\"end\": \"finished\"}\n", file)
    }

    /// Seconds of `gradlog log` and of the C floor, `repeats` pairs, and the two files' per-step
    /// rows (counted in gradlog's, and how many differ between the two).
    static func measure(steps: Int, directory: String, executable: String, repeats: Int)
        throws -> (times: PairedTimes, rows: [String: Int], differing: Int, megabytes: Double) {
        let lines = "\(directory)/gradlog-bench-metrics-\(steps).jsonl"
        let logged = "\(directory)/gradlog-bench-metrics-log.db", floor = "\(directory)/gradlog-bench-metrics-floor.db"
        try writeLines(steps: steps, to: lines)
        defer { unlink(lines); Measurements.removeDatabase(logged); Measurements.removeDatabase(floor) }
        var times = PairedTimes()
        for _ in 0..<repeats {
            Measurements.removeDatabase(logged)
            let cost = ChildProcess.run([executable, "log", "--db", logged], input: lines)
            guard cost.exitCode == 0 else { throw BenchError.failed("gradlog log") }
            try prepareFloor(floor, directory: directory, executable: executable)
            let seconds = withCStrings(names) { cfloor_metrics(floor, steps, Int32(names.count), $0, 0.5) }
            guard seconds >= 0 else { throw BenchError.failed("the C floor of metrics") }
            times.add(cost.seconds, seconds)
        }
        guard let rows = TableRows.count(in: logged), let differing = TableRows.differing(logged, floor) else {
            throw BenchError.failed("counting the rows")
        }
        return (times, rows, differing, Double(Measurements.databaseBytes(lines)) / 1_048_576)
    }

    /// A new file with gradlog's schema and run 1 logged from outside (by `gradlog log` of one
    /// step), its per-step rows removed again, for the C floor to write into.
    private static func prepareFloor(_ path: String, directory: String, executable: String) throws {
        Measurements.removeDatabase(path)
        let one = "\(directory)/gradlog-bench-metrics-one.jsonl"
        try writeLines(steps: 1, to: one)
        defer { unlink(one) }
        guard ChildProcess.run([executable, "log", "--db", path], input: one).exitCode == 0 else {
            throw BenchError.failed("gradlog log of one step")
        }
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        let empty = TableRows.tables.map { "DELETE FROM \($0);" }.joined()
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK,
              sqlite3_exec(db, empty, nil, nil, nil) == SQLITE_OK else { throw BenchError.failed("emptying \(path)") }
    }

    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { UnsafePointer(strdup($0)) }
        defer { copies.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Measures and prints the figures.
    static func print(steps: Int, directory: String, executable: String, repeats: Int) throws {
        let (times, rows, differing, megabytes) = try measure(steps: steps, directory: directory, executable: executable,
                                                               repeats: repeats)
        let perStep = TableRows.tables.compactMap { table in
            rows[table].flatMap { $0 > 0 ? "\(table) \(fixed(Double($0) / Double(steps), 2))" : nil }
        }
        let total = Double(rows.values.reduce(0, +)) / Double(steps)
        Swift.print("\ngradlog log of \(rate(Double(steps))) steps of a loss and \(names.count) metrics, no parameters "
            + "(\(fixed(megabytes, 0)) MiB of JSON Lines), against C writing the same rows through reused prepared INSERTs "
            + "(\(repeats) pairs, gradlog incl. process start):")
        Swift.print("  rows/step \(fixed(total, 2)): " + perStep.joined(separator: ", ")
            + (differing == 0 ? "; C's rows are gradlog's" : "; \(differing) rows differ from C's"))
        let best = times.best, median = times.median
        Swift.print("  gradlog log  best \(fixed(best.first, 2)) s  median \(fixed(median.first, 2)) s  "
            + "\(rate(Double(steps) / best.first)) steps/s")
        Swift.print("  C floor      best \(fixed(best.second, 2)) s  median \(fixed(median.second, 2)) s  "
            + "\(rate(Double(steps) / best.second)) steps/s")
        Swift.print("  metrics: gradlog log / C floor  \(fixed(times.bestRatio, 2))x best, "
            + "\(fixed(times.medianRatio, 2))x median of pairs")
    }
}
