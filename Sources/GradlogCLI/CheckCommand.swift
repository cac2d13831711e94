#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Charts
import Output
import Tracker
import Training
import Wording

extension Gradlog {
    /// `gradlog check RUN`: the run's gradient checks explained, or an ε sweep at one of its steps.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain a run's gradient checks: the first and worst failure, and the cause of each.",
            discussion: """
                Every failed check is classified, for a run of gradlog's own trainer by evaluating its step \
                again at the stored parameters: wrong-backward-pass (the chain rule disagrees with Swift's \
                automatic differentiation of the same loss, which the numeric gradient confirms), \
                cancellation (σ(t) − 1 computed as written for a label 1 at a large logit), saturation (a \
                unit's slope is tiny, so the round-off of the numeric gradient dominates), eps-too-large \
                (truncation, ∝ ε²), eps-too-small (round-off, ∝ machine ε / ε), kink (the one-sided slopes \
                differ), unexplained; a run logged from outside is reported, not classified. Checks of one \
                cause in one unit are grouped over the steps they cover, with the figures that decided and \
                what to do. Exits 0 when every check passed, 1 when there is something to report. \
                --json gives the diagnosis as one JSON object; the other formats give its findings as rows. \
                With --step N --eps-sweep, recomputes the numeric gradient at that step for each ε (powers \
                of ten from 1e-1 to 1e-13, or --eps A..B) against the chain rule and the compiler, marking \
                the run's ε and the best ε of each parameter; --svg draws it on log-log axes.
                """ + example("gradlog check latest", "gradlog check 3 --json",
                              "gradlog check 3 --step 1 --eps-sweep --param 'w*' --svg sweep.svg"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("A run: \(runForms).", valueName: "run"))
        var runReference: String

        @Flag(help: "Recompute the numeric gradient at --step for a range of ε instead of classifying the failures.")
        var epsSweep = false

        @Option(help: ArgumentHelp("The step of the ε sweep.", valueName: "n"))
        var step: Int64?

        @Option(help: ArgumentHelp(
            "The ε range of the sweep: the powers of ten from A to B (default 1e-1..1e-13); the run's ε is always included.",
            valueName: "A..B"))
        var eps: EpsilonRange?

        @Option(help: ArgumentHelp("Only parameters matching this GLOB pattern (e.g. 'l1.*').", valueName: "pattern"))
        var param: String?

        @Option(help: ArgumentHelp("Also draw the sweep's errors against ε on log-log axes into this SVG file.", valueName: "file.svg"),
                completion: .file(extensions: ["svg"]))
        var svg: String?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if epsSweep && step == nil { throw ValidationError("--eps-sweep needs --step N, the step to sweep at") }
            if !epsSweep {
                for (name, given) in [("--step", step != nil), ("--eps", eps != nil), ("--param", param != nil), ("--svg", svg != nil)]
                where given {
                    throw ValidationError("\(name) belongs to the ε sweep: add --eps-sweep (and --step N)")
                }
            }
            if let step, step < 1 { throw ValidationError("--step \(step): steps are numbered from 1") }
        }

        func run() throws {
            let rows = try RowOutput(options: output, database: database, alsoProtecting: svg.map { [$0] } ?? [])
            let store = try database.openForReading()
            let runID = try RunCatalog(store: store).resolve(runReference)
            if epsSweep, let step {
                try sweep(runID, step: step, store: store, rows: rows)
                return
            }
            let diagnosis = try GradientDiagnosis.diagnose(runID, in: store)
            switch output.format {
            case .table where output.output == nil: CommandContext.current.console.out(DiagnosisText.text(diagnosis))
            case .json: try rows.writeText(DiagnosisText.json(diagnosis).text + "\n")
            default: try rows.write(DiagnosisText.findingsTable(diagnosis))
            }
            if !diagnosis.isClean { throw ExitCode(1) }
        }

        private func sweep(_ runID: Int64, step: Int64, store: Store, rows: RowOutput) throws {
            let epsilons = eps?.values ?? EpsilonSweep.defaultEpsilons
            let result = try StepSweep.sweep(runID, step: step, epsilons: epsilons, matching: param, in: store)
            if let svg {
                let target = try OutputTarget(path: svg == OutputTarget.standardOutputName ? nil : svg,
                                              console: CommandContext.current.console, protecting: [database.resolvedPath])
                target.write(SweepChart.chart(result).svg())
                try target.commit()
            }
            if svg != OutputTarget.standardOutputName { try rows.write(SweepChart.table(result)) }
            // Re-evaluated from the stored parameters, the chain rule must give the stored gradients again.
            let differing = Set(result.sweep.rows.map(\.parameter)).sorted().filter { k in
                !(result.sweep.analytic[k] == result.storedAnalytic[k] || (result.sweep.analytic[k].isNaN && result.storedAnalytic[k].isNaN))
            }
            if let k = differing.first {
                CommandContext.current.console.err("Note: at step \(step) the chain rule gives \(result.parameterNames[k]) "
                    + "\(result.sweep.analytic[k]) where the run stored \(result.storedAnalytic[k]); was the file changed? "
                    + "(`\(Hint.command("verify \(runID)"))` compares every value)\n")
            }
        }
    }
}

/// `--eps A..B`: the powers of ten between two powers of ten, largest first.
struct EpsilonRange: ExpressibleByArgument {
    let values: [Double]

    init?(argument: String) {
        let ends = argument.components(separatedBy: "..")
        guard ends.count == 2, let first = Self.exponent(ends[0]), let last = Self.exponent(ends[1]) else { return nil }
        values = EpsilonSweep.powersOfTen(from: max(first, last), through: min(first, last))
    }

    /// k for a power of ten written 1eK (or 1e+K, 0.001, ...), from 1e-300 to 1e300; nil otherwise.
    private static func exponent(_ text: String) -> Int? {
        guard let value = DecimalNumber.parse(text), value > 0 else { return nil }
        let k = Int(log10(value).rounded())
        guard (-300...300).contains(k), EpsilonSweep.powersOfTen(from: k, through: k) == [value] else { return nil }
        return k
    }

    static var defaultValueDescription: String { "1e-1..1e-13" }
}
