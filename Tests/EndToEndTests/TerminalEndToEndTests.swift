import Foundation
import TestSupport
import Testing

/// `plot` and `report --html` under a real pseudo-terminal (util-linux's `script`, part of every
/// Debian system): a file named after the run appears in the current folder, stderr names it, and
/// no markup reaches the terminal.
@Suite struct TerminalEndToEndTests {
    let directory: TemporaryDirectory
    let database: String

    init() throws {
        directory = try TemporaryDirectory()
        database = directory.file("tty.db")
    }

    /// Runs a gradlog command line with standard output, input and error on a pseudo-terminal.
    func onTerminal(_ arguments: [String]) throws -> BinaryRunner.Output {
        let words = [BinaryRunner.gradlog] + arguments + ["--db", database]
        let command = words.map { "'" + $0.replacing("'", with: "'\\''") + "'" }.joined(separator: " ")
        return try BinaryRunner.run("script", ["-qec", command, "/dev/null"], in: directory.path)
    }

    @Test func onATerminalPlotAndReportWriteFilesNamedAfterTheRun() throws {
        #expect(try BinaryRunner.run(BinaryRunner.gradlog, ["run", "--epochs", "20", "--db", database]).code == 0)
        let plot = try onTerminal(["plot", "1"])
        #expect(plot.code == 0, "\(plot.err)")
        #expect(plot.out == "wrote run-1-loss.svg (--output - prints it instead)\r\n")
        let piped = try BinaryRunner.run(BinaryRunner.gradlog, ["plot", "1", "--db", database])
        #expect(try String(contentsOfFile: directory.file("run-1-loss.svg"), encoding: .utf8) == piped.out)
        let page = try onTerminal(["report", "1", "--html"])
        #expect(page.out == "wrote run-1.html (--output - prints it instead)\r\n")
        #expect(try onTerminal(["plot", "1"]).out == "wrote run-1-loss-2.svg (--output - prints it instead)\r\n")
        #expect(try onTerminal(["plot", "1", "--output", "-"]).out.hasPrefix("<svg "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix("tty.db") }.sorted()
            == ["run-1-loss-2.svg", "run-1-loss.svg", "run-1.html"])
    }
}
