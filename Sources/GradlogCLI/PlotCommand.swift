import ArgumentParser
import HTMLPages
import Charts
import Tracker
import Output
import Training
import Wording

extension Gradlog {
    /// `gradlog plot RUN [RUN...]`: one SVG chart of one or more runs.
    struct Plot: ParsableCommand {
        /// What the chart shows: one of gradlog's four charts, or a metric logged with the steps.
        /// The charts `--chart` names (HTMLPages' `ChartKind`).
        typealias Kind = ChartKind

        static let configuration = CommandConfiguration(
            abstract: "Draw a chart of one or more runs as SVG.",
            discussion: """
                loss (default): the mean loss of each epoch (with --steps, each step's loss). accuracy: \
                each epoch's accuracy. params: each parameter at the end of each epoch (with --steps, \
                before each step). gradcheck: each parameter's relative gradient-check error at each \
                checked step, on a log scale, with the run's rtol as a dashed line. Several runs are \
                overlaid with a legend. Long runs are reduced to the chart's width keeping each pixel \
                column's lowest and highest value, so every spike is drawn; NaN and infinite values are \
                marked with triangles and counted in the legend. Any other name draws that metric of \
                the runs (logged with `gradlog log` or GradlogKit): its last value in each epoch, or \
                with --steps every logged value. A network's params and gradcheck draw each layer's median \
                in the band of its lowest and highest value. Unnamed runs that differ in a few settings \
                are named by them (lr=0.1 seed=2). --group-by draws each group's mean in a band of one \
                standard deviation either side. The same runs give the same bytes.
                """ + example("gradlog plot latest --output loss.svg", "gradlog plot 3 5 --chart accuracy --output accuracy.svg",
                              "gradlog plot 2 --chart gradcheck --output check.svg",
                              "gradlog plot 4 5 --chart val_loss --log-y --output val_loss.svg",
                              "gradlog plot --tag sweep=grid --group-by lr --output seeds.svg",
                              "gradlog plot 7 --log-x --from 100 --output tail.svg"))

        @OptionGroup var source: SourceOptions
        var database: DatabaseOptions { source.database }

        @Argument(help: ArgumentHelp("One or more runs: \(runForms).", valueName: "run"))
        var runReferences: [String] = []

        @Option(help: ArgumentHelp("Also every run with this tag (e.g. sweep=3f2a9c1e); repeat to require several.",
                                   valueName: "key=value"))
        var tag: [Tag] = []

        @Option(help: ArgumentHelp("What to draw: loss, accuracy, params, gradcheck or a metric's name.", valueName: "chart"))
        var chart: Kind = .loss

        @Flag(help: "Per step instead of per epoch (loss, params and metrics; gradcheck is always per step).")
        var steps = false

        @Flag(help: "A logarithmic y axis (gradcheck always has one); values that are not positive are left out.")
        var logY = false

        @Flag(help: "A logarithmic x axis, for a long run whose changes all happen in its first epochs.")
        var logX = false

        @Option(help: ArgumentHelp("Draw from this epoch on (a step with --steps, and for gradcheck).", valueName: "n"))
        var from: Int64?

        @Option(help: ArgumentHelp("Draw up to this epoch (a step with --steps, and for gradcheck).", valueName: "n"))
        var to: Int64?

        @OptionGroup var grouping: GroupByOptions

        @Option(help: ArgumentHelp(
            "Write the SVG to this file (- for standard output).",
            discussion: "The file is replaced only once the whole chart was written. Without --output the SVG goes to standard "
                + "output, or, when that is a terminal, to a new file named after the runs and the chart (run-3-loss.svg).",
            valueName: "file.svg"),
            completion: .file(extensions: ["svg"]))
        var output: String?

        func validate() throws {
            if runReferences.isEmpty && tag.isEmpty { throw ValidationError("give at least one run, or --tag key=value") }
            if steps && chart == .accuracy { throw ValidationError("accuracy is measured per epoch: leave out --steps") }
            for (name, value) in [("--from", from), ("--to", to)] {
                if let value, value < 1 { throw ValidationError("\(name) \(value): steps and epochs are numbered from 1") }
            }
            if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
            if !grouping.settings.isEmpty && (chart == .params || chart == .gradcheck) {
                throw ValidationError("--group-by averages loss, accuracy or a metric, not \(chart.name)")
            }
        }

        func run() throws {
            let store = try source.open()
            let catalog = RunCatalog(store: store)
            let ids = try TaggedRuns.resolve(runReferences, tags: tag, catalog: catalog)
            try store.loadOnDemand(ids)
            let context = CommandContext.current
            let file = try DocumentFile(
                requested: output, base: DocumentFile.runsName(ids) + "-" + DocumentFile.safeName(chart.name) + (steps ? "-steps" : ""),
                ext: ".svg", console: context.console, directory: context.documentDirectory)
            let target = try OutputTarget(path: file.path, console: context.console, protecting: [database.resolvedPath])
            if case .metric(let name) = chart {
                let known = try ids.flatMap { id throws(TrackerError) in try catalog.metricNames(of: id) }
                guard known.contains(name) else {
                    let listed = Array(Set(known)).sorted().map { MessageText.shown($0, limit: 40) }.joined(separator: ", ")
                    throw ValidationError("--chart \(MessageText.quoted(name)) is not loss, accuracy, params or gradcheck, and no run "
                        + "given has a metric of that name" + (listed.isEmpty ? " (they have none)" : "; their metrics: \(listed)"))
                }
            }
            var builder = ChartBuilder(store: store, kind: chart, perStep: steps || chart == .gradcheck,
                                       logY: logY || chart == .gradcheck)
            (builder.logX, builder.window) = (logX, (from, to))
            builder.groups = try grouping.groups(of: ids, in: store)
            target.write(try builder.chart(of: ids).svg())
            try target.commit()
            if let line = file.announcement { context.console.err(line) }
        }
    }
}

/// `--chart`'s values: gradlog's own charts, or any metric's name.
extension ChartKind: ExpressibleByArgument {
    public static var allValueStrings: [String] { builtIn.map(\.name) }
    public var defaultValueDescription: String { name }
}
