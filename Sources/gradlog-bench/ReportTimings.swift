#if canImport(Glibc)
import Glibc
#endif
import Tracker

/// Times `gradlog report` against the sqlite3 shell running the same query on the same file.
enum ReportTimings {
    static func print(database: String, executable: String, repeats: Int) throws {
        let catalog = RunCatalog(store: try Store(path: database))
        let runID = try catalog.resolve("latest")
        let steps = try catalog.query("SELECT step_count FROM runs WHERE id = ?", [.integer(runID)]).rows[0][0]
        Swift.print("\nreports of the lesson run with \(rate(steps.doubleValue ?? 0)) steps (wall time incl. process start):")
        Swift.print(ReportRow.header)
        for (label, kind, flags) in [("per-epoch", ReportTemplate.Kind.epochs, [String]()),
                                     ("--steps", .steps, ["--steps"])] {
            let sqlFile = database + "-\(label).sql"
            try write(catalog.reportSQL(kind, of: runID), to: sqlFile)
            let ours = ChildProcess.best(
                of: repeats, [executable, "report", "\(runID)", "--db", database, "--csv"] + flags)
            let shell = ChildProcess.best(of: repeats, ["sqlite3", "-csv", "-header", database], input: sqlFile)
            unlink(sqlFile)
            Swift.print(ReportRow(label: label, ours: ours, shell: shell).text)
        }
    }

    private static func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw TrackerError.unreadableFile(path: path, reason: "cannot write") }
        fputs(text, file)
        fclose(file)
    }
}

/// One printed line of the report timings.
struct ReportRow {
    let label: String
    let ours: ChildProcess.Cost
    let shell: ChildProcess.Cost

    static let header = Row.padded(["report --csv", "gradlog s", "sqlite3 -csv s", "ratio", "gradlog MiB", "sqlite3 MiB"],
                                   widths: [14, 10, 15, 7, 12, 12])

    var text: String {
        Row.padded([label, fixed(ours.seconds, 2), fixed(shell.seconds, 2), fixed(ours.seconds / shell.seconds, 2) + "x",
                    fixed(Double(ours.peakKiB) / 1024, 1), fixed(Double(shell.peakKiB) / 1024, 1)],
                   widths: [14, 10, 15, 7, 12, 12])
    }
}
