import Foundation
import TestSupport
import Testing

/// The `--html` page's layout, read back as XML: charts in a grid, wide tables scrolling in their own
/// box with the first column held and numbers unbroken, dark mode, and a several-runs page that
/// opens with one comparison table.
@Suite struct HTMLPageTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        // A network of 17 parameters (2-4-1): its epoch table has 22 columns.
        precondition(cli.run(["run", "--dataset", "xor", "--hidden", "4", "--epochs", "30", "--lr", "1"]).code == 0)
    }

    /// The page's style sheet and its body's elements.
    private func read(_ arguments: [String]) throws -> (style: String, body: [XMLElements.Element]) {
        let result = cli.run(["report"] + arguments + ["--html"])
        #expect(result.code == 0, "\(result.err)")
        let page = result.out
        let style = try #require(page.range(of: "<style>").flatMap { start in
            page.range(of: "</style>").map { String(page[start.upperBound..<$0.lowerBound]) }
        })
        let body = try #require(page.range(of: "<body>").flatMap { start in
            page.range(of: "</body>").map { String(page[start.lowerBound..<$0.upperBound]) }
        })
        return (style, try XMLElements.read(body))
    }

    @Test("A run whose checks failed has a Gradient check section with gradlog check's findings; one whose checks passed has none")
    func gradientCheckSection() throws {
        #expect(!cli.run(["report", "1", "--html"]).out.contains("id=\"gradient-check\""))
        #expect(cli.run(["run", "--dataset", "and", "--epochs", "20", "--eps", "0.5"]).code == 0)
        let page = cli.run(["report", "2", "--html"]).out
        #expect(page.contains("<h3>eps-too-large in layer 1, unit 1</h3>"), "\(page)")
        #expect(page.contains("The central difference&#39;s truncation error") || page.contains("The central difference's truncation error"))
        let (_, body) = try read(["2"])
        #expect(body.contains { $0.name == "h2" && $0.text == "Gradient check" })
    }

    private func children(of index: Int?, in elements: [XMLElements.Element], named name: String) -> [Int] {
        elements.indices.filter { elements[$0].parent == index && elements[$0].name == name }
    }

    // Two columns of at least 440 px, their 24 px gap and the page's margins fit in 1,200 px (the
    // browser test measures it).
    @Test("Charts sit in a grid of columns at least 440 px wide")
    func chartGrid() throws {
        let (style, body) = try read(["1"])
        #expect(style.contains(".charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 440px), 1fr));"))
        #expect(style.contains(".charts svg { display: block; width: 100%; height: auto; }"))
        let grid = try #require(body.indices.first { body[$0].name == "div" && body[$0].attributes["class"] == "charts" })
        #expect(children(of: grid, in: body, named: "svg").count == 4)
    }

    @Test("Every table scrolls in its own box, its first column held in place, numbers never broken")
    func wideTables() throws {
        let (style, body) = try read(["1"])
        #expect(style.contains(".scroll { overflow-x: auto; max-width: 100%;"))
        #expect(style.contains("tr > :first-child { position: sticky; left: 0;"))
        #expect(style.contains("td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }"))
        #expect(style.contains("td, th {") && style.contains("background: var(--bg)"), "a held column hides what scrolls under it")
        let tables = body.indices.filter { body[$0].name == "table" }
        #expect(tables.count >= 3)
        for table in tables {
            let parent = try #require(body[table].parent)
            #expect(body[parent].name == "div" && body[parent].attributes["class"] == "scroll")
        }
        // Every cell of the epoch table is a number cell, and so is every number written with an exponent
        // (text that looks like a number, a swift_version of 6.3, stays text).
        let epochTable = try #require(tables.last)
        let epochCells = body.indices.filter { body[$0].name == "td" && body[$0].parent.flatMap { body[$0].parent } == epochTable }
        #expect(epochCells.count == 20 * 22 + 1)  // and the note between the ends
        #expect(epochCells.allSatisfy { body[$0].attributes["class"] == "n" || body[$0].attributes["class"] == "gap" })
        let exponents = body.filter { $0.name == "td" && $0.text.contains("e-") && Double($0.text) != nil }
        #expect(!exponents.isEmpty && exponents.allSatisfy { $0.attributes["class"] == "n" })
    }

    @Test("The epoch table is one table: its first and last 10 rows, as the CSV report has them, around a note")
    func epochTableEnds() throws {
        let (_, body) = try read(["1"])
        let csv = try #require(FormatReaders.csv(cli.run(["report", "1", "--csv"]).out))
        let table = try #require(body.indices.last { body[$0].name == "table" })
        let rows = children(of: table, in: body, named: "tr").map { row in
            body.indices.filter { body[$0].parent == row }.map { body[$0].text }
        }
        #expect(rows.count == 1 + 10 + 1 + 10)
        #expect(rows[0] == csv[0] && rows[0].count == 22)
        #expect(Array(rows[1...10]) == Array(csv[1...10]))
        #expect(rows[11].count == 1 && rows[11][0].hasPrefix("10 epochs left out here; all of them: "))
        #expect(Array(rows[12...]) == Array(csv[21...30]))
    }

    @Test("No two elements of a page share an id: each chart's title and description have their own")
    func uniqueIDs() throws {
        let (_, body) = try read(["1"])
        let ids = body.compactMap { $0.attributes["id"] }
        #expect(ids.count >= 8 && Set(ids).count == ids.count, "\(ids)")
        // Each chart is labelled by its own title and description.
        let labelled = body.compactMap { $0.attributes["aria-labelledby"] }.flatMap { $0.split(separator: " ").map(String.init) }
        #expect(!labelled.isEmpty && Set(labelled).isSubset(of: Set(ids)))
    }

    @Test("The page follows the reader's dark scheme: background, text, rules")
    func darkMode() throws {
        let (style, _) = try read(["1"])
        #expect(style.contains(":root { color-scheme: light dark;"))
        #expect(style.contains("@media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #111;"))
        #expect(style.contains("body { font: 14px/1.4 sans-serif; margin: 16px 24px; color: var(--fg); background: var(--bg); }"))
    }

    @Test("Several runs: one comparison table first (the settings that differ, the final figures), charts, then summaries")
    func severalRuns() throws {
        for (lr, epochs) in [("0.5", "30"), ("2", "20")] {
            #expect(cli.run(["run", "--dataset", "xor", "--hidden", "4", "--epochs", epochs, "--lr", lr, "--tag", "sweep=s"]).code == 0)
        }
        #expect(cli.run(["tag", "1", "sweep=s"]).code == 0)
        let (_, body) = try read(["--tag", "sweep=s"])
        // Tagged runs come in the order of the setting they differ in: lr 0.5 (run 2), 1 (run 1), 2 (run 3).
        #expect(body.filter { $0.name == "h2" }.map(\.text)
            == ["Comparison", "Charts", "Summaries", "Epochs of run 2", "Epochs of run 1", "Epochs of run 3"])
        #expect(body.filter { $0.name == "h3" }.map(\.text) == ["Run 2", "Run 1", "Run 3"])
        let first = try #require(body.indices.first { body[$0].name == "table" })
        let charts = try #require(body.indices.first { body[$0].attributes["class"] == "charts" })
        #expect(first < charts)
        let rows = XMLElements.rows(body).prefix(4)
        #expect(rows.first == ["run", "lr", "epochs", "status", "epochs (final)", "final_loss", "accuracy", "worst_rel_error",
                               "gradient_check"])
        let shown = try #require(FormatReaders.csv(cli.run(["show", "2", "--csv"]).out))
        let finalLoss = shown.first { $0.first == "final_loss" }?.last
        #expect(Array(rows.dropFirst()).map { Array($0.prefix(5)) } == [
            ["2", "0.5", "30", "finished", "30"], ["1", "1.0", "30", "finished", "30"], ["3", "2.0", "20", "finished", "20"],
        ])
        #expect(Array(rows)[1][5] == finalLoss)
        #expect(Array(rows).dropFirst().allSatisfy { $0.last == "passed" })
    }

    @Test("Runs that differ in nothing say so above their comparison")
    func sameSettings() throws {
        #expect(cli.run(["run", "--dataset", "xor", "--hidden", "4", "--epochs", "30", "--lr", "1"]).code == 0)
        let (_, body) = try read(["1", "2"])
        #expect(body.contains { $0.name == "p" && $0.text == "The runs have the same settings." })
        #expect(XMLElements.rows(body).first?.first == "run")
    }
}
