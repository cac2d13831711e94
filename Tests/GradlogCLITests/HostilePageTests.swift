import Foundation
import TestSupport
import Testing

/// The several-runs page of the whole corpus of hostile strings (as run names, notes and tags)
/// parses as XML, and its comparison table shows each name by the XML rule.
@Suite struct HostilePageTests {
    @Test("The comparison of every hostile run parses as XML and shows each name as its text")
    func comparisonOfHostileRuns() throws {
        let corpus = try HostileRuns()
        let page = corpus.cli.run(["report"] + corpus.runs.map { String($0.id) } + ["--html"])
        #expect(page.code == 0, "\(page.err)")
        let body = try #require(page.out.range(of: "<body>").flatMap { start in
            page.out.range(of: "</body>").map { String(page.out[start.lowerBound..<$0.upperBound]) }
        })
        let elements = try XMLElements.read(body)
        #expect(!elements.contains { ["img", "script", "a", "iframe", "object"].contains($0.name) })
        let rows = XMLElements.rows(elements)
        let header = try #require(rows.first)
        let name = try #require(header.firstIndex(of: "name"))
        for (index, run) in corpus.runs.enumerated() {
            #expect(rows[index + 1].first == String(run.id) && rows[index + 1][name] == XMLElements.expectedText(run.text), "\(run.label)")
        }
    }
}
