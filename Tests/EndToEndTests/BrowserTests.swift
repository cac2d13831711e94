import Foundation
import TestSupport
import Testing

/// The HTML report and the charts in a real browser: Debian's chromium-headless-shell (installed by
/// scripts/setup) renders them to PNG, and the page's DOM is read back.
@Suite struct BrowserTests {
    static let browser = "chromium-headless-shell"
    static let ink = BinaryRunner.packageRoot.appendingPathComponent("Tests/Browser/png_ink.py").path

    let directory: TemporaryDirectory
    let database: String

    init() throws {
        directory = try TemporaryDirectory()
        database = directory.file("browser.db")
    }

    func gradlog(_ arguments: [String]) async throws -> BinaryRunner.Output {
        try await BinaryRunner.runAside(BinaryRunner.gradlog, [arguments[0], "--db", database] + arguments.dropFirst())
    }

    /// Renders `file` to a PNG of `width`×`height` and returns its ink inside each of `boxes` (x0, y0, x1, y1).
    func inkOfRendering(_ file: String, width: Int, height: Int, boxes: [[Int]]) async throws -> [Int] {
        let png = file + ".png"
        let shot = try await BinaryRunner.runAside(Self.browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=\(png)",
            "--window-size=\(width),\(height)", "file://\(file)",
        ])
        #expect(FileManager.default.fileExists(atPath: png), "\(shot.err.suffix(400))")
        // Debian's python3, for which scripts/setup installs Debian's Pillow (python3-pil).
        let count = try await BinaryRunner.runAside("/usr/bin/python3", [Self.ink, png] + boxes.joined().map(String.init))
        #expect(count.code == 0, "\(count.err.suffix(400))")
        return count.out.split(separator: " ").dropFirst(2).compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// `inkOfRendering` of the whole window.
    func inkOfRendering(_ file: String, width: Int, height: Int) async throws -> Int {
        try await inkOfRendering(file, width: width, height: height, boxes: [[0, 0, width, height]]).first ?? 0
    }

    @Test func theReportPageAndEveryChartRenderInARealBrowser() async throws {
        try await withOwnQueue { try await reportPageAndCharts() }
    }

