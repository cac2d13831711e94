import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import GradlogCLI

/// `gradlog plot`: SVG charts of runs, read from the database.
@Suite struct PlotTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        precondition(cli.run(["run", "--dataset", "and", "--epochs", "300", "--lr", "0.5", "--name", "and"]).code == 0)
        precondition(cli.run(["run", "--dataset", "or", "--lr", "1e308", "--loss", "textbook", "--name", "too-fast"]).code == 2)
    }

    func parses(_ svg: String) -> Bool {
        XMLParser(data: Data(svg.utf8)).parse()
    }

    @Test func everyChartIsWellFormedSVGWithItsTitle() {
        for (chart, title) in [("loss", "Loss per epoch, run 1 (and)"), ("accuracy", "Accuracy per epoch"),
                               ("params", "Parameters per epoch"), ("gradcheck", "Gradient check per step")] {
            let result = cli.run(["plot", "1", "--chart", chart])
            #expect(result.code == 0, "\(chart): \(result.err)")
            #expect(result.out.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), "\(chart)")
            #expect(parses(result.out), "\(chart)")
            #expect(result.out.contains(title), "\(chart)")
        }
        let check = cli.run(["plot", "1", "--chart", "gradcheck"]).out
        #expect(check.contains(">rtol 0.001</text>") && check.contains("stroke-dasharray"))
        #expect(cli.run(["plot", "1", "--chart", "params"]).out.contains(">w1</text>"))
    }

    @Test func severalRunsAreOverlaidAndTheSameRunsGiveTheSameBytes() {
        let first = cli.run(["plot", "1", "2"]).out
        #expect(first == cli.run(["plot", "1", "2"]).out)
        #expect(first.contains(">1 (and)</text>") && first.contains("2 (too-fast) (1 not finite ▲▼)"))
        // Run 2 has one finite epoch before it diverged: a dot.
        #expect(first.components(separatedBy: "<polyline").count - 1 == 1 && first.components(separatedBy: "<circle").count - 1 == 1)
    }

    @Test func theChartGoesSafelyToAFileAndBadRequestsAreRefused() throws {
        let file = cli.directory.file("loss.svg")
        #expect(cli.run(["plot", "latest", "--steps", "--log-y", "--output", file]).code == 0)
        #expect(parses(try String(contentsOfFile: file, encoding: .utf8)))
        #expect(cli.run(["plot", "1", "--output", cli.database]).code == 1)  // never over the database
        #expect(cli.run(["plot", "1", "--chart", "accuracy", "--steps"]).code == 64)
        #expect(cli.run(["plot", "9"]).code == 1)
        #expect(cli.run(["plot", "1", "--chart", "pie"]).code == 64)
    }
}

/// `gradlog report --html`: one self-contained page per run or per set of runs.
@Suite struct HTMLReportTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        precondition(cli.run(["run", "--epochs", "50", "--name", "<b>lesson</b>"]).code == 0)
        precondition(cli.run(["run", "--dataset", "xor", "--hidden", "2", "--epochs", "5"]).code == 0)
    }

    @Test func thePageHoldsTheSummaryTheFourChartsAndTheEpochTable() throws {
        // With --db, so that the page's command names it.
        let result = cli.run(["report", "1", "--html", "--db", cli.database])
        #expect(result.code == 0, "\(result.err)")
        let page = result.out
        #expect(page.hasPrefix("<!doctype html>"))
        #expect(page.components(separatedBy: "<svg ").count - 1 == 4)
        #expect(page.contains("<h2>Epochs of run 1</h2>"))
        #expect(page.contains("30 epochs left out here; all of them: <code>gradlog report 1 --csv --db \(cli.database)</code>"))
        #expect(page.contains("&lt;b&gt;lesson&lt;/b&gt;") && !page.contains("<b>lesson</b>"))
        // Self-contained: no script, and no address but the SVG namespace.
        #expect(!page.contains("<script") && !page.replacing("http://www.w3.org/2000/svg", with: "").contains("http"))
        let xml = page.replacing("<!doctype html>\n", with: "").replacing("<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\"/>")
            .replacing("initial-scale=1\">", with: "initial-scale=1\"/>")
        #expect(XMLParser(data: Data(xml.utf8)).parse(), "the page is well-formed")
    }

    @Test func severalRunsGiveOneComparisonPageAndNonsenseIsRefused() throws {
        let page = cli.run(["report", "1", "2", "--html", "--output", cli.directory.file("both.html")])
        #expect(page.code == 0)
        let text = try String(contentsOfFile: cli.directory.file("both.html"), encoding: .utf8)
        #expect(text.contains("<title>gradlog: runs 1, 2</title>") && text.contains("<h2>Epochs of run 2</h2>"))
        #expect(cli.run(["report", "1", "2"]).code == 64)
        #expect(cli.run(["tag", "1", "sweep=a"]).code == 0 && cli.run(["tag", "2", "sweep=a"]).code == 0)
        let sweep = cli.run(["report", "--html", "--tag", "sweep=a"]).out
        #expect(sweep.contains("<title>gradlog: runs 1, 2</title>"))
        #expect(cli.run(["report", "--html", "--tag", "sweep=none"]).code == 1)
        #expect(cli.run(["report", "1", "--tag", "sweep=a"]).code == 64)
        #expect(cli.run(["report", "1", "--html", "--steps"]).code == 64)
    }

    @Test func aLayeredRunIsDrawnOneLinePerLayer() {
        for chart in ["params", "gradcheck"] {
            let svg = cli.run(["plot", "2", "--chart", chart]).out
            #expect(svg.contains(">layer 1 (6 parameters)</text>") && svg.contains(">layer 2 (3 parameters)</text>"), "\(chart)")
            #expect(svg.components(separatedBy: "<polyline").count - 1 >= 2, "\(chart)")
        }
    }
}
