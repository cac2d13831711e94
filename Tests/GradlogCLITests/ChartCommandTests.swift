import Foundation
import TestSupport
import Testing
@testable import GradlogCLI

/// `plot` and `compare` on real runs: sweeps named by their settings, seeds averaged, ranges of
/// epochs, networks drawn as bands, and axes that fit the quantity.
@Suite struct ChartCommandTests {
    let cli: CLIHarness

    /// Runs 1–6: lr 1, 0.1 and 0.5 with seeds 1 and 2 (in that order, tagged sweep=s); run 7 named.
    init() throws {
        cli = try CLIHarness()
        for lr in ["1", "0.1", "0.5"] {
            for seed in ["1", "2"] {
                precondition(cli.run(["run", "--dataset", "and", "--epochs", "40", "--lr", lr, "--seed", seed,
                                      "--tag", "sweep=s"]).code == 0)
            }
        }
        precondition(cli.run(["run", "--dataset", "and", "--epochs", "40", "--name", "mine"]).code == 0)
    }

    func shapes(_ arguments: [String]) throws -> [SVGShapes.Shape] {
        let result = cli.run(["plot"] + arguments)
        #expect(result.code == 0, "\(arguments): \(result.err)")
        return try SVGShapes.read(result.out)
    }

    /// The legend's texts, in order.
    func legend(_ shapes: [SVGShapes.Shape]) -> [String] {
        shapes.filter { $0.name == "text" && ($0.number("y") ?? 0) >= 390 }.map(\.text)
    }

