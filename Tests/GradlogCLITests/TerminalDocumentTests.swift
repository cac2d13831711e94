import Foundation
import Testing
@testable import GradlogCLI
@testable import Output

/// On a terminal, `plot` and `report --html` write a file named after the runs instead of markup,
/// say which, never replace a file, and print to the terminal only when `--output -` asks.
@Suite struct TerminalDocumentTests {
    let cli: CLIHarness
    let folder: String

    init() throws {
        cli = try CLIHarness()
        folder = cli.directory.file("documents")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        precondition(cli.run(["run", "--epochs", "5"]).code == 0)
        precondition(cli.run(["run", "--epochs", "5", "--lr", "0.2"]).code == 0)
    }

    /// Runs a command whose standard output is a terminal (or not), with documents put in `folder`.
    private func run(_ arguments: [String], terminal: Bool = true) -> Console {
        var context = CommandContext(console: .capturing(terminal: terminal), environment: [:])
        context.documentDirectory = folder
        let code = Gradlog.execute([arguments[0], "--db", cli.database] + arguments.dropFirst(), context: context)
        #expect(code == 0, "\(arguments): \(context.console.capturedErr)")
        return context.console
    }

    private func contents(_ name: String) -> String? {
        try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)
    }

    @Test("plot on a terminal writes run-N-CHART.svg, says so, and takes the next free name rather than replace a file")
    func plotWritesAFile() throws {
        let first = run(["plot", "1"])
        #expect(first.capturedOut.isEmpty)
        #expect(first.capturedErr == "wrote \(folder)/run-1-loss.svg (--output - prints it instead)\n")
        let svg = try #require(contents("run-1-loss.svg"))
        #expect(svg.hasPrefix("<svg ") && svg == cli.run(["plot", "1"]).out)
        let second = run(["plot", "1"])
        #expect(second.capturedErr == "wrote \(folder)/run-1-loss-2.svg (--output - prints it instead)\n")
        #expect(contents("run-1-loss.svg") == svg && contents("run-1-loss-2.svg") == svg)
        #expect(run(["plot", "1", "2", "--chart", "params", "--steps"]).capturedErr.contains("/runs-1-2-params-steps.svg "))
    }

    @Test("A dangling link or a folder of the name counts as taken: the next name is used")
    func takenNames() throws {
        try FileManager.default.createSymbolicLink(atPath: folder + "/run-2.html", withDestinationPath: folder + "/nowhere")
        try FileManager.default.createDirectory(atPath: folder + "/run-2-2.html", withIntermediateDirectories: false)
        let console = run(["report", "2", "--html"])
        #expect(console.capturedErr == "wrote \(folder)/run-2-3.html (--output - prints it instead)\n")
        #expect(contents("run-2-3.html")?.hasPrefix("<!doctype html>") == true)
        #expect(!FileManager.default.fileExists(atPath: folder + "/nowhere"))
    }

    @Test("report --html on a terminal writes run-N.html, or runs-….html for several")
    func reportWritesAFile() throws {
        let console = run(["report", "1", "2", "--html"])
        #expect(console.capturedOut.isEmpty)
        #expect(console.capturedErr == "wrote \(folder)/runs-1-2.html (--output - prints it instead)\n")
        #expect(contents("runs-1-2.html") == cli.run(["report", "1", "2", "--html"]).out)
        #expect(DocumentFile.runsName([3, 5, 7, 9, 11]) == "runs-3-5-7-and-2-more")
        #expect(DocumentFile.safeName("val[0].loss/x") == "val_0_.loss_x")
    }

    @Test("--output - prints to the terminal; --output FILE and a pipe behave as before")
    func explicitOutput() throws {
        let shown = run(["plot", "1", "--output", "-"])
        #expect(shown.capturedOut.hasPrefix("<svg ") && shown.capturedErr.isEmpty)
        let page = run(["report", "1", "--html", "--output", "-"])
        #expect(page.capturedOut.hasPrefix("<!doctype html>") && page.capturedErr.isEmpty)
        let named = run(["plot", "1", "--output", folder + "/mine.svg"])
        #expect(named.capturedErr.isEmpty && contents("mine.svg")?.hasPrefix("<svg ") == true)
        let piped = run(["plot", "1"], terminal: false)
        #expect(piped.capturedOut.hasPrefix("<svg ") && piped.capturedErr.isEmpty)
        #expect(run(["report", "1", "--html"], terminal: false).capturedOut.hasPrefix("<!doctype html>"))
        // `-` is standard output for every command's --output.
        #expect(run(["report", "1", "--csv", "--output", "-"], terminal: false).capturedOut.hasPrefix("epoch,steps,"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["mine.svg"])
        #expect(!FileManager.default.fileExists(atPath: "-"))
    }
}
