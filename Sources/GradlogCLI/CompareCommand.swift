import ArgumentParser
import Tracker

extension Gradlog {
    /// `gradlog compare`: several runs side by side.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show runs side by side: differing configuration, per-epoch mean loss, outcome.",
            discussion: """
                Columns: field, epoch, then one per run. Rows: first each configuration field that differs \
                between the runs (and each differing initial parameter), then per epoch each run's mean_loss \
                (add more epoch columns with --column), then each run's status, steps, final loss, final \
                parameters, accuracy and worst gradient-check errors. Runs with fewer epochs have empty cells. \
                With --group-by: columns field, epoch, group, n, not_finite, mean, sd, min, max; for each \
                epoch column and metric, each epoch and each group, the figures of the group's runs that \
                reached that epoch (n of them finite; sd is the sample standard deviation, empty for one run).
                """ + example("gradlog compare 3 latest --column accuracy --markdown", "gradlog compare 4 5 6 7 --group-by lr --csv"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("Two or more runs, each \(runForms).", valueName: "run"))
        var runs: [String]

        @Option(help: ArgumentHelp(
            "Another per-epoch column to show; repeat for more: \(RunComparer.epochColumns.joined(separator: ", ")).",
            valueName: "column"))
        var column: [String] = []

        @OptionGroup var grouping: GroupByOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard runs.count >= 2 else { throw ValidationError("give at least two runs to compare") }
            for name in column where !RunComparer.epochColumns.contains(name) {
                throw ValidationError("--column \(name) is not an epoch column; choose from "
                    + RunComparer.epochColumns.joined(separator: ", "))
            }
        }

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let store = try database.openForReading()
            let catalog = RunCatalog(store: store)
            let ids = try catalog.resolve(runs)
            var columns = ["mean_loss"]
            for name in column where !columns.contains(name) { columns.append(name) }
            let comparer = RunComparer(store: store)
            if let groups = try grouping.groups(of: ids, in: store) {
                try rows.stream { begin, row in try comparer.compare(groups, columns: columns, begin: begin, row: row) }
                return
            }
            try rows.stream { begin, row in try comparer.compare(ids, columns: columns, begin: begin, row: row) }
        }
    }

    /// `gradlog diff`: how two runs differ.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how two runs differ: configuration, first differing value, and drift.",
            discussion: """
                Columns: what, name, a, b, difference. Rows: each configuration field that differs; the step \
                counts when they differ; the first logged value that differs, by bit pattern (step, column); \
                then for every logged column (loss, and each parameter's value, analytic, numeric, passed) \
                its values at the last common step and the largest absolute difference over the common steps.
                """ + example("gradlog diff 3 4"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The first run: \(runForms).", valueName: "run-a"))
        var runA: String

        @Argument(help: ArgumentHelp("The second run: \(runForms).", valueName: "run-b"))
        var runB: String

        @OptionGroup var output: OutputOptions

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let store = try database.openForReading()
            let catalog = RunCatalog(store: store)
            let table = try RunComparer(store: store).diff(try catalog.resolve(runA), try catalog.resolve(runB))
            try rows.write(table)
        }
    }
}
