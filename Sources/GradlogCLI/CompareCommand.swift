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
                --tag adds the runs with a tag (a sweep's sweep=ID). --epochs and --every thin the epoch rows \
                of long runs: --every N shows epochs 1, 1+N, 1+2N, … (counted from the start of --epochs) and \
                each run's first and last epoch, for every run that has them. With --group-by: columns field, \
                epoch, group, n, not_finite, mean, sd, min, max; for each epoch column and metric, each epoch \
                and each group, the figures of the group's runs that reached that epoch (n of them finite; sd \
                is the sample standard deviation, empty for one run).
                """ + example("gradlog compare 3 latest --column accuracy --markdown",
                              "gradlog compare --tag sweep=grid --every 100", "gradlog compare 3 4 --epochs 900..1000",
                              "gradlog compare --tag sweep=grid --group-by lr --csv"))

        @OptionGroup var source: SourceOptions
        var database: DatabaseOptions { source.database }

        @Argument(help: ArgumentHelp("Two or more runs, each \(runForms).", valueName: "run"))
        var runs: [String] = []

        @Option(help: ArgumentHelp("Also every run with this tag (e.g. sweep=3f2a9c1e); repeat to require several.",
                                   valueName: "key=value"))
        var tag: [Tag] = []

        @Option(help: ArgumentHelp(
            "Show every Nth epoch (1, 1+N, 1+2N, …) and each run's first and last, instead of every epoch.", valueName: "n"))
        var every: Int64?

        @Option(help: ArgumentHelp("Show only the epochs from A through B (A.. or ..B leaves that end open).", valueName: "A..B"))
        var epochs: EpochWindow?

        @Option(help: ArgumentHelp(
            "Another per-epoch column to show; repeat for more: \(RunComparer.epochColumns.joined(separator: ", ")).",
            valueName: "column"))
        var column: [String] = []

        @OptionGroup var grouping: GroupByOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard runs.count >= 2 || !tag.isEmpty else { throw ValidationError("give at least two runs to compare, or --tag key=value") }
            if let every, every < 1 { throw ValidationError("--every \(every): give a whole number of epochs, at least 1") }
            if let epochs {
                if let from = epochs.from, from < 1 { throw ValidationError("--epochs \(from)..: epochs are numbered from 1") }
                if let from = epochs.from, let through = epochs.through, through < from {
                    throw ValidationError("--epochs \(from)..\(through) ends before it starts")
                }
            }
            for name in column where !RunComparer.epochColumns.contains(name) {
                throw ValidationError("--column \(name) is not an epoch column; choose from "
                    + RunComparer.epochColumns.joined(separator: ", "))
            }
        }

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let store = try source.open()
            let catalog = RunCatalog(store: store)
            let ids = try TaggedRuns.resolve(runs, tags: tag, catalog: catalog)
            try store.load(ids)
            if ids.count < 2 {
                throw ValidationError("compare needs at least two runs; the runs given and tagged are only run "
                    + ids.map(String.init).joined())
            }
            var columns = ["mean_loss"]
            for name in column where !columns.contains(name) { columns.append(name) }
            let comparer = RunComparer(store: store)
            let selection = EpochSelection(from: epochs?.from, through: epochs?.through, every: every ?? 1)
            if let groups = try grouping.groups(of: ids, in: store) {
                guard selection == .all else {
                    throw ValidationError("--epochs and --every do not thin --group-by's table yet; leave them out")
                }
                try rows.stream { begin, row in try comparer.compare(groups, columns: columns, begin: begin, row: row) }
                return
            }
            try rows.stream { begin, row in
                try comparer.compare(ids, columns: columns, epochs: selection, begin: begin, row: row)
            }
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

        @OptionGroup var source: SourceOptions
        var database: DatabaseOptions { source.database }

        @Argument(help: ArgumentHelp("The first run: \(runForms).", valueName: "run-a"))
        var runA: String

        @Argument(help: ArgumentHelp("The second run: \(runForms).", valueName: "run-b"))
        var runB: String

        @OptionGroup var output: OutputOptions

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let store = try source.open()
            let catalog = RunCatalog(store: store)
            let (a, b) = (try catalog.resolve(runA), try catalog.resolve(runB))
            try store.load([a, b])
            let table = try RunComparer(store: store).diff(a, b)
            try rows.write(table)
        }
    }
}
