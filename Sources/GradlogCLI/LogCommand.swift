import ArgumentParser
import Tracker
import Training
import JSONLines

extension Gradlog {
    /// `gradlog log`: logs the steps of someone else's training code, read as JSON Lines.
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log the steps of your own training code, read as JSON Lines from standard input.",
            discussion: """
                One JSON object per line, one line per step: {"step": 1, "epoch": 1, "loss": 0.69, \
                "params": {"w": 0.5, "b": -1}, "analytic": {"w": -0.54, "b": -0.27}, "numeric": {...}, \
                "metrics": {"val_loss": 0.7}, "batch_size": 32} (the step contract, version 3). A step \
                needs "step" (a positive integer above the previous step's: 10, 20, 30 is fine) and a \
                "loss", "metrics" or "params"; "epoch" (never below the previous step's) defaults to the \
                step; null (or NaN, Infinity, -Infinity) is a number that is not finite. A step gives any \
                of the run's parameters or none; a name no earlier step gave becomes a new parameter (its \
                first value finite), and gradients come only beside the values of the same parameters. Where a step gives both gradients they are checked as `gradlog run` checks its own. An \
                optional first line {"config": {...}} records the configuration; an optional last line \
                {"end": "finished"} (or "failed" with "error", "interrupted", "diverged"; with "params", \
                the final values) ends the run. Without it the run ends `interrupted` and gradlog log \
                exits 1; a bad line ends it `failed`, keeping every step before it. Steps are committed \
                at least every half second, so `gradlog runs` and `report` can follow the run. On a \
                terminal, a progress line on standard error shows the last step, its epoch, steps/s, \
                the loss and the worst relative error (--quiet: none).
                """ + example("python3 -u train.py | gradlog log --name mine --tag model=mlp"))

        @OptionGroup var database: DatabaseOptions

        @Option(help: "A name for the run.")
        var name = ""

        @Option(help: ArgumentHelp(
            "Who ran the run, stored in runs.run_by.",
            discussion: "By default the environment's USER, else LOGNAME, else the system's name of your user id.",
            valueName: "name"))
        var user: String?

        @Option(help: ArgumentHelp("A key=value label for the run; repeat for more.", valueName: "key=value"))
        var tag: [Tag] = []

        @Option(parsing: .unconditional, help: "The absolute tolerance of the gradient check (as in PyTorch's gradcheck).",
                transform: decimal)
        var atol = GradientCheck.defaultTolerance.atol

        @Option(parsing: .unconditional, help: "The relative tolerance of the gradient check (as in PyTorch's gradcheck).",
                transform: decimal)
        var rtol = GradientCheck.defaultTolerance.rtol

        @Flag(help: "Show no progress line (one is shown only when standard error is a terminal).")
        var quiet = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            for (flag, value) in [("--atol", atol), ("--rtol", rtol)] where !(value.isFinite && value >= 0) {
                throw ValidationError("\(flag) \(value): give a finite number of at least 0")
            }
        }

        func run() throws {
            let context = CommandContext.current
            let rows = try RowOutput(options: output, database: database)
            let store = try database.openForWriting()
            let setup = ExternalRunSetup(
                name: name, tags: tag.map { ($0.key, $0.value) }, check: GradientCheck(atol: atol, rtol: rtol),
                provenance: Provenance(commandLine: context.commandLine, workingDirectory: Provenance.currentDirectory(),
                                       user: user ?? RunUser.current(environment: CommandContext.current.environment)))
            let session = LogSession(store: store, setup: setup, commitInterval: context.commitInterval)
            StopSignal.install()
            defer { StopSignal.uninstall() }
            let progress = quiet ? nil : LogProgress(store: store, console: context.console)
            defer { progress?.erase() }  // also when the run fails, before its error is printed
            let (runID, ending) = try Self.consume(LinePipeline(descriptor: context.input), into: session, progress: progress)
            progress?.erase()
            guard let runID else {
                if case .signal(let number) = ending { throw CLIError.logInterrupted(runID: nil, signal: number) }
                throw CLIError.nothingLogged
            }
            context.console.out(Run.summaryLead(signal: StopSignal.pending, terminal: context.console.outputIsTerminal))
            let summary = try RunCatalog(store: store).summary(of: runID)
            try rows.write(output.format == .table ? summary.transposed() : summary)
            try Self.report(ending, runID: runID)
        }

        /// Reads every line into the session and ends its run; a bad line ends it failed. `progress`
        /// is redrawn after each batch of lines and while the input is quiet.
        static func consume(_ pipeline: LinePipeline, into session: LogSession,
                            progress: LogProgress? = nil) throws -> (Int64?, LogSession.Ending) {
            var lastLine = 0
            do {
                while true {
                    guard let batch = pipeline.next(waitingAtMost: session.secondsToCommit ?? 1) else {
                        try session.commitIfDue()
                        progress?.show(session.run?.runID)
                        if let signal = StopSignal.pending { return try session.finish(.signal(signal), lastLine: lastLine) }
                        continue
                    }
                    switch batch {
                    case .lines(let lines):
                        for line in lines {
                            lastLine = line.number
                            try session.handle(line.line, number: line.number)
                        }
                        try session.commitIfDue()
                        progress?.show(session.run?.runID)
                        if let signal = StopSignal.pending { return try session.finish(.signal(signal), lastLine: lastLine) }
                    case let .end(last, cut):
                        return try session.finish(.endOfInput(cutLine: cut), lastLine: last)
                    case .failed(.lineTooLong(let line), _):
                        throw LogSession.BadLine(line: line, message: "longer than \(LineReader.maxLineBytes >> 20) MiB")
                    case .failed(.read(let number), let last):
                        throw CLIError.unreadableInput(errno: number, afterLine: last)
                    }
                }
            } catch let bad as LogSession.BadLine {
                try session.fail(bad)
                throw CLIError.badLogLine(line: bad.line, message: bad.message, runID: session.run?.runID)
            } catch {
                // In words, as the terminal shows them, not as the enum prints (`scripts/fault-check`, full disks).
                session.run?.abandon(error: (error as? TrackerError)?.message ?? "\(error)")
                throw error
            }
        }

        /// Exits as the run ended: 0 when it finished, otherwise with the error that says how.
        static func report(_ ending: LogSession.Ending, runID: Int64) throws {
            switch ending {
            case .stated(.finished, _, _, _): return
            case .stated(let status, let error, _, _): throw CLIError.loggedEnding(runID: runID, status: status, error: error)
            case .endOfInput(let cut): throw CLIError.inputEndedEarly(runID: runID, cutLine: cut)
            case .signal(let number): throw CLIError.logInterrupted(runID: runID, signal: number)
            }
        }
    }
}
