import Foundation
import Testing
import TestSupport
import SQLiteDB
import Tracker
@testable import GradlogServe

/// The shared poll of a watched run (`RunFeed`), the chart images the run page swaps in, and the
/// runs page's count, `user` column and rows that leave its filter.
@Suite struct RunFeedTests {
    /// The epochs rows of an `epochs` event, by their first value (the epoch).
    static func epochs(_ text: String) -> [Int] {
        text.matches(of: /event: epochs\ndata: (.*)\n/).flatMap { match -> [Int] in
            guard let data = String(match.1).data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let rows = object["rows"] as? [[Any]] else { return [] }
            return rows.compactMap { $0.first as? Int }
        }
    }

    @Test("Streams of one run share one feed: each gets exactly the epoch rows after its own, formatted once for all")
    func streamsShareOneFeed() throws {
        let database = try ServedDatabase()
        let run = try database.addRun(name: "live", steps: 40, perEpoch: 2, finish: false)
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        let feeds = RunFeeds()
        let feed = feeds.feed(of: 1, interval: .milliseconds(250))
        #expect(feeds.feed(of: 1, interval: .milliseconds(250)) === feed)
        #expect(feeds.feed(of: 2, interval: .milliseconds(250)) !== feed)
        var streams = [(Int64(5), [Int]()), (Int64(12), []), (Int64(2), [])].map { start, _ in
            var stream = EventStream(store: shared, runID: 1, after: (step: 0, epoch: start))
            stream.feed = feed
            return (start, stream.makeAsyncIterator())
        }
        var texts = Array(repeating: "", count: streams.count)
        for index in streams.indices { texts[index] = try streams[index].1.pollText() }
        // Epochs 1 to 19 have rows (the twentieth is still open); each stream starts after its own.
        #expect(Self.epochs(texts[0]) == Array(6...19))
        #expect(Self.epochs(texts[1]) == Array(13...19))
        #expect(Self.epochs(texts[2]) == Array(3...19), "behind the window: read for it, then shared")
        for step in 41...50 { try run.log(ServedDatabase.step(step, perEpoch: 2)) }
        try run.finish(status: .finished)
        // The next poll of each (the feed's interval has passed) sends the new rows once, then the end.
        Thread.sleep(forTimeInterval: 0.3)
        for index in streams.indices {
            let text = try streams[index].1.pollText()
            #expect(Self.epochs(text) == Array(20...25), "\(streams[index].0): \(text)")
            #expect(text.contains("event: end") && text.contains("id: 50:25"), "\(text)")
        }
    }

