#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Tracker
import Training
import Wording

extension RunFilter.SortKey: ExpressibleByArgument {}
extension RunStatus: ExpressibleByArgument {}

extension Gradlog {
    /// `gradlog runs`: one line per run.
    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the runs in the database by id (the order they were added), optionally filtered and sorted.",
            discussion: "Columns: id, name, status, dataset, lr, epochs (planned), steps (the last step "
                + "committed), epoch (the latest), latest_loss and steps_per_s (while a run is running: its "
                + "last step's loss, and step numbers per second since it started), final_loss, started_at, user (who "
                + "ran it, runs.run_by: --user, else USER, else LOGNAME; empty for runs logged before gradlog recorded it); with --json and --jsonl "
                + "also fingerprint (the SHA-256 of the run's configuration, samples and rows; docs/database.md). "
                + "Filters combine."
                + example("gradlog runs --since -7d --status finished --sort final_loss"))

        @OptionGroup var source: SourceOptions
        var database: DatabaseOptions { source.database }

        @Option(help: ArgumentHelp(
            "Only runs with this status: \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "status"))
        var status: RunStatus?

        @Option(help: ArgumentHelp("Only runs whose name contains this text, or matches it as a glob (with * ? [).",
                                   valueName: "text"))
        var name: String?

        @Option(help: ArgumentHelp("Only runs with this tag; repeat to require several.", valueName: "key=value"))
        var tag: [Tag] = []

        @Option(help: ArgumentHelp("Only runs on this dataset (a built-in name or the path as given).", valueName: "name"))
        var dataset: String?

        @Option(parsing: .unconditional, help: ArgumentHelp(  // so that `--since -2h` is a value, not an option
            "Only runs started at or after this time.",
            discussion: "An ISO 8601 date or date-time, UTC unless it ends in Z or an offset such as +02:00, "
                + "or today, yesterday, -30m, -2h, -7d. For example: \(TimeSpec.forms).",
            valueName: "time"))
        var since: String?

        @Option(help: "At most this many runs.")
        var limit: Int?

        @Option(help: ArgumentHelp(
            "Sort by: \(RunFilter.SortKey.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "column"))
        var sort: RunFilter.SortKey = .id

        @Flag(help: "Sort largest first.")
        var desc = false

        @OptionGroup var output: OutputOptions

        /// `--since` as the UTC timestamp `started_at` is compared with.
        private func sinceTimestamp() throws -> String? {
            guard let since else { return nil }
            guard let timestamp = TimeSpec.utcTimestamp(since, now: Timestamp.epochSeconds()) else {
                throw ValidationError("--since \(MessageText.quoted(since)) is not a time: expected one of \(TimeSpec.forms)")
            }
            return timestamp
        }

        @Option(help: ArgumentHelp(
            "Add a column with the latest value of this metric (logged with gradlog log or GradlogKit); repeat for more.",
            valueName: "name"))
        var metric: [String] = []

        @Flag(help: "Redraw the list every --interval seconds, until Ctrl-C, to follow runs as they train.")
        var watch = false

        @Option(parsing: .unconditional, help: ArgumentHelp("Seconds between redraws with --watch.", valueName: "seconds"))
        var interval = 1.0

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit \(limit) is not allowed: expected at least 1") }
            if !(interval >= 0.1 && interval <= 86_400) {
                throw ValidationError("--interval \(interval) is not allowed: expected seconds from 0.1 to 86400")
            }
            if watch && (output.format != .table || output.output != nil) {
                throw ValidationError("--watch redraws a table on the terminal: it takes no other format and no --output")
            }
            _ = try sinceTimestamp()
            for name in metric {
                guard ParameterName.isSafe(name), !(RunCatalog.listColumns + [RunCatalog.fingerprintColumn]).contains(name), metric.filter({ $0 == name }).count == 1 else {
                    throw ValidationError("--metric \(MessageText.quoted(name)) is not allowed: a metric's name, given once, "
                        + "and not one of the list's columns (\(RunCatalog.listColumns.joined(separator: ", ")))")
                }
            }
        }

        func run() throws {
            var filter = RunFilter()
            filter.status = status?.rawValue
            filter.name = name
            filter.tags = tag.map { ($0.key, $0.value) }
            filter.dataset = dataset
            filter.since = try sinceTimestamp()
            filter.limit = limit
            filter.sort = sort
            filter.descending = desc
            if watch { return try follow(filter) }
            let rows = try RowOutput(options: output, database: database)
            // The machine formats carry each run's fingerprint; a table has no room for 64 hex digits.
            let fingerprint = output.format == .json || output.format == .jsonl
            let table = try RunCatalog(store: try source.open()).list(filter, metrics: metric, fingerprint: fingerprint)
            try rows.write(table)
            if table.rows.isEmpty && output.format == .table && output.output == nil {
                CommandContext.current.console.err("No runs match; start one with `\(Hint.command("run"))`.\n")
            }
        }

        /// Redraws the list until interrupted (or `maxRefreshes`): the file is opened anew each
        /// time, so runs that started, ended or died since are shown as they are now.
        private func follow(_ filter: RunFilter) throws {
            let context = CommandContext.current
            var round = 0
            while context.maxRefreshes.map({ round < $0 }) ?? true {
                if round > 0 { usleep(UInt32(interval * 1_000_000)) }
                round += 1
                let table = try RunCatalog(store: try source.open()).list(filter, metrics: metric)
                // Home and clear on a terminal, as watch(1) does; elsewhere one snapshot after another.
                let clear = context.console.outputIsTerminal ? "\u{1B}[H\u{1B}[2J" : (round > 1 ? "\n" : "")
                context.console.out(clear + "Every \(interval) s: gradlog runs, \(Timestamp.now()) (Ctrl-C stops)\n\n")
                try RowOutput(options: output, database: database).write(table)
            }
        }
    }
}
