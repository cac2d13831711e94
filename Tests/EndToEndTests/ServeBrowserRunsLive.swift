import Foundation
import Testing

extension ServeBrowserTests {
    /// Judges serve_pages.py's `runs_live`: on the open runs page a run started by another process
    /// gets its row, its steps advance, the page sorts by latest_loss (a progress column) with the
    /// running run first, and on that page the run's final status shows, all without a reload.
    static func expectRunsLive(_ seen: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let live = try #require(seen["runs_live"] as? [String: Any], sourceLocation: sourceLocation)
        let id = try #require(live["run"] as? Int, sourceLocation: sourceLocation)
        let cells = { (key: String) -> [String: String] in (live[key] as? [String: Any])?["cells"] as? [String: String] ?? [:] }
        let appeared = try #require(live["appeared"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(cells("appeared")["name"] == "runs-live" && cells("appeared")["status"] == "running", "\(appeared)", sourceLocation: sourceLocation)
        #expect(appeared["last"] as? Int == id, "inserted as the last row of a page ordered by id", sourceLocation: sourceLocation)
        #expect(appeared["tags"] as? [String] == ["kind=<b>live</b>"], "a tag as text, not markup", sourceLocation: sourceLocation)
        #expect(cells("moved")["steps"] == "8" && (live["moved"] as? [String: Any])?["probe"] as? String == "runs page not reloaded",
                "\(live["moved"] ?? "")", sourceLocation: sourceLocation)
        #expect(Double(cells("moved")["latest_loss"] ?? "") == Double(String(format: "%.6g", 0.7 / 8)), sourceLocation: sourceLocation)
        let sorted = try #require(live["sorted"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(sorted["url"] as? String == "/?sort=latest_loss&order=desc" && sorted["first"] as? Int == id, "\(sorted)", sourceLocation: sourceLocation)
        #expect(cells("ended")["status"] == "finished" && cells("ended")["latest_loss"] == "" && cells("ended")["final_loss"] == "0.0875",
                "\(live["ended"] ?? "")", sourceLocation: sourceLocation)
        #expect((live["ended"] as? [String: Any])?["probe"] as? String == "sorted page not reloaded", sourceLocation: sourceLocation)
        let epochs = (live["by_epoch"] as? [String] ?? []).compactMap(Int.init)
        #expect(epochs.count == id && epochs == epochs.sorted(), "\(live["by_epoch"] ?? "")", sourceLocation: sourceLocation)
        #expect(live["console"] as? [String] == [], "\(live["console"] ?? "")", sourceLocation: sourceLocation)
        // Who ran it, in the `user` column, and the run count one more without a reload.
        #expect(cells("appeared")["user"] == "tester", "\(appeared)", sourceLocation: sourceLocation)
        let before = Int((live["count_before"] as? String ?? "").prefix { $0.isNumber }) ?? -1
        #expect(before > 0 && appeared["count"] as? String == "\(before + 1) runs", "\(live["count_before"] ?? "") \(appeared)",
                sourceLocation: sourceLocation)
        try expectRunsLeaving(seen, sourceLocation: sourceLocation)
    }

    /// Judges serve_pages.py's `runs_leaving`: on the page of running runs, a run that ends leaves
    /// the table and the count, without a reload.
    static func expectRunsLeaving(_ seen: [String: Any], sourceLocation: SourceLocation) throws {
        let leaving = try #require(seen["runs_leaving"] as? [String: Any], sourceLocation: sourceLocation)
        let before = try #require(leaving["before"] as? [String: Any], sourceLocation: sourceLocation)
        let after = try #require(leaving["after"] as? [String: Any], sourceLocation: sourceLocation)
        let runs = before["rows"] as? Int ?? 0
        #expect(runs >= 1 && before["count"] as? String == "\(runs) run\(runs == 1 ? "" : "s")", "\(before)", sourceLocation: sourceLocation)
        #expect(after["rows"] as? Int == runs - 1 && after["count"] as? String == "\(runs - 1) run\(runs - 1 == 1 ? "" : "s")",
                "\(after)", sourceLocation: sourceLocation)
        #expect(after["probe"] as? String == "filtered page not reloaded" && leaving["exit"] as? Int == 0, "\(leaving)",
                sourceLocation: sourceLocation)
    }
}
