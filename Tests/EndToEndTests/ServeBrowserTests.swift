import Foundation
import TestSupport
import Testing

/// `gradlog serve`'s pages in Chromium with JavaScript running, driven by Selenium through
/// chromium-driver (Tests/Browser/serve_pages.py; scripts/setup installs all three).
@Suite struct ServeBrowserTests {
    static let driver = BinaryRunner.packageRoot.appendingPathComponent("Tests/Browser/serve_pages.py").path

    /// The driver's walk through the pages, started while the run is prepared (see `EarlyStart`):
    /// it waits some seconds on the browser, the server and the runs it starts.
    static let browsing = EarlyStart {
        let directory = try TemporaryDirectory()
        // Debian's python3, for which scripts/setup installs Debian's Selenium (python3-selenium).
        // TMPDIR in the test's directory: Chromium leaves its singleton socket's folder there, not in /tmp.
        return try BinaryRunner.run("/usr/bin/python3", [driver, BinaryRunner.gradlog, directory.path],
                                    environment: ["TMPDIR": directory.path])
    }

    @Test("A run page follows a run written by another process without a reload, the runs page filters, sorts and compares ticked runs, and the pages are complete without JavaScript",
          .startsEarly(ServeBrowserTests.browsing))
    func servePagesInARealBrowser() async throws {
        let result = try await Self.browsing.value()
        try #require(result.code == 0, "\(result.err.suffix(6_000))")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])

        // Live: the step and the epoch table advance, then the final status shows, in the same page.
        let first = try #require(seen["first"] as? [String: Any])
        let second = try #require(seen["second"] as? [String: Any])
        let ended = try #require(seen["ended"] as? [String: Any])
        #expect(first["status"] as? String == "running")
        #expect(Int(first["step"] as? String ?? "") ?? 0 >= 3, "\(first)")
        #expect(second["step"] as? String == "12" && second["epoch"] as? String == "12", "\(second)")
        // Epochs 1 to 11 in the table: the twelfth is still open (it has no row until the run ends).
        #expect(second["rows"] as? Int == 11 && second["status"] as? String == "running", "\(second)")
        #expect(Double(second["loss"] as? String ?? "") == 0.7 / 12, "\(second)")
        #expect(second["probe"] as? String == "not reloaded")
        #expect(seen["producer_exit"] as? Int == 0)
        #expect(ended["status"] as? String == "finished", "\(ended)")
        #expect((ended["note"] as? String)?.contains("the run ended: finished") == true, "\(ended)")
        #expect(ended["probe"] as? String == "not reloaded")
        // The parameters chart drawn again by the server and swapped in by the script, without a reload.
        let params = try #require(seen["params_chart"] as? [String: Any])
        #expect(params["src"] as? String == "/runs/\(seen["live_run"] as? Int ?? 0)/chart.svg?chart=params&step=12", "\(params)")
        #expect((params["type"] as? String)?.hasPrefix("image/svg+xml") == true, "\(params)")
        #expect((params["svg"] as? String)?.contains("Parameters per epoch") == true, "\(params["svg"] ?? "")")
        // Each epoch once, in order: those drawn with the page, then those the stream appended.
        #expect(ended["epochs"] as? [String] == (1...12).map(String.init), "\(ended)")

        // The runs page: the form keeps the finished lesson runs; a heading sorts by final loss, then the other way.
        let names = { (key: String) -> [String] in
            let rows = (seen[key] as? [String: Any])?["rows"] as? [[String: Any]] ?? []
            return rows.compactMap { $0["name"] as? String }
        }
        #expect(((seen["all_rows"] as? [[String: Any]]) ?? []).count == 5)
        #expect(names("filtered") == ["lesson-short", "lesson-long", "lesson-mid"], "\(seen["filtered"] ?? "")")
        #expect(((seen["filtered"] as? [String: Any])?["url"] as? String)?.contains("status=finished") == true)
        // More epochs of the lesson, lower final loss.
        #expect(names("ascending") == ["lesson-long", "lesson-mid", "lesson-short"], "\(seen["ascending"] ?? "")")
        #expect(names("descending") == ["lesson-short", "lesson-mid", "lesson-long"], "\(seen["descending"] ?? "")")
        #expect((seen["ascending"] as? [String: Any])?["heading"] as? String == "final_loss ▲")
        #expect((seen["descending"] as? [String: Any])?["heading"] as? String == "final_loss ▼")
        // Two runs ticked on the runs page: the compare page's table has a row for each, in the runs page's order.
        let compare = try #require(seen["compare"] as? [String: Any])
        let ticked = try #require(compare["ids"] as? [Int])
        #expect(compare["url"] as? String == "/compare?run=\(ticked.min()!)&run=\(ticked.max()!)", "\(compare)")
        #expect(compare["rows"] as? [String] == ticked.sorted().map(String.init), "\(compare)")
        #expect(compare["charts"] as? Int ?? 0 >= 2, "\(compare)")
        #expect((seen["console"] as? [String]) == [], "\(seen["console"] ?? "")")
        try Self.expectLiveCharts(try #require(seen["charts"] as? [String: Any]))

        // Without JavaScript: the run page as drawn (the final status, every epoch, the charts, the exports).
        let run = try #require(seen["static_run"] as? [String: Any])
        let id = try #require(seen["live_run"] as? Int)
        #expect(run["status"] as? String == "finished" && run["step"] as? String == "12", "\(run)")
        #expect(run["rows"] as? Int == 12)
        #expect(run["charts"] as? Int ?? 0 >= 2, "\(run)")
        #expect((run["headings"] as? [String])?.contains("Epochs") == true, "\(run)")
        #expect(run["exports"] as? [String] == ["csv", "json", "md"].map { "/runs/\(id)/epochs.\($0)" })
        let failed = (seen["static_runs"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(failed == ["crashed"])
        #expect(seen["static_compare"] as? [String] == ticked.sorted().map(String.init), "\(seen["static_compare"] ?? "")")
        try Self.expectRunsLive(seen)
    }
}
