#if canImport(Glibc)
import Glibc
#endif
import Tracker

/// Times `gradlog report` against the sqlite3 shell on the same file: the per-epoch report against
/// the shell printing the `epochs` table, the per-step report against the shell running its SQL.
enum ReportTimings {
    static func print(database: String, executable: String, repeats: Int) throws {
        let catalog = RunCatalog(store: try Store(path: database, access: .read))
        let runID = try catalog.resolve("latest")
        let steps = try catalog.query("SELECT step_count FROM runs WHERE id = ?", [.integer(runID)]).rows[0][0]
        Swift.print("\nreports of the lesson run with \(rate(steps.doubleValue ?? 0)) steps (wall time incl. process start):")
        Swift.print(ReportRow.header)
        let epochsSQL = database + "-epochs.sql"
        try write("SELECT * FROM epochs WHERE run_id = \(runID);\n", to: epochsSQL)
        let stepsSQL = database + "-steps.sql"
        try write(catalog.reportSQL(.steps, of: runID), to: stepsSQL)
        defer { unlink(epochsSQL); unlink(stepsSQL) }
        for (label, flags, sqlFile) in [("per-epoch", [String](), epochsSQL), ("--steps", ["--steps"], stepsSQL)] {
            let command = [executable, "report", "\(runID)", "--db", database, "--csv"] + flags
            let ours = ChildProcess.best(of: repeats, command)
            let shell = ChildProcess.best(of: repeats, ["sqlite3", "-csv", "-header", database], input: sqlFile)
            let firstRow = (0..<repeats).map { _ in ChildProcess.secondsToLines(2, command) }.min() ?? .nan
            Swift.print(ReportRow(label: label, ours: ours, shell: shell, firstRow: firstRow).text)
        }
        let latest = "SELECT * FROM epochs WHERE run_id = \(runID) ORDER BY epoch DESC LIMIT 3"
        let query = ChildProcess.best(of: repeats, ["sqlite3", database, latest])
        let start = ChildProcess.best(of: repeats, ["sqlite3", database, "SELECT 1"])
        Swift.print("  sqlite3: \(latest): \(fixed(query.seconds * 1000, 1)) ms "
            + "(the shell starting and answering SELECT 1: \(fixed(start.seconds * 1000, 1)) ms)")
    }

    static func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw BenchError.cannotWrite(path) }
        fputs(text, file)
        fclose(file)
    }
}

/// One printed line of the report timings.
struct ReportRow {
    let label: String
    let ours: ChildProcess.Cost
    let shell: ChildProcess.Cost
    let firstRow: Double

    static let widths = [14, 10, 15, 7, 15, 12, 12]
    static let header = Row.padded(
        ["report --csv", "gradlog s", "sqlite3 -csv s", "ratio", "first row ms", "gradlog MiB", "sqlite3 MiB"], widths: widths)

    var text: String {
        Row.padded([label, fixed(ours.seconds, 2), fixed(shell.seconds, 2), fixed(ours.seconds / shell.seconds, 2) + "x",
                    fixed(firstRow * 1000, 1), fixed(Double(ours.peakKiB) / 1024, 1), fixed(Double(shell.peakKiB) / 1024, 1)],
                   widths: Self.widths)
    }
}
