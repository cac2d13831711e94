import ArgumentParser
import SQLiteDB
import Tracker

extension Gradlog {
    /// `gradlog verify`: re-executes runs from the database and compares every value bit for bit.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-execute runs from the database alone and compare every logged value bit for bit.",
            discussion: """
                The run is trained again in memory from its stored configuration, samples and starting \
                parameters (not from the original CSV file), and every logged step, loss, parameter value, \
                gradient, verdict and final parameter is compared exactly: the last bit counts, NaN matches \
                only NaN (stored as NULL) and -0.0 matches 0.0 (a REAL column keeps no sign of zero). Prints `identical: N steps, M values`, or the \
                first difference (step, parameter, column, logged value, recomputed value) and exits 1. \
                A run that stopped early (crashed, interrupted) is compared over the steps it logged. \
                A run logged from outside (gradlog log, GradlogKit) cannot be trained again: verify says so \
                and exits 3 (with --all it notes them and verifies the others).
                """ + example("gradlog verify --all"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("A run: \(runForms).", valueName: "run"))
        var runReference: String?

        @Flag(help: "Verify every run in the database.")
        var all = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if all == (runReference != nil) {
                throw ValidationError("give either a run (\(runForms)) or --all")
            }
        }

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let store = try database.openForReading()
            let catalog = RunCatalog(store: store)
            let ids = all
                ? try catalog.list().ids
                : [try catalog.resolve(runReference ?? "")]
            let console = CommandContext.current.console
            let line = all && console.errorIsTerminal ? ProgressLine(console: console) : nil
            var external: [Int64] = []
            let results = try ids.enumerated().compactMap { index, id throws(TrackerError) -> Verification? in
                line?.update("verifying run \(id) (\(index + 1) of \(ids.count))… \(ProgressLine.duration(line?.elapsed ?? 0))")
                do throws(TrackerError) {
                    return try RunVerifier.verify(id, in: store)
                } catch {
                    guard all, case .externalRun = error else { throw error }
                    external.append(id)  // said below, and the others are still verified
                    return nil
                }
            }
            line?.erase()
            if output.format == .table && output.output == nil {
                for result in results {
                    CommandContext.current.console.out((all ? "run \(result.runID): " : "") + Self.sentence(result) + "\n")
                }
            } else {
                try rows.write(Self.table(results))
            }
            if results.contains(where: { $0.difference != nil }) { throw ExitCode(1) }
            // With --all they are noted and left out, so that `verify --all` stays a check a CI can run.
            if !external.isEmpty {
                CommandContext.current.console.err("Note: not verified, logged from outside gradlog (gradlog log or GradlogKit): "
                    + "run " + external.map(String.init).joined(separator: ", ") + "\n")
            }
        }

        static func sentence(_ result: Verification) -> String {
            guard let difference = result.difference else {
                return "identical: \(result.steps) steps, \(result.values) values"
            }
            let place = [difference.step.map { "step \($0)" }, difference.param.map { "parameter \($0)" },
                         "column \(difference.column)"].compactMap { $0 }.joined(separator: ", ")
            return "different at \(place): logged \(difference.logged), recomputed \(difference.recomputed)"
        }

        static func table(_ results: [Verification]) -> Table {
            Table(
                columns: ["run", "result", "steps", "values", "step", "param", "column", "logged", "recomputed"],
                rows: results.map { result in
                    let difference = result.difference
                    return [.integer(result.runID), .text(difference == nil ? "identical" : "different"),
                            .integer(Int64(result.steps)), .integer(Int64(result.values)),
                            difference?.step.map { .integer(Int64($0)) } ?? .null,
                            difference?.param.map { .text($0) } ?? .null, difference.map { .text($0.column) } ?? .null,
                            difference?.loggedValue ?? .null, difference?.recomputedValue ?? .null]
                })
        }
    }
}
