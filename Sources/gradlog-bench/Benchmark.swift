import ArgumentParser
import CSQLite
import Tracker

/// Measures gradlog's logging against training alone and against raw SQLite, and its reports
/// against the sqlite3 shell, and prints the figures.
@main
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradlog-bench",
        abstract: "Measure gradlog's per-step logging, database size, memory and report speed.",
        discussion: """
            Build in release mode first: swift build -c release. Each workload runs (1) training \
            alone, (2) training logged by gradlog into a new database, (3) the same rows written \
            straight through the SQLite C API; the ratios compare (2) with (3) and with (1). Peak \
            memory is that of a `gradlog run` child process for the same workload.
            """)

    @Option(help: "Comma-separated step counts.")
    var steps = "10000,100000,1000000"

    @Option(help: "Where to put the benchmark's database files.")
    var directory = "/tmp"

    @Option(help: "The gradlog executable (default: the one beside this benchmark).")
    var gradlog: String?

    @Option(help: "How many times to repeat each timing; the fastest counts.")
    var repeats = 3

    @Option(help: "Steps of the paired comparison with the C floor (0 skips it).")
    var floorSteps = 1_000_000

    @Option(help: "Epochs of the 569-sample, 30-feature workload that times `run` and `report` (0 skips it).")
    var wideEpochs = 1_000

    @Option(help: "Steps of the lesson logged by `gradlog log` from JSON Lines, against `gradlog run` (0 skips it).")
    var logSteps = 1_000_000

    @Option(help: "Steps of `gradlog log` of a loss and 3 metrics, no parameters, against C writing the same rows (0 skips it).")
    var metricsLogSteps = 1_000_000

    @Option(help: "Steps of `gradlog log` of 1,000 parameters and a loss, against `gradlog run` of as many rows (0 skips it).")
    var parametersLogSteps = 2_000

    @Option(help: "Steps of `gradlog log` with each count of parameters of --wide-log-parameters (0 skips it).")
    var wideLogSteps = 5

    @Option(help: "Comma-separated parameter counts of the --wide-log-steps runs.")
    var wideLogParameters = "10000,100000"

    @Option(help: "Steps of each run for the peak-memory checks of the reading commands (0 skips them).")
    var memorySteps = 0

    @Option(help: "Steps of each run of the small database that the peak-memory checks compare with.")
    var memorySmallSteps = 10_000

    @Flag(help: "Also time `gradlog runs` and `gradlog show` on a database of 1,000 runs and 10 million steps.")
    var summary = false

    func run() throws {
        let sizes = steps.split(separator: ",").compactMap { Int($0) }
        let executable = gradlog ?? siblingExecutable()
        print("gradlog-bench: SQLite \(String(cString: sqlite3_libversion())), \(repeats) repeats, best counts\n")
        print(Row.header)
        var largestLesson: String?
        for makeWorkload in [Workload.lesson, Workload.miniBatch, Workload.layered] {
            var memoryBase: Int?
            for size in sizes {
                let workload = makeWorkload(size)
                let path = "\(directory)/gradlog-bench-\(workload.label.replacing("/", with: "-"))-\(size).db"
                let row = try measure(workload, path: path, executable: executable, memoryBase: &memoryBase)
                print(row.text)
                if workload.label == "lesson" { largestLesson = path }
            }
        }
        if floorSteps > 0 {
            try SchemaFloor.print(steps: floorSteps, directory: directory, repeats: repeats)
        }
        if let largestLesson {
            try ReportTimings.print(database: largestLesson, executable: executable, repeats: repeats)
        }
        if wideEpochs > 0 {
            try WideWorkload.print(epochs: wideEpochs, directory: directory, executable: executable, repeats: repeats)
        }
        if logSteps > 0 {
            try LogThroughput.print(steps: logSteps, directory: directory, executable: executable, repeats: repeats)
        }
        if metricsLogSteps > 0 {
            try MetricsLog.print(steps: metricsLogSteps, directory: directory, executable: executable, repeats: repeats)
        }
        if parametersLogSteps > 0 {
            try ParametersLog.print(steps: parametersLogSteps, directory: directory, executable: executable, repeats: repeats)
        }
        if wideLogSteps > 0 {
            let widths = wideLogParameters.split(separator: ",").compactMap { Int($0) }
            try WideLog.print(directory: directory, executable: executable, steps: wideLogSteps, widths: widths)
        }
        if memorySteps > 0 {
            try MemoryChecks.print(large: memorySteps, small: memorySmallSteps, directory: directory, executable: executable)
        }
        if summary {
            try SummaryTimings.print(directory: directory, executable: executable)
        }
    }

    private func measure(_ workload: Workload, path: String, executable: String, memoryBase: inout Int?) throws -> Row {
        // The three are interleaved, repeat by repeat, so that a burst of load from elsewhere on the
        // machine slows all of them alike instead of one side of a ratio.
        var training = Double.infinity, floor = Double.infinity, logged = Double.infinity
        for _ in 0..<repeats {
            training = min(training, Measurements.trainingOnly(workload))
            floor = min(floor, try Measurements.floor(workload, path: path))
            logged = min(logged, try Measurements.gradlog(workload, path: path))
        }
        let bytes = Measurements.databaseBytes(path)
        Measurements.removeDatabase(path)
        let child = ChildProcess.run([executable] + workload.runArguments + ["--db", path])
        guard child.exitCode == 0 else { throw ValidationError("\(executable) run failed with exit code \(child.exitCode)") }
        let base = memoryBase ?? child.peakKiB
        memoryBase = base
        return Row(workload: workload, training: training, logged: logged, floor: floor, bytes: bytes,
                   peakKiB: child.peakKiB, memoryRatio: Double(child.peakKiB) / Double(base))
    }

    private func siblingExecutable() -> String {
        let own = CommandLine.arguments[0]
        guard let slash = own.lastIndex(of: "/") else { return "gradlog" }
        return String(own[...slash]) + "gradlog"
    }
}
