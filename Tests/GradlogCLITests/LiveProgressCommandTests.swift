import Foundation
@testable import GradlogCLI
import Testing
import Tracker
import Training
@testable import Output

/// Following a run while it trains: `runs`, `runs --watch` and `show` give its progress, and
/// `gradlog log` draws the progress line `gradlog run` draws.
@Suite struct LiveProgressCommandTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    /// A run logged from outside that this test process, alive, is still writing: three steps, committed.
    func runningRun() throws -> (ExternalRun, Int64) {
        let store = try Store(path: cli.database)
        let run = try ExternalRun(store: store, setup: ExternalRunSetup(name: "live", parameterNames: ["w", "b"]),
                                  commitInterval: 0)
        for step in 1...3 {
            usleep(2_000)  // so that its last commit is at a later millisecond than its start: a rate
            try run.log(ExternalStep(step: step, epoch: step == 3 ? 2 : 1, loss: 1 / Double(step), values: [0.5, -1]))
        }
        return (run, try #require(run.runID))
    }

    @Test func runsAndShowGiveARunningRunsProgressAsNumbers() throws {
        let (run, id) = try runningRun()
        let json = cli.run(["runs", "--json"]).out
        #expect(json.contains(#""status": "running", "dataset": null, "lr": null, "epochs": null, "steps": 3, "epoch": 2, "#
            + #""latest_loss": 0.3333333333333333, "steps_per_s": "#), "\(json)")
        #expect(json.contains(#""final_loss": null"#))
        let csv = cli.run(["runs", "--csv"]).out
        #expect(csv.hasPrefix("id,name,status,dataset,lr,epochs,steps,epoch,latest_loss,steps_per_s,final_loss,started_at,user\r\n"))
        #expect(csv.contains("\r\n\(id),live,running,,,,3,2,0.3333333333333333,"))
        let show = cli.run(["show", "\(id)", "--csv"]).out
        #expect(show.contains("\r\nstep_count,3\r\nepoch_count,2\r\n"))
        #expect(show.contains("\r\nlatest_loss,0.3333333333333333\r\nsteps_per_s,"))
        try run.finish(status: .finished)
        let ended = cli.run(["runs", "--csv"]).out
        #expect(ended.contains("\r\n\(id),live,finished,,,,3,2,,,"), "\(ended)")
        #expect(cli.run(["show", "\(id)", "--csv"]).out.contains("\r\nlatest_loss,\r\nsteps_per_s,\r\n"))
    }

    @Test func runsWatchRedrawsARunningRunsProgress() throws {
        let (run, id) = try runningRun()
        var context = CommandContext(console: .capturing(terminal: true), environment: [:])
        context.maxRefreshes = 2
        #expect(Gradlog.execute(["runs", "--watch", "--interval", "0.1", "--db", cli.database], context: context) == 0)
        let out = context.console.capturedOut
        #expect(out.contains("epochs  steps  epoch  latest_loss "), "\(out)")
        #expect(out.components(separatedBy: "\n \(id)  live  running ").count == 3, "\(out)")
        #expect(out.contains("  0.3333333333333333  "))
        try run.finish(status: .finished)
    }

    @Test func gradlogLogShowsTheProgressLineOnATerminalOnlyAndErasesIt() {
        var config = TrainingConfig()
        config.epochs = 1_200
        let input = LogCommandTests.lines(of: config).joined(separator: "\n") + "\n"
        let shown = cli.run(["log"], input: input, errorTerminal: true)
        #expect(shown.code == 0)
        #expect(shown.err.hasPrefix("\rstep "), "\(shown.err)")
        #expect(shown.err.contains("  epoch ") && shown.err.contains(" steps/s  loss 0."), "\(shown.err)")
        #expect(shown.err.contains("  worst rel error "))
        #expect(shown.err.hasSuffix("\r\u{1B}[K"))
        #expect(shown.out.hasPrefix("field"))
        #expect(cli.run(["log", "--quiet"], input: input, errorTerminal: true).err.isEmpty)
        #expect(cli.run(["log"], input: input).err.isEmpty)
        // A bad line after the line was drawn (lines come in batches of 512): it is erased before the error.
        let bad = cli.run(["log"], input: input.replacing("\"step\": 1000,", with: "\"step\": 999,"), errorTerminal: true)
        #expect(bad.code == 1)
        #expect(bad.err.hasPrefix("\rstep ") && bad.err.contains("\r\u{1B}[KError: line 1000: "), "\(bad.err)")
    }

    @Test func gradlogLogsLineReadsLikeGradlogRunsWithoutAPlan() {
        let latest = LatestStep(step: 1_234_567, epoch: 12, loss: 0.0000123456, worstRelativeError: 9.87654e-10,
                                secondsSinceStart: 10)
        #expect(ProgressLine.describe(latest)
            == "step 1,234,567  epoch 12  123,456 steps/s  loss 1.235e-5  worst rel error 9.877e-10")
        let first = LatestStep(step: 1, epoch: 1, loss: .nan, worstRelativeError: nil, secondsSinceStart: 0)
        #expect(ProgressLine.describe(first) == "step 1  epoch 1  0 steps/s  loss nan  worst rel error -")
        let instant = LatestStep(step: .max, epoch: 1, loss: 1, worstRelativeError: .nan, secondsSinceStart: 1e-300)
        #expect(ProgressLine.describe(instant).contains("  1,000,000,000,000,000 steps/s  loss 1.0  worst rel error nan"))
    }
}
