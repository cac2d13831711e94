import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import GradlogCLI

/// Metrics logged beside the loss are first-class: reported per epoch, diffed, drawn by `plot
/// --chart NAME` and on the page.
@Suite struct MetricTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        for (name, bump) in [("a", 0.0), ("b", 0.0), ("c", 0.25)] {
            let lines = stride(from: 10, through: 200, by: 10).map { step in
                #"{"step": \#(step), "loss": \#(1 / Double(step)), "#
                    + #""metrics": {"val_loss": \#(2 / Double(step) + (step == 50 ? bump : 0)), "val_acc": \#(Double(step) / 200)}}"#
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
        // Loss and the two metrics; the run has no accuracy, parameters or gradient checks to draw.
        #expect(page.out.components(separatedBy: "<svg").count - 1 == 3)
        #expect(page.out.contains("No chart of accuracy, params, gradcheck: the run logged no such values."))
        let titles = ["Loss per epoch", "val_acc per epoch", "val_loss per epoch"].map { page.out.range(of: $0)?.lowerBound }
        #expect(titles.allSatisfy { $0 != nil } && titles[1]! < titles[2]!)
    }

    @Test func diffFindsTheFirstStepWhereAMetricDiffersAndItsLargestDifference() {
        let same = cli.run(["diff", "1", "2", "--csv"])
        #expect(same.out.contains("first difference,none in 20 common steps"), "\(same.out)")
        let other = cli.run(["diff", "1", "3", "--csv"])
        #expect(other.out.contains("first difference,step 50 val_loss,0.04,0.29,0.24999999999999997"), "\(other.out)")
        #expect(other.out.contains("largest difference,val_loss,0.01,0.01,0.24999999999999997"), "\(other.out)")
    }

    @Test func thePerEpochReportHasEachMetricsLastValueAndMean() {
        let report = cli.run(["report", "1", "--csv"])
        #expect(report.out.hasPrefix("epoch,steps,mean_loss,worst_rel_error,accuracy,val_acc,val_acc_mean,val_loss,val_loss_mean\r\n10,1,0.1,,,0.05,0.05,0.2,0.2\r\n"),
                "\(report.out)")
    }

    @Test func runsShowsTheLatestValueOfEachMetricAskedFor() {
        let listed = cli.run(["runs", "--metric", "val_loss", "--metric", "val_acc", "--csv"])
        #expect(listed.code == 0, "\(listed.err)")
        let lines = listed.out.split(separator: "\r\n").map(String.init)
        #expect(lines.first?.hasSuffix(",started_at,user,val_loss,val_acc") == true, "\(listed.out)")
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",0.01,1.0") }, "\(listed.out)")
        for bad in ["lr", "val loss"] {
            let refused = cli.run(["runs", "--metric", bad])
            #expect(refused.code == 64 && refused.err.contains("--metric '\(bad)' is not allowed"), "\(refused.err)")
        }
    }
}
