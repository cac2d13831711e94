import ArgumentParser
import Tracker

extension RunFilter.SortKey: ExpressibleByArgument {}
extension RunStatus: ExpressibleByArgument {}

extension Gradlog {
    /// `gradlog runs`: one line per run.
    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the runs in the database, oldest first, optionally filtered and sorted.",
            discussion: "Columns: id, name, status, dataset, lr, epochs, final_loss, started_at. Filters combine.")

        @OptionGroup var database: DatabaseOptions

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

        @Option(help: ArgumentHelp("Only runs started at or after this UTC time, e.g. 2026-11-29 or 2026-11-29T10:00.",
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

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit \(limit) is not allowed: expected at least 1") }
            if let since, !since.isEmpty, !since.first!.isNumber {
                throw ValidationError("--since \(since) is not a time: expected e.g. 2026-11-29 or 2026-11-29T10:00")
            }
        }

        func run() throws {
            var filter = RunFilter()
            filter.status = status?.rawValue
            filter.name = name
            filter.tags = tag.map { ($0.key, $0.value) }
            filter.dataset = dataset
            filter.since = since
            filter.limit = limit
            filter.sort = sort
            filter.descending = desc
            let rows = try RowOutput(options: output, database: database)
            let table = try RunCatalog(store: try database.openForReading()).list(filter)
            try rows.write(table)
            if table.rows.isEmpty && output.format == .table && output.output == nil {
                CommandContext.current.console.err("No runs match; start one with `gradlog run`.\n")
            }
        }
    }
}