    func reportPageAndCharts() async throws {
        #expect(try await gradlog(["run", "--epochs", "100", "--name", "lesson"]).code == 0)
        #expect(try await gradlog(["run", "--dataset", "xor", "--hidden", "4", "--lr", "1", "--epochs", "500", "--name", "xor"]).code == 0)
        let page = directory.file("report.html")
        #expect(try await gradlog(["report", "1", "2", "--html", "--output", page]).code == 0)
        let dom = try await BinaryRunner.runAside(Self.browser, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://\(page)"])
        #expect(dom.out.components(separatedBy: "<svg").count - 1 == 4, "\(dom.err.suffix(400))")
        #expect(dom.out.contains("Epochs of run 2") && dom.out.contains("<table>"))
        #expect(dom.out.contains("<h2>Comparison</h2>"))
        #expect(try await inkOfRendering(page, width: 900, height: 1600) > 20_000)
        // Every chart as an image in a cell of its own, 720×420, two to a row: one browser for the four.
        let charts = ["loss", "accuracy", "params", "gradcheck"]
        var cells = ""
        for chart in charts {
            #expect(try await gradlog(["plot", "1", "2", "--chart", chart, "--output", directory.file("\(chart).svg")]).code == 0)
            cells += "<div><img src=\"\(chart).svg\"></div>"
        }
        let sheet = directory.file("charts.html")
        try ("<!DOCTYPE html><html><head><style>body { margin: 0; display: grid; grid-template-columns: 720px 720px; "
            + "grid-auto-rows: 420px; } div { overflow: hidden; }</style></head><body>\(cells)</body></html>")
            .write(toFile: sheet, atomically: true, encoding: .utf8)
        // Ink inside each plot area: the lines themselves, not only axes and labels.
        let plotAreas = charts.indices.map { index in
            let (x, y) = (index % 2 * 720, index / 2 * 420)
            return [x + 82, y + 50, x + 698, y + 338]
        }
        let inks = try await inkOfRendering(sheet, width: 1_440, height: 840, boxes: plotAreas)
        #expect(inks.count == charts.count && inks.allSatisfy { $0 > 800 }, "\(zip(charts, inks).map { "\($0) \($1)" })")
    }

    /// Layout measured by the browser in a copy of `page` with a script added at its end (the page
    /// itself has none): the document's scroll and client width, each chart's left, top and width,
    /// and the first cell of the first table wider than its box, left before and after scrolling it.
    func measure(_ page: String, width: Int, dark: Bool = false) async throws -> [String: Any] {
        let probe = page + ".measure.html"
        let script = """
            <pre id="measure"></pre><script>
            const box = [...document.querySelectorAll('.scroll')].find(d => d.scrollWidth > d.clientWidth);
            let held = null;
            if (box) { const cell = box.querySelector('td'), before = cell.getBoundingClientRect().left; box.scrollLeft = 400;
              held = [before, cell.getBoundingClientRect().left, box.scrollLeft]; }
            document.getElementById('measure').textContent = JSON.stringify({
              page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
              charts: [...document.querySelectorAll('.charts svg')].map(s => { const r = s.getBoundingClientRect(); return [r.left, r.top, r.width]; }),
              held: held, colours: [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color] });
            </script></body>
            """
        let text = try String(contentsOfFile: page, encoding: .utf8).replacing("</body>", with: script)
        try text.write(toFile: probe, atomically: true, encoding: .utf8)
        let scheme = dark ? ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"] : []
        let dom = try await BinaryRunner.runAside(Self.browser, ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=\(width),2000"]
                                       + scheme + ["--dump-dom", "file://\(probe)"])
        let json = try #require(dom.out.split(separator: "<pre id=\"measure\">").last?.split(separator: "<").first, "\(dom.err.suffix(400))")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func anElevenRunSweepPageFitsA1200PixelWindowWithChartsSideBySide() async throws {
        try await withOwnQueue { try await elevenRunSweepPage() }
    }

    func elevenRunSweepPage() async throws {
        let sweep = try await gradlog(["sweep", "--id", "wide", "--dataset", "xor", "--hidden", "4", "--epochs", "60",
                                 "--lr", "0.1,0.2,0.3,0.5,0.7,1,1.5,2,3,4,5", "--jobs", "2"])
        #expect(sweep.code == 0, "\(sweep.err.suffix(400))")
        let page = directory.file("sweep.html")
        #expect(try await gradlog(["report", "--html", "--tag", "sweep=wide", "--output", page]).code == 0)
        let layout = try await measure(page, width: 1_200)
        let widths = try #require(layout["page"] as? [Double])
        #expect(widths.count == 2 && widths[0] <= widths[1], "the page is wider than the window: \(widths)")
        let charts = try #require(layout["charts"] as? [[Double]])
        try #require(charts.count == 4)
        // Two columns: the second chart beside the first, at the same height, each at least 440 px wide.
        let (first, second) = (charts[0], charts[1])
        #expect(second[1] == first[1])
        #expect(second[0] > first[0] + first[2])
        #expect(charts.allSatisfy { $0[2] >= 440 })
        // The 22-column epoch tables scroll in their box, and their first column stays where it was.
        let held = try #require(layout["held"] as? [Double])
        #expect(held[2] > 0 && abs(held[1] - held[0]) < 1, "\(held)")
        #expect(try await inkOfRendering(page, width: 1_200, height: 2_000) > 20_000)
        let narrow = try await measure(page, width: 500)
        let one = try #require(narrow["charts"] as? [[Double]])
        try #require(one.count == 4)
        let below: Bool = one[1][1] > one[0][1]
        #expect(below, "one column on a narrow window")
        #expect((narrow["page"] as? [Double]).map { $0[0] <= $0[1] } == true)
        #expect(layout["colours"] as? [String] == ["rgb(255, 255, 255)", "rgb(34, 34, 34)"])
        #expect(try await measure(page, width: 1_200, dark: true)["colours"] as? [String] == ["rgb(17, 17, 17)", "rgb(238, 238, 238)"])
    }
}
