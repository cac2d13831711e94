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
        #expect(first.components(separatedBy: "<polyline").count - 1 == 2)
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
