import Foundation
import Testing

/// What the browser saw of the run page's charts (`live_charts` in Tests/Browser/serve_pages.py).
extension ServeBrowserTests {
    /// The loss chart grew without a reload to the epochs written after the page was drawn, its
    /// columns exactly the server's envelope over the domain it grew to; a zoom drew epochs 5 to 15
    /// only, exactly as the series route gives them.
    static func expectLiveCharts(_ charts: [String: Any]) throws {
        let first = try #require(charts["first"] as? [String: Any])
        let grown = try #require(charts["grown"] as? [String: Any])
        let server = try #require(charts["server"] as? [String: Any])
        #expect(charts["probe"] as? String == "not reloaded" && charts["zoom_probe"] as? String == "not reloaded")
        #expect(charts["producer_exit"] as? Int == 0)
        // Drawn with epochs 1 to 4 (the fifth still open); the line's last point moved right as epochs came.
        let firstPoints = first["points"] as? [String] ?? [], grownPoints = grown["points"] as? [String] ?? []
        #expect(firstPoints.count >= 4 && grownPoints.count == 29, "\(first["points"] ?? "") \(grownPoints.count)")
        let firstDomain = try #require(first["x"] as? [Double]), grownDomain = try #require(grown["x"] as? [Double])
        // The domain the page was drawn with was too short for 29 epochs: the script widened it.
        #expect(firstDomain[1] < 29 && grownDomain[1] >= 29, "\(firstDomain) \(grownDomain)")
        #expect(server["x"] as? [Double] == grownDomain)
        #expect(Self.columns(grown["columns"]) == Self.columns(server["columns"]), "the client's columns are the server's envelope")
        #expect(Self.columns(grown["columns"]).filter { $0 != nil }.count == 29)
        // The zoom: epochs 5 to 15 at full resolution, as the series route has them, one point per epoch.
        let zoomed = try #require(charts["zoomed"] as? [String: Any])
        let zoomServer = try #require(charts["zoom_server"] as? [String: Any])
        #expect(zoomed["x"] as? [Double] == [5, 15] && zoomServer["x"] as? [Double] == [5, 15], "\(zoomed["x"] ?? "")")
        #expect(Self.columns(zoomed["columns"]) == Self.columns(zoomServer["columns"]))
        #expect(Self.columns(zoomed["columns"]).filter { $0 != nil }.count == 11)
        #expect((zoomed["points"] as? [String])?.count == 11)
        #expect((charts["zoom_url"] as? String)?.hasSuffix("?from=5&to=15") == true, "\(charts["zoom_url"] ?? "")")
    }

    /// Each column's lowest and highest value (nil for an empty column), from the JSON's `[low, high, others]` or 0.
    static func columns(_ value: Any?) -> [[Double]?] {
        (value as? [Any] ?? []).map { column in
            guard let parts = column as? [Any], parts.count == 3 else { return nil }
            return [parts[0], parts[1]].compactMap { ($0 as? NSNumber)?.doubleValue }
        }
    }
}
