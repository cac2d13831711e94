#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Tracker
import SQLiteDB
import Training
import Wording
import Output

extension Gradlog {
    /// `gradlog sweep`: a grid of `gradlog run` options, run as parallel workers into one database.
    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every combination of lists of gradlog run's options, as parallel workers into one database.",
            discussion: """
                gradlog sweep [--jobs N] [--id ID] [--print-commands] [--resume SWEEP] RUN-OPTIONS... runs one \
                trial per combination (the start subcommand, which need not be named; its full help: gradlog \
                sweep start --help); gradlog sweep show SWEEP shows a sweep's trials again.

                Options of a sweep besides gradlog run's (lists a,b,c, ranges a..b, or repeated options):
                  --jobs N          how many trials run at once (default: the number of cores)
                  --id ID           the new sweep's id (default: 8 random hex digits)
                  --resume SWEEP    continue that sweep: run only its trials that did not finish
                  --print-commands  print one gradlog run command per trial instead of running them
                  --sort COLUMN     sort the table of trials by a column (--desc: largest first)
                  --db PATH, --csv, --json, ..., --output FILE  as every command takes them
                """ + example(
                    "gradlog sweep --id grid --dataset and --lr 0.01,0.1,1 --seed 1..3",
                    "gradlog sweep show grid --sort final_loss"),
            subcommands: [Start.self, Show.self],
            defaultSubcommand: Start.self)
    }
}