    @Test("plot --tag draws every tagged run, named by the settings they differ in and in their order; a named run keeps its name")
    func sweepLegend() throws {
        #expect(legend(try shapes(["--tag", "sweep=s"])) == ["lr=0.1 seed=1", "lr=0.1 seed=2", "lr=0.5 seed=1", "lr=0.5 seed=2",
                                                               "lr=1 seed=1", "lr=1 seed=2"])
        #expect(legend(try shapes(["7", "--tag", "sweep=s"])).first == "7 (mine)")
        let none = cli.run(["plot", "--tag", "sweep=nothing"])
        #expect(none.code == 1 && none.err.contains("sweep=nothing"), "\(none.err)")
        #expect(cli.run(["plot"]).code == 64)
    }

    @Test("plot --group-by draws each group's mean in a ±1 sd band: the numbers compare --group-by prints")
    func seedsAveraged() throws {
        let shapes = try shapes(["--tag", "sweep=s", "--group-by", "lr"])
        #expect(legend(shapes) == ["lr=0.1 (2 runs)", "lr=0.5 (2 runs)", "lr=1 (2 runs)"])
        #expect(shapes.named("polygon", class: "band").count == 3 && shapes.named("polyline").count == 3)
        let table = cli.run(["compare", "1", "2", "3", "4", "5", "6", "--group-by", "lr", "--csv"])
        #expect(table.code == 0, "\(table.err)")
        let rows = table.out.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["field", "epoch", "group", "n", "not_finite", "mean", "sd", "min", "max"])
        let means = rows.dropFirst().filter { $0[0] == "mean_loss" && $0[2] == "lr=0.1" }.compactMap { Double($0[5]) }
        #expect(means.count == 40 && rows.dropFirst().filter { $0[0] == "mean_loss" }.allSatisfy { $0[3] == "2" })
        // The chart's first line maps back onto those means, within half a pixel.
        let title = try #require(shapes.first { $0.classes == ["title"] }?.text)
        #expect(title.hasSuffix("3 groups: mean ± 1 sd"))
        let line = try #require(shapes.named("polyline").first?.points)
        let labels = shapes.yTickLabels.compactMap(Double.init)
        let ticks = shapes.filter { $0.name == "text" && $0.number("x") == 74 }.compactMap { $0.number("y") }.map { $0 - 4 }
        let (v0, v1, p0, p1) = (labels[0], labels[labels.count - 1], ticks[0], ticks[ticks.count - 1])
        for (index, point) in line.enumerated() where index < means.count {
            let value = v0 + (point.y - p0) / (p1 - p0) * (v1 - v0)
            #expect(abs(value - means[index]) <= abs(v1 - v0) / abs(p1 - p0) * 0.5 + 1e-9, "epoch \(index + 1)")
        }
    }

    @Test("compare --group-by works in every format, with --column, and refuses a setting the runs do not have")
    func groupTable() throws {
        for format in ["--json", "--markdown", "--tsv", "--table", "--jsonl"] {
            let result = cli.run(["compare", "1", "2", "3", "--group-by", "lr,seed", "--column", "accuracy", format])
            #expect(result.code == 0 && result.out.contains("lr=0.1 seed=1"), "\(format): \(result.err)")
        }
        let json = cli.run(["compare", "1", "2", "--group-by", "seed", "--json"]).out
        #expect(json.contains("\"sd\":null") || json.contains("\"sd\": null"), "one run per group has no sd")
        let wrong = cli.run(["compare", "1", "2", "--group-by", "colour"])
        #expect(wrong.code == 64 && wrong.err.contains("lr"), "\(wrong.err)")
        #expect(cli.run(["plot", "1", "--chart", "params", "--group-by", "lr"]).code == 64)
        #expect(cli.run(["compare", "1", "2", "--group-by", "batch-size", "--csv"]).code == 0, "a dash reads as an underscore")
    }

    @Test("--from and --to draw a range of epochs, --log-x a log axis; nonsense ranges are refused")
    func ranges() throws {
        let window = try shapes(["1", "--from", "10", "--to", "20"]).xTickLabels.compactMap { Int($0) }
        #expect(window.count >= 3 && window.allSatisfy { (10...20).contains($0) }, "\(window)")
        #expect(try shapes(["1", "--log-x"]).xTickLabels == ["1", "2", "5", "10", "20"], "1, 2, 5 in each decade of a short run")
        let steps = try shapes(["1", "--steps", "--from", "5", "--to", "6"]).xTickLabels
        #expect(steps.count >= 3, "\(steps)")
        for bad in [["--from", "0"], ["--from", "9", "--to", "3"], ["--to", "-1"]] {
            #expect(cli.run(["plot", "1"] + bad).code == 64, "\(bad)")
        }
    }

    @Test("Accuracy runs from 0 to 1 whatever the runs reached")
    func accuracyAxis() throws {
        #expect(try shapes(["1", "2", "--chart", "accuracy"]).yTickLabels == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
    }

    @Test("A network's params and gradcheck are bands with median lines; checks every 10th step are dots")
    func networkBands() throws {
        #expect(cli.run(["run", "--dataset", "xor", "--hidden", "3", "--epochs", "200", "--lr", "1"]).code == 0)
        #expect(cli.run(["run", "--dataset", "xor", "--hidden", "3", "--epochs", "200", "--lr", "1", "--check-every", "10"]).code == 0)
        for chart in ["params", "gradcheck"] {
            let shapes = try shapes(["8", "--chart", chart])
            #expect(shapes.named("polygon", class: "band").count == 2 && shapes.named("polyline").count == 2, "\(chart)")
            #expect(legend(shapes) == ["layer 1 (9 parameters)", "layer 2 (4 parameters)"], "\(chart)")
        }
        let sparse = try shapes(["9", "--chart", "gradcheck"])
        #expect(sparse.named("polyline").isEmpty && sparse.named("polygon").isEmpty)
        #expect(sparse.named("rect", class: "band").filter { $0.number("width") == 3 }.count == 2 * 20)
        #expect(sparse.named("circle", class: "dot").count >= 2 * 20)
    }

    @Test("A run with one epoch is a dot over the ticks 0, 1, 2")
    func oneEpoch() throws {
        #expect(cli.run(["run", "--epochs", "1"]).code == 0)
        let shapes = try shapes(["latest"])
        #expect(shapes.named("circle", class: "dot").count == 1 && shapes.xTickLabels == ["0", "1", "2"])
    }
}
