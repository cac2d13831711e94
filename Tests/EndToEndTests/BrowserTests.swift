import Foundation
import TestSupport
import Testing

/// The HTML report and the charts in a real browser: Debian's chromium-headless-shell (installed by
/// scripts/setup) renders them to PNG, and the page's DOM is read back.
@Suite(.serialized) struct BrowserTests {
    static let browser = "chromium-headless-shell"
    static let ink = BinaryRunner.packageRoot.appendingPathComponent("Tests/Browser/png_ink.py").path

    let directory: TemporaryDirectory
    let database: String

    init() throws {
        directory = try TemporaryDirectory()
        database = directory.file("browser.db")
    }

    func gradlog(_ arguments: [String]) throws -> BinaryRunner.Output {
        try BinaryRunner.run(BinaryRunner.gradlog, [arguments[0], "--db", database] + arguments.dropFirst())
    }

    /// Renders `file` to a PNG of `width`×`height` and returns its ink inside `box` (x0, y0, x1, y1).
    func inkOfRendering(_ file: String, width: Int, height: Int, box: [Int]) throws -> Int {
        let png = file + ".png"
        let shot = try BinaryRunner.run(Self.browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=\(png)",
            "--window-size=\(width),\(height)", "file://\(file)",
        ])
        #expect(FileManager.default.fileExists(atPath: png), "\(shot.err.suffix(400))")
        // Debian's python3, for which scripts/setup installs Debian's Pillow (python3-pil).
        let count = try BinaryRunner.run("/usr/bin/python3", [Self.ink, png] + box.map(String.init))
        #expect(count.code == 0, "\(count.err.suffix(400))")
        return Int(count.out.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }

    @Test func theReportPageAndEveryChartRenderInARealBrowser() throws {
        #expect(try gradlog(["run", "--epochs", "100", "--name", "lesson"]).code == 0)
        #expect(try gradlog(["run", "--dataset", "xor", "--hidden", "4", "--lr", "1", "--epochs", "500", "--name", "xor"]).code == 0)
        let page = directory.file("report.html")
        #expect(try gradlog(["report", "1", "2", "--html", "--output", page]).code == 0)
        let dom = try BinaryRunner.run(Self.browser, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://\(page)"])
        #expect(dom.out.components(separatedBy: "<svg").count - 1 == 4, "\(dom.err.suffix(400))")
        #expect(dom.out.contains("Epochs of run 2") && dom.out.contains("<table>"))
        #expect(try inkOfRendering(page, width: 900, height: 1600, box: [0, 0, 900, 1600]) > 20_000)
        for chart in ["loss", "accuracy", "params", "gradcheck"] {
            let svg = directory.file("\(chart).svg")
            #expect(try gradlog(["plot", "1", "2", "--chart", chart, "--output", svg]).code == 0)
            // Ink inside the plot area: the lines themselves, not only axes and labels.
            #expect(try inkOfRendering(svg, width: 720, height: 420, box: [82, 50, 698, 338]) > 800, "\(chart)")
        }
    }
}