    @Test("Clients that keep up get one array of the rows' event between them, not a copy each")
    func clientsShareTheRowsEvent() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "live", steps: 40, perEpoch: 2, finish: false)
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        let feed = RunFeeds().feed(of: 1, interval: .milliseconds(250))
        var iterators = (0..<2).map { _ in
            var stream = EventStream(store: shared, runID: 1, after: (step: 0, epoch: 4))
            stream.feed = feed
            return stream.makeAsyncIterator()
        }
        let parts = try iterators.indices.map { try iterators[$0].poll() }
        let events = parts.map { $0[0] }
        #expect(String(decoding: events[0], as: UTF8.self).hasPrefix("event: epochs\n"))
        #expect(events[0] == events[1])
        let addresses = events.map { $0.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } }
        #expect(addresses[0] == addresses[1], "one array for both")
    }

    /// A finished run of 10,000 one-step epochs, and its feed, whose window a client following from
    /// epoch 9,000 has filled with the last 1,000 (the database is returned to keep it while used).
    private static func feedWithAClientAhead() throws -> (ServedDatabase, SharedStore, RunFeed) {
        let database = try ServedDatabase()
        try database.addRun(name: "long", steps: 10_000, perEpoch: 1, commitEachStep: false)
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        let feed = RunFeeds().feed(of: 1, interval: .milliseconds(1))
        var ahead = EventStream(store: shared, runID: 1, after: (step: 0, epoch: 9_000))
        ahead.feed = feed
        var first = ahead.makeAsyncIterator()
        #expect(Self.epochs(try first.pollText()) == Array(9_001...10_000))
        return (database, shared, feed)
    }

    @Test("A client further behind than the window reads its own rows, a batch at a time, and still gets every epoch once")
    func aClientFarBehindReadsItsOwn() throws {
        let (database, shared, feed) = try Self.feedWithAClientAhead()
        defer { withExtendedLifetime(database) {} }
        var behind = EventStream(store: shared, runID: 1, after: (step: 0, epoch: 0))
        behind.feed = feed
        var late = behind.makeAsyncIterator()
        var received: [Int] = []
        var ended = false
        for _ in 0..<10 where !ended {
            let text = try late.pollText()
            received += Self.epochs(text)
            ended = text.contains("event: end")
        }
        #expect(ended && received == Array(1...10_000))
    }

    @Test("Clients far behind from different epochs meet at a multiple of the batch, then share one read of each batch")
    func clientsFarBehindShareTheirReads() throws {
        let (database, shared, feed) = try Self.feedWithAClientAhead()
        defer { withExtendedLifetime(database) {} }
        var iterators = [Int64(100), 1_500].map { start in
            var stream = EventStream(store: shared, runID: 1, after: (step: 0, epoch: start))
            stream.feed = feed
            return stream.makeAsyncIterator()
        }
        // Each one's first read ends at epoch 2,000; from there on both ask for the same rows.
        #expect(Self.epochs(String(decoding: try iterators[0].poll()[0], as: UTF8.self)) == Array(101...2_000))
        #expect(Self.epochs(String(decoding: try iterators[1].poll()[0], as: UTF8.self)) == Array(1_501...2_000))
        let events = try iterators.indices.map { try iterators[$0].poll()[0] }
        #expect(Self.epochs(String(decoding: events[0], as: UTF8.self)) == Array(2_001...4_000))
        let addresses = events.map { $0.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } }
        #expect(addresses[0] == addresses[1], "one read and one array for both")
        var received = Array(2_001...4_000)
        var ended = false
        for _ in 0..<10 where !ended {
            let text = try iterators[1].pollText()
            received += Self.epochs(text)
            ended = text.contains("event: end")
        }
        #expect(ended && received == Array(2_001...10_000))
    }

    @Test("The parameters and gradient-check charts of a running run are drawn again at /runs/ID/chart.svg; bad queries get 400")
    func chartImages() throws {
        let database = try ServedDatabase()
        let run = try database.addRun(name: "live", steps: 30, perEpoch: 3, finish: false)
        let app = try database.app()
        let page = app.get("/runs/1").bodyText
        #expect(page.contains("<div class=\"refresh-chart\" data-chart=\"params\">"), "\(page.prefix(300))")
        #expect(page.contains("<div class=\"refresh-chart\" data-chart=\"gradcheck\">"))
        for name in ["params", "gradcheck"] {
            let image = app.get("/runs/1/chart.svg?chart=\(name)&step=30")
            #expect(image.status == 200 && image.header("Content-Type") == "image/svg+xml; charset=utf-8")
            #expect(image.bodyText.hasPrefix("<svg") && image.bodyText.contains(name == "params" ? "Parameters per epoch" : "Gradient check per step"))
        }
        for bad in ["chart=loss", "chart=params&chart=params", "chart=params&step=x", "", "chart=params&from=1"] {
            #expect(app.get("/runs/1/chart.svg?\(bad)").status == 400, "\(bad)")
        }
        #expect(app.get("/runs/9/chart.svg?chart=params").status == 404)
        try run.finish(status: .finished)
        #expect(!app.get("/runs/1").bodyText.contains("refresh-chart"), "a finished run's charts are final")
    }

    @Test("The runs page counts its runs in an element the script updates and shows who ran each run")
    func countAndUser() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "one")
        try database.addRun(name: "two")
        try Database(path: database.path).execute("UPDATE runs SET run_by = CASE id WHEN 2 THEN 'ann' END")
        let page = try database.app().get("/").bodyText
        #expect(page.contains("<span id=\"runs-count\" data-count=\"2\">2 runs</span>"))
        #expect(RunsPageTests.cells(page, "user") == ["", "ann"])
        #expect(RunsScript.source.contains("recount(-1)") && RunsScript.source.contains("run.leaves"))
    }

    @Test("A followed run that no longer passes the page's filter is sent as leaving, and no longer followed")
    func aRunLeavesTheFilter() throws {
        let database = try ServedDatabase()
        let run = try database.addRun(name: "live", steps: 4, finish: false)
        let store = try Store(path: database.path, access: .readOnly)
        var filter = RunFilter()
        filter.status = "running"
        var poller = RunsPoller(filter: filter, after: 1, following: [1])
        let first = try poller.poll(RunCatalog(store: store))
        #expect(first.contains("\"leaves\":false") && first.contains("\"status\":\"running\""), "\(first)")
        try run.finish(status: .finished)
        let second = try poller.poll(RunCatalog(store: store))
        #expect(second.contains("\"id\":1,\"new\":false,\"leaves\":true"), "\(second)")
        #expect(poller.following.isEmpty)
    }
}

extension EventStream.Iterator {
    /// The events of one poll as text, its parts joined.
    mutating func pollText() throws -> String {
        String(decoding: try poll().joined(), as: UTF8.self)
    }
}
