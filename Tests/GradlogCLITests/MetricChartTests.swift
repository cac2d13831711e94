import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import GradlogCLI

/// Metrics logged beside the loss are drawn like it: `plot --chart NAME` and a chart each on the page.
@Suite struct MetricChartTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        for name in ["a", "b"] {
            let lines = stride(from: 10, through: 200, by: 10).map { step in
                #"{"step": \#(step), "loss": \#(1 / Double(step)), "metrics": {"val_loss": \#(2 / Double(step)), "val_acc": \#(Double(step) / 200)}}"#
            }
            precondition(cli.run(["log", "--name", name], input: (lines + [#"{"end": "finished"}"#]).joined(separator: "\n") + "\n").code == 0)
        }
    }

    @Test func aMetricIsDrawnPerEpochOrPerStepForSeveralRuns() throws {
        let chart = cli.run(["plot", "1", "2", "--chart", "val_loss", "--log-y"])
        #expect(chart.code == 0, "\(chart.err)")
        #expect(XMLParser(data: Data(chart.out.utf8)).parse())
        #expect(chart.out.contains("val_loss per epoch, 2 runs") && chart.out.contains(">1 (a)</text>") && chart.out.contains(">2 (b)</text>"))
        #expect(chart.out.components(separatedBy: "<polyline").count - 1 == 2)
        let steps = cli.run(["plot", "1", "--chart", "val_acc", "--steps"])
        #expect(steps.code == 0 && steps.out.contains("val_acc per step"))
        #expect(chart.out == cli.run(["plot", "1", "2", "--chart", "val_loss", "--log-y"]).out)
    }

    @Test func aNameNoRunHasIsRefusedWithTheMetricsTheyHave() {
        let refused = cli.run(["plot", "1", "--chart", "val_los"])
        #expect(refused.code == 64)
        #expect(refused.err.contains("no run given has a metric of that name; their metrics: val_acc, val_loss"), "\(refused.err)")
        #expect(cli.run(["plot", "1", "--chart", "val loss"]).code == 64)
    }

    @Test func thePageDrawsEachMetricAfterGradlogsOwnCharts() {
        let page = cli.run(["report", "1", "--html"])
        #expect(page.code == 0, "\(page.err)")
        #expect(page.out.components(separatedBy: "<svg").count - 1 == 6)
        let titles = ["Loss per epoch", "val_acc per epoch", "val_loss per epoch"].map { page.out.range(of: $0)?.lowerBound }
        #expect(titles.allSatisfy { $0 != nil } && titles[1]! < titles[2]!)
    }
}
