import CFloor
import Tracker
import Training

/// The lesson logged three ways in paired runs: gradlog's Swift path; C writing the same rows into
/// gradlog's own tables (the floor for the schema); C writing them into keyless heap tables. The
/// first ratio is what the Swift path costs, the second what the schema's keys and types cost.
enum SchemaFloor {
    /// Commits of the C writers: every this many steps (gradlog commits every half second).
    static let commitEvery = 50_000

    /// Seconds of the three, best of `repeats`, interleaved repeat by repeat.
    static func measure(steps: Int, directory: String, repeats: Int) throws -> (swift: Double, schema: Double, keyless: Double) {
        let path = "\(directory)/gradlog-bench-floor.db"
        var best = (swift: Double.infinity, schema: Double.infinity, keyless: Double.infinity)
        for _ in 0..<repeats {
            best.swift = min(best.swift, try Measurements.gradlog(.lesson(steps: steps), path: path))
            best.schema = min(best.schema, try cSchema(steps: steps, path: path))
            Measurements.removeDatabase(path)
            best.keyless = min(best.keyless, try check(cfloor_lesson(path, steps, 1, commitEvery, 0)))
        }
        Measurements.removeDatabase(path)
        return best
    }

    /// C into gradlog's tables: a new file with gradlog's schema and one run row, its rows emptied.
    private static func cSchema(steps: Int, path: String) throws -> Double {
        Measurements.removeDatabase(path)
        let store = try Store(path: path)
        var config = TrainingConfig()
        config.epochs = 1
        _ = try RunExecutor.execute(RunRequest(dataset: .lesson, config: config), in: store)
        for table in ["gradients", "epochs", "steps"] { _ = try RunCatalog(store: store).query("DELETE FROM \(table)") }
        // Set up as gradlog's recorder sets up its connection: foreign keys not enforced while logging.
        return try check(cfloor_lesson(path, steps, 0, commitEvery, 0))
    }

    private static func check(_ seconds: Double) throws -> Double {
        guard seconds >= 0 else { throw BenchError.failed("the C floor") }
        return seconds
    }

    /// The printed lines.
    static func print(steps: Int, directory: String, repeats: Int) throws {
        let best = try measure(steps: steps, directory: directory, repeats: repeats)
        Swift.print("\nthe lesson, \(rate(Double(steps))) steps, paired (best of \(repeats)):")
        Swift.print("  gradlog (Swift)              \(fixed(best.swift, 2)) s")
        Swift.print("  C, gradlog's schema          \(fixed(best.schema, 2)) s")
        Swift.print("  C, keyless heap tables       \(fixed(best.keyless, 2)) s")
        Swift.print("  Swift path: gradlog / C on the same schema   \(fixed(best.swift / best.schema, 2))x")
        Swift.print("  schema: C on gradlog's schema / C keyless     \(fixed(best.schema / best.keyless, 2))x")
    }
}
