import Foundation
import TestSupport
import Testing
import Training
import Wording

/// Every output format holds the corpus of hostile strings (`HostileStrings`, as run names, notes
/// and tag values) by its own escaping rule: read back, each gives the stored text (CSV, TSV, JSON)
/// or the rule's picture of it (table, Markdown, XML), and none lets the text act as markup, move
/// the terminal or reorder what is shown. Text that is not UTF-8 reads as U+FFFD everywhere.
@Suite struct HostileTextTests {
    let corpus: HostileRuns

    init() throws {
        corpus = try HostileRuns()
    }

    private func show(_ run: HostileRuns.Run, _ format: String...) -> String {
        let result = corpus.cli.run(["show", String(run.id)] + format)
        #expect(result.code == 0, "\(run.label) \(format): \(result.err)")
        return result.out
    }

    /// Checks that the `show` records read back from a format give the run's text in each corpus field.
    private func expectCorpusFields(_ records: [[String]]?, of run: HostileRuns.Run, _ format: String) {
        guard let records else {
            Issue.record("\(format) of run \(run.id) (\(run.label)) does not read back")
            return
        }
        #expect(records.first == ["field", "value"], "\(format), \(run.label)")
        #expect(records.allSatisfy { $0.count == 2 }, "\(format), \(run.label)")
        for field in HostileRuns.fields {
            let values = records.filter { $0.first == field }.map { $0.last }
            #expect(values == [run.text], "\(format), \(run.label), \(field)")
        }
    }

    @Test("The terminal table shows controls, bidi controls and noncharacters escaped, one line per row")
    func terminalTable() throws {
        for run in corpus.runs {
            let table = show(run)
            let records = try #require(FormatReaders.csv(show(run, "--csv")), "\(run.label)")
            #expect(!table.unicodeScalars.contains { $0 != "\n" && HostileRuns.isTerminalUnsafe($0) }, "\(run.label)")
            let lines = table.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == records.count + 1, "\(run.label)")  // a ruler under the header
            let escaped = MessageText.escapingControls(run.text)
            for field in HostileRuns.fields {
                let line = lines.first { $0.hasPrefix(field + " ") }
                #expect(line?.hasSuffix(escaped) == true, "\(run.label), \(field)")
            }
        }
        let runs = corpus.cli.run(["runs"]).out
        #expect(!runs.unicodeScalars.contains { $0 != "\n" && HostileRuns.isTerminalUnsafe($0) })
        #expect(runs.split(separator: "\n").count == corpus.runs.count + 2)
        #expect(runs.contains("invoice\\u202efdp.exe"))
    }

    @Test("Markdown cells hold no HTML and no Markdown markup, and render as the terminal's escaped text")
    func markdown() {
        for run in corpus.runs {
            let markdown = show(run, "--markdown")
            #expect(!markdown.utf8.contains(UInt8(ascii: "<")) && !markdown.utf8.contains(UInt8(ascii: ">")), "\(run.label)")
            let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            for (number, line) in lines.enumerated() where number != 1 {
                guard let cells = FormatReaders.markdownCells(line), cells.count == 2 else {
                    Issue.record("\(run.label): line \(number + 1) is not a row of two cells")
                    continue
                }
                // Between the cells are only pipes and spaces, so the cells hold all there is to check.
                #expect(!cells.contains { $0.unicodeScalars.contains(where: HostileRuns.isTerminalUnsafe) }, "\(run.label)")
                let shown = cells.map(FormatReaders.commonMarkText)
                #expect(!shown.contains(nil), "\(run.label): markup in line \(number + 1)")
                if let field = shown[0], HostileRuns.fields.contains(field) {
                    #expect(shown[1] == MessageText.escapingControls(run.text), "\(run.label), \(field)")
                }
            }
        }
    }

    @Test("CSV reads back, by RFC 4180, to the text as stored")
    func csv() {
        for run in corpus.runs {
            expectCorpusFields(FormatReaders.csv(show(run, "--csv")), of: run, "CSV")
        }
        let runs = FormatReaders.csv(corpus.cli.run(["runs", "--csv"]).out)
        #expect(runs?.dropFirst().map { $0[1] } == corpus.runs.map(\.text))
    }

    @Test("TSV reads back, undoing its four escapes, to the text as stored")
    func tsv() {
        for run in corpus.runs {
            let tsv = show(run, "--tsv")
            #expect(!tsv.contains("\r"), "\(run.label)")
            expectCorpusFields(FormatReaders.tsv(tsv), of: run, "TSV")
        }
    }

    @Test("JSON and JSON Lines parse and read back to the text as stored")
    func json() throws {
        /// `show`'s records from its JSON objects, under a header as the other formats have.
        func records(_ objects: [Any]) -> [[String]] {
            [["field", "value"]] + objects.map { object in
                let members = object as? [String: Any]
                return [members?["field"] as? String ?? "?", members?["value"] as? String ?? "?"]
            }
        }
        for run in corpus.runs {
            let array = try JSONSerialization.jsonObject(with: Data(show(run, "--json").utf8)) as? [Any]
            expectCorpusFields(array.map(records), of: run, "JSON")
            let lines = show(run, "--jsonl").split(separator: "\n")
            let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) }
            expectCorpusFields(records(objects), of: run, "JSON Lines")
        }
    }

    @Test("The HTML report's body parses as XML and its cells read back by the XML rule")
    func htmlReport() throws {
        for run in corpus.runs {
            let page = corpus.cli.run(["report", String(run.id), "--html"])
            #expect(page.code == 0, "\(run.label): \(page.err)")
            let body = try #require(page.out.range(of: "<body>").flatMap { start in
                page.out.range(of: "</body>").map { String(page.out[start.lowerBound..<$0.upperBound]) }
            })
            let elements = try XMLElements.read(body)
            #expect(!elements.contains { ["img", "script", "a"].contains($0.name) }, "\(run.label)")
            let rows = XMLElements.rows(elements)
            for field in HostileRuns.fields {
                let values = rows.filter { $0.first == field }.map { $0.last }
                #expect(!values.isEmpty && values.allSatisfy { $0 == XMLElements.expectedText(run.text) }, "\(run.label), \(field)")
            }
        }
    }

    @Test("The chart's SVG parses as XML and its title shows the run's name as messages do")
    func svg() throws {
        for run in corpus.runs {
            let plot = corpus.cli.run(["plot", String(run.id)])
            #expect(plot.code == 0, "\(run.label): \(plot.err)")
            let elements = try XMLElements.read(plot.out)
            let title = "Loss per epoch, run \(run.id) (\(MessageText.shown(run.text, limit: 30)))"
            #expect(elements.first { $0.name == "title" }?.text == XMLElements.expectedText(title), "\(run.label)")
        }
    }

    @Test("Messages quote hostile text escaped and cut short")
    func messages() {
        for run in corpus.runs {
            let result = corpus.cli.run(["show", "no such run " + run.text])
            #expect(result.code == 1, "\(run.label)")
            #expect(result.err.hasPrefix("Error: no run is 'no such run "), "\(run.label)")
            #expect(!result.err.unicodeScalars.dropLast().contains(where: HostileRuns.isTerminalUnsafe), "\(run.label)")
            #expect(result.err.count < 300, "\(run.label)")
        }
    }
}