extension Gradlog.Sweep {
    /// Runs (or prints) a sweep's trials and shows one row per trial.
    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Run every combination of lists of gradlog run's options (the default of gradlog sweep).",
            discussion: """
                Any option of gradlog run that takes a value can be swept: list values with commas (--lr 0.01,0.1,1), \
                give integer ranges as a..b (--seed 1..5), or repeat the option (--hidden 4 --hidden 4,2, for options \
                whose one value holds commas). An option with one value, --name and each --tag go to every trial. \
                The trials are the cartesian product, numbered from 1 with the first option varying slowest; each \
                is checked before any starts, then run as an ordinary run by one of --jobs worker processes into \
                the same database, tagged sweep=ID, trial=K, sweep.grid (the options) and sweep.OPTION=VALUE. A \
                line on standard error tells as each trial ends; the table of trials follows (as gradlog sweep \
                show prints it). Its run ids work with compare, plot and push (--tag sweep=ID).

                Ctrl-C stops cleanly: running trials end interrupted, pending ones do not start. The same command \
                with --resume ID runs only the trials that did not finish (a diverged trial counts as finished: \
                that is its result). Exit code 0 when every trial finished or diverged, 1 when one failed, 130 (143, \
                129) when stopped.

                --print-commands prints one gradlog run command per trial instead (with the same tags), for GNU \
                parallel, a Slurm job array or any other scheduler; gradlog sweep show reads their runs the same way.
                """ + example(
                    "gradlog sweep --id grid --dataset and --lr 0.01,0.1,1 --batch-size 1,4",
                    "gradlog sweep --dataset and --lr 0.01,0.1,1 --batch-size 1,4 --resume grid",
                    "gradlog sweep --dataset xor --hidden 4 --lr 0.5,2 --print-commands | parallel"))

        @OptionGroup var database: DatabaseOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("How many trials run at once (default: the number of cores).", valueName: "n"))
        var jobs: Int?

        @Flag(help: "Print one gradlog run command per trial instead of running them.")
        var printCommands = false

        @Option(help: ArgumentHelp("Continue the sweep with this id: run only its trials that did not finish.",
                                   valueName: "sweep"))
        var resume: String?

        @Option(help: ArgumentHelp("The new sweep's id: letters, digits, - and _ (default: 8 random hex digits).",
                                   valueName: "id"))
        var id: String?

        @OptionGroup var order: SweepOrderOptions

        @OptionGroup var output: OutputOptions

        @Argument(parsing: .allUnrecognized, help: ArgumentHelp(
            "gradlog run's options, with lists (a,b,c), integer ranges (a..b) or repeated options to sweep.",
            valueName: "run-options"))
        var runOptions: [String] = []

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): give at least 1 worker") }
            if runOptions.isEmpty { throw ValidationError("Give gradlog run's options to sweep, e.g. --lr 0.01,0.1,1.") }
            if let id, let resume, id != resume {
                throw ValidationError("Give --id for a new sweep or --resume for an old one, not both.")
            }
            if let id, id.isEmpty || id.count > 64 || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                throw ValidationError("--id \(id): use 1 to 64 letters, digits, - and _")
            }
        }

        func run() throws {
            let grid: SweepGrid
            do {
                grid = try SweepGrid(arguments: runOptions)
            } catch {
                throw CLIError.badSweep(error.description)
            }
            try order.check(columns: SweepCatalog.columns(sweptOptions: grid.axes.map(\.option)))
            try checkEveryTrial(of: grid)
            let sweep = resume ?? id ?? Self.newSweepID()
            let trials = try trialsToRun(of: grid, sweep: sweep)
            // An absolute path, so that printed commands work from any directory a scheduler uses.
            let path = database.resolvedPath.hasPrefix("/") ? database.resolvedPath
                : Provenance.currentDirectory() + "/" + database.resolvedPath
            let commands = trials.map { ($0, ["run", "--db", path] + trialArguments($0, of: grid, sweep: sweep)) }
            let console = CommandContext.current.console
            if printCommands {
                let program = Self.programName()
                for (_, arguments) in commands {
                    console.out(([program] + Self.absoluteFiles(arguments)).map(ShellWord.quoted).joined(separator: " ") + "\n")
                }
                return
            }
            let rows = try RowOutput(options: output, database: database)
            _ = try database.openForWriting()  // created and migrated once, before the workers start
            let report = try runWorkers(commands, grid: grid, sweep: sweep)
            let table = try order.sorted(try SweepCatalog(store: try database.openForReading()).trials(of: sweep))
            try rows.write(table)
            let failed = report.outcomes.values.filter { if case .failed = $0 { true } else { false } }.count
            console.err(Self.summary(sweep: sweep, report: report, table: table))
            if failed > 0 || report.signal != nil { throw CLIError.sweepIncomplete(sweep: sweep, failed: failed, signal: report.signal) }
        }

        /// The arguments with the files of --dataset and --init made absolute, as --db is, so that a
        /// printed command works from whatever directory a scheduler runs it in.
        static func absoluteFiles(_ arguments: [String]) -> [String] {
            let directory = Provenance.currentDirectory()
            func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : directory + "/" + path }
            var result: [String] = []
            for argument in arguments {
                if let option = result.last, option == "--dataset" || option == "--init",
                   option == "--init" || !Dataset.builtIns.contains(where: { $0.name == argument }) {
                    result.append(absolute(argument))
                } else if let value = ["--dataset=", "--init="].first(where: argument.hasPrefix),
                          value == "--init=" || !Dataset.builtIns.contains(where: { $0.name == argument.dropFirst(value.count) }) {
                    result.append(value + absolute(String(argument.dropFirst(value.count))))
                } else {
                    result.append(argument)
                }
            }
            return result
        }

        /// Runs the trials' commands as worker processes, telling on standard error as each one ends.
        private func runWorkers(_ commands: [(Int, [String])], grid: SweepGrid, sweep: String) throws -> SweepRunner.Report {
            let console = CommandContext.current.console
            let workers = min(jobs ?? Self.cores, max(commands.count, 1))
            console.err("Sweep \(sweep): \(commands.count) of \(grid.trialCount) trials, \(workers) at a time, "
                        + "into \(database.resolvedPath).\n")
            StopSignal.install()
            defer { StopSignal.uninstall() }
            let byTrial = Dictionary(uniqueKeysWithValues: commands)
            let runner = SweepRunner(
                executable: try Self.executable(), arguments: { byTrial[$0] ?? [] }, jobs: workers,
                ended: { trial, outcome, done in
                    console.err("[\(done)/\(commands.count)] trial \(trial) \(Self.describe(outcome)): "
                                + Self.describe(grid, trial: trial) + "\n")
                })
            return try runner.run(commands.map(\.0))
        }

        /// Parses and checks every trial's options (dataset, values, sizes) before the first one starts.
        private func checkEveryTrial(of grid: SweepGrid) throws {
            for trial in 1...grid.trialCount {
                let arguments = grid.arguments(ofTrial: trial)
                do {
                    _ = try Gradlog.Run.parse(arguments).validatedRequest()
                } catch {
                    let message = (error as? TrackerError)?.message ?? Gradlog.Run.message(for: error)
                    throw CLIError.badSweep("trial \(trial) (\(Self.describe(grid, trial: trial))): \(message)")
                }
            }
        }

        /// Every trial, or with --resume the ones whose run did not finish (after checking the grid is the same).
        private func trialsToRun(of grid: SweepGrid, sweep: String) throws -> [Int] {
            let all = Array(1...grid.trialCount)
            guard let resume else {
                // A missing or unreadable file has no such sweep; opening it for writing later says why.
                if (try? SweepCatalog(store: try database.openForReading()).grid(of: sweep)) != nil {
                    throw CLIError.badSweep("sweep \(sweep) already has runs in this database; --resume \(sweep) continues it")
                }
                return all
            }
            let catalog = SweepCatalog(store: try database.openForReading())
            let stored = try catalog.grid(of: resume)
            guard stored == grid.fingerprint else { throw TrackerError.sweepGridDiffers(sweep: resume) }
            let settled = try catalog.settledTrials(of: sweep)
            return all.filter { !settled.contains($0) }
        }

        private func trialArguments(_ trial: Int, of grid: SweepGrid, sweep: String) -> [String] {
            let values = zip(grid.axes, grid.values(ofTrial: trial)).flatMap { axis, value in
                ["--tag", "\(SweepCatalog.valueTagPrefix)\(axis.option)=\(value)"]
            }
            return grid.arguments(ofTrial: trial) + ["--tag", "sweep=\(sweep)", "--tag", "trial=\(trial)",
                                                     "--tag", "\(SweepCatalog.gridTag)=\(grid.fingerprint)",
                                                     "--tag", "\(SweepCatalog.trialCountTag)=\(grid.trialCount)"]
                + values + ["--quiet"]
        }

        static func describe(_ grid: SweepGrid, trial: Int) -> String {
            let values = zip(grid.axes, grid.values(ofTrial: trial)).map { "--\($0.option) \($1)" }
            return values.isEmpty ? "no swept option" : values.joined(separator: " ")
        }

        static func describe(_ outcome: SweepRunner.Outcome) -> String {
            switch outcome {
            case .finished: "finished"
            case .diverged: "diverged"
            case .interrupted: "interrupted"
            case .failed(let why): "failed (\(why))"
            }
        }

        static func summary(sweep: String, report: SweepRunner.Report, table: Table) -> String {
            let outcomes = Array(report.outcomes.values)
            let counts = [("finished", SweepRunner.Outcome.finished), ("diverged", .diverged), ("interrupted", .interrupted)]
                .map { name, outcome in "\(outcomes.filter { $0 == outcome }.count) \(name)" }
            let failed = outcomes.filter { if case .failed = $0 { true } else { false } }.count
            var text = "Sweep \(sweep): \((counts + ["\(failed) failed"]).joined(separator: ", ")) this time. "
                + "Its runs have the tag sweep=\(sweep) (\(Hint.command("runs --tag sweep=\(sweep)")); \(Hint.command("push STORE --tag sweep=\(sweep)")))"
            if let loss = table.columns.firstIndex(of: "final_loss") {
                let finished = table.rows.filter {
                    $0[loss].doubleValue != nil && table.value("status", in: $0) == .text(RunStatus.finished.rawValue)
                }
                let best = finished.sorted { ($0[loss].doubleValue ?? 0) < ($1[loss].doubleValue ?? 0) }.prefix(2)
                    .compactMap { table.value("run", in: $0)?.int64Value }
                if best.count == 2 { text += "; the two lowest final losses: \(Hint.command("compare \(best[0]) \(best[1])"))" }
            }
            return text + ".\n"
        }

        /// A new sweep id: eight hex digits of a random uuid.
        static func newSweepID() -> String { String(RandomUUID.make().prefix(8)) }

        static var cores: Int { max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1) }

        /// The gradlog binary the workers run: this process's own.
        static func executable() throws -> String {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            guard length > 0 else { throw CLIError.cannotStartWorker(executable: "/proc/self/exe", errno: errno) }
            return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }

        /// How printed commands name gradlog: as it was typed when found on PATH, else by its full path.
        static func programName() -> String {
            let typed = CommandContext.current.commandLine.first ?? "gradlog"
            return typed.contains("/") ? ((try? executable()) ?? typed) : typed
        }
    }

    /// Shows a sweep's trials again.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a sweep's trials: one row per trial with its swept values and how its run ended.",
            discussion: """
                Columns: trial, run, status, each swept option (alphabetically, - written _), epoch_count, \
                final_loss, final_accuracy, gradient_check. A trial run more than once shows its latest run (by \
                start time); a trial with no run in this file shows as not run.
                """ + example("gradlog sweep show and-grid --sort final_loss", "gradlog sweep show and-grid --csv > trials.csv"))

        @OptionGroup var source: SourceOptions
        var database: DatabaseOptions { source.database }

        @Argument(help: ArgumentHelp("The sweep's id (its runs' tag sweep=ID).", valueName: "sweep"))
        var sweep: String

        @OptionGroup var order: SweepOrderOptions

        @OptionGroup var output: OutputOptions

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let table = try SweepCatalog(store: try source.open()).trials(of: sweep)
            try rows.write(try order.sorted(table))
        }
    }
}

/// `--sort COLUMN` and `--desc` for the table of a sweep's trials.
struct SweepOrderOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sort the trials by this column (e.g. final_loss, lr); NULLs first.", valueName: "column"))
    var sort: String?

    @Flag(help: "Sort largest first.")
    var desc = false

    /// Refuses a --sort column the table will not have, and --desc without --sort, before a sweep starts.
    func check(columns: [String]) throws {
        if desc && sort == nil { throw CLIError.badSweep("--desc sorts largest first: give the column with --sort") }
        if let sort, !columns.contains(sort) {
            throw CLIError.badSweep("--sort \(sort): the columns are \(columns.joined(separator: ", "))")
        }
    }

    /// The table sorted by the column (numbers by value, then text), ties kept in trial order.
    func sorted(_ table: Table) throws -> Table {
        try check(columns: table.columns)
        guard let sort, let column = table.columns.firstIndex(of: sort) else { return table }
        var sorted = table
        sorted.rows = SQLiteOrder.sorted(table.rows, by: column, descending: desc)
        return sorted
    }
}
