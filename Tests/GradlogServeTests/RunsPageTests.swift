import Foundation
import Testing
import TestSupport
import Tracker
import Training
@testable import GradlogServe

/// The runs page's columns, sort keys and text filter, and its live stream (`/events`).
@Suite struct RunsPageTests {
    /// A native run of `dataset` with `lr`, `epochs` and, for a network, `hidden` layers.
    static func train(_ database: ServedDatabase, dataset: Dataset = .lesson, lr: Double, epochs: Int, hidden: [Int] = [],
                      name: String = "", tags: [(key: String, value: String)] = []) throws {
        var config = TrainingConfig()
        config.learningRate = lr
        config.epochs = epochs
        config.hidden = hidden
        if !hidden.isEmpty { config.activation = .tanh }
        _ = try RunExecutor.execute(RunRequest(dataset: dataset, config: config, name: name, tags: tags), in: try Store(path: database.path))
    }

    /// The run ids of a runs page's rows, in order.
    static func ids(_ page: String) -> [Int] {
        page.matches(of: /<tr data-run="(\d+)"/).compactMap { Int($0.1) }
    }

    /// The text of one column's cells, row by row.
    static func cells(_ page: String, _ column: String) -> [String] {
        page.matches(of: /<td[^>]* data-col="([a-z_]+)"[^>]*>([^<]*)</).filter { String($0.1) == column }.map { String($0.2) }
    }

    @Test("The runs page shows gradlog runs' key settings with a network's hidden layers and activation, and sorts by every column it shows")
    func keySettingsAndEverySortKey() throws {
        let database = try ServedDatabase()
        try Self.train(database, lr: 0.5, epochs: 4, name: "mid")
        try Self.train(database, dataset: .xor, lr: 1.5, epochs: 3, hidden: [3], name: "net")
        try Self.train(database, lr: 0.1, epochs: 6, name: "slow")
        let live = try database.addRun(name: "live", steps: 7, perEpoch: 2, finish: false)
        let app = try database.app()
        let page = app.get("/").bodyText
        let headings = page.matches(of: /<th data-col="([a-z_]+)">/).map { String($0.1) }
        #expect(headings == RunCatalog.overviewColumns + ["tags"], "\(headings)")
        #expect(Self.cells(page, "dataset") == ["lesson", "xor", "lesson", ""] && Self.cells(page, "hidden") == ["", "3", "", ""])
        #expect(Self.cells(page, "activation") == ["sigmoid", "tanh", "sigmoid", ""])
        // Every heading but the tags' is a link that sorts by it.
        #expect(page.contains("<th data-col=\"id\"><a href=\"/?order=desc\">id ▲</a>"), "the current order, the other way")
        for column in RunCatalog.overviewColumns.dropFirst() {
            let key = column == "steps" ? "step_count" : column
            #expect(page.contains("<th data-col=\"\(column)\"><a href=\"/?sort=\(key)"), "\(column)")
        }
        for key in RunsPage.sortKeys {
            for order in ["asc", "desc"] {
                let response = app.get("/?sort=\(key)&order=\(order)")
                #expect(response.status == 200 && Set(Self.ids(response.bodyText)) == [1, 2, 3, 4], "\(key) \(order)")
            }
        }
        #expect(Self.ids(app.get("/?sort=lr").bodyText) == [4, 3, 1, 2], "NULL first, then by size")
        // Epochs 6, 4 (ends first, by id the other way too), 4, 3.
        #expect(Self.ids(app.get("/?sort=epoch&order=desc").bodyText) == [3, 4, 1, 2])
        // Only the running run has a latest loss and a rate: last going up, first going down.
        #expect(Self.ids(app.get("/?sort=latest_loss&order=desc").bodyText).first == 4)
        #expect(Self.ids(app.get("/?sort=steps_per_s").bodyText).last == 4)
        #expect(Self.cells(app.get("/?sort=latest_loss&order=desc").bodyText, "latest_loss").first == String(format: "%.6g", 1 / 7.0))
        #expect(app.get("/?sort=latest_lossx").status == 400 && app.get("/?sort=final_loss;DROP").status == 400)
        try live.finish(status: .finished)
    }

    @Test("The text filter finds runs by name, note, dataset or a tag's key and value, in any case, and takes hostile text as a plain value")
    func textFilter() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "Alpha run", tags: [(key: "owner", value: "ann")], steps: 2)
        try database.addRun(name: "beta", tags: [(key: "team", value: "vision")], steps: 2)
        try Self.train(database, dataset: .xor, lr: 0.5, epochs: 2, name: "gamma")
        let writer = try Store(path: database.path)
        try writer.db.execute("UPDATE runs SET note = 'retry after the ALPHA crash' WHERE id = 2")
        let app = try database.app()
        #expect(Self.ids(app.get("/?text=alpha").bodyText) == [1, 2], "name and note, any case")
        #expect(Self.ids(app.get("/?text=owner%3Dann").bodyText) == [1] && Self.ids(app.get("/?text=VISION").bodyText) == [2])
        #expect(Self.ids(app.get("/?text=xor").bodyText) == [3] && Self.ids(app.get("/?text=team").bodyText) == [2])
        #expect(Self.ids(app.get("/?text=alpha&status=finished&name=beta").bodyText) == [2])
        #expect(app.get("/?text=nobody").bodyText.contains("0 runs</span> in"))
        for injection in ["%' OR 1=1 --", "') OR ('1'='1", "*", "_", "%"] {
            let page = app.get("/?text=" + QueryString.encode(injection))
            #expect(page.status == 200 && Self.ids(page.bodyText).isEmpty, "\(injection)")
        }
        #expect(app.get("/?text=" + String(repeating: "x", count: 201)).status == 400)
        #expect(app.get("/?text=a&text=b").status == 400)
    }

    @Test("Hostile names and tags are found by the text filter as they are, and escaped on the page and in its links")
    func hostileTextFilter() throws {
        let database = try ServedDatabase()
        for (index, entry) in HostileStrings.texts.enumerated() {
            try database.addRun(name: entry.text, tags: [(key: "k\(index)", value: entry.text)], steps: 1)
        }
        let app = try database.app()
        for (index, entry) in HostileStrings.texts.enumerated() {
            let response = app.get("/?text=" + QueryString.encode(entry.text))
            let plain = entry.text.count <= RunsPage.Query.textLimit && !entry.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
            guard plain else {
                #expect(response.status == 400, "\(entry.label): refused, not guessed at")
                continue
            }
            #expect(response.status == 200, "\(entry.label)")
            #expect(Self.ids(response.bodyText).contains(index + 1), "\(entry.label)")
            ServeTests.expectOnlyOwnMarkup(response.bodyText)
        }
        // A long tag is cut in its cell, whole in its title.
        let page = app.get("/").bodyText
        #expect(page.contains("title=\"k\(HostileStrings.texts.count - 1)=&lt;b&gt;&amp;|*_`[x]"))
        #expect(page.contains("<div class=\"tagbox\">"))
    }

    @Test("The runs page names its live stream with its filter, the last run id and its running runs, and says where new runs go")
    func liveStreamAddressAndInsertMode() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "done", steps: 2)
        let live = try database.addRun(name: "live", tags: [(key: "k", value: "a b")], steps: 2, finish: false)
        let app = try database.app()
        let page = app.get("/").bodyText
        #expect(page.contains("data-events=\"/events?after=2&amp;run=2\" data-insert=\"bottom\""), "\(page)")
        #expect(page.contains("<script src=\"/runs.js\" defer></script>") && !page.contains("live.js"))
        #expect(app.get("/?order=desc").bodyText.contains("data-insert=\"top\""))
        #expect(app.get("/?sort=name").bodyText.contains("data-insert=\"none\""))
        #expect(app.get("/?text=a%20b&tag=k%3Da+b").bodyText.contains("data-events=\"/events?tag=k%3Da%20b&amp;text=a%20b&amp;after=2&amp;run=2\""))
        #expect(page.contains("<p id=\"runs-new\" hidden>"))
        let script = app.get("/runs.js")
        #expect(script.status == 200 && script.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(script.bodyText.contains("textContent") && !script.bodyText.contains("innerHTML") && !script.bodyText.contains("eval("))
        #expect(app.get("/runs.js?x=1").status == 400)
        try live.finish(status: .finished)
    }

    @Test("The runs stream refuses bad parameters and answers with server-sent events")
    func streamParameters() throws {
        let database = try ServedDatabase()
        try database.addRun(steps: 1)
        let app = try database.app()
        let stream = app.get("/events?after=1&run=1&status=running&tag=a%3Db&text=x&name=y")
        #expect(stream.status == 200 && stream.header("Content-Type") == "text/event-stream; charset=utf-8")
        for query in ["after=x", "after=1&after=2", "run=0", "run=-1", "sort=id", "page=2", "order=desc", "status=bogus", "color=red",
                      (1...201).map { "run=\($0)" }.joined(separator: "&")] {
            #expect(app.get("/events?" + query).status == 400, "\(query)")
        }
        #expect(app.get("/events", headers: ["last-event-id": ["x"]]).status == 400)
    }

    @Test("The runs stream sends a new run as it starts, then its row whenever it moves, its final status, and nothing once it ended")
    func streamSendsNewRunsAndStatusChanges() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "old", steps: 2)
        let catalog = RunCatalog(store: try Store(path: database.path, access: .readOnly))
        var poller = RunsPoller(filter: RunFilter(), after: try catalog.lastRunID(), following: [])
        #expect(try poller.poll(catalog) == "")
        let run = try database.addRun(name: "new <run>", tags: [(key: "sweep", value: "s")], steps: 3, perEpoch: 1, finish: false)
        let first = try poller.poll(catalog)
        #expect(first.hasPrefix("id: 2\nevent: run\ndata: {\"id\":2,\"new\":true,\"leaves\":false,\"status\":\"running\""), "\(first)")
        #expect(first.contains("\"name\":\"new <run>\"") && first.contains("\"tags\":[[\"sweep\",\"s\"]]") && first.contains("\"steps\":\"3\""))
        _ = try poller.poll(catalog)
        #expect(try poller.poll(catalog) == "", "nothing moved")
        try run.log(ServedDatabase.step(4, perEpoch: 1))
        let moved = try poller.poll(catalog)
        #expect(moved.contains("\"new\":false,\"leaves\":false,\"status\":\"running\"") && moved.contains("\"steps\":\"4\"") && !moved.contains("id: "), "\(moved)")
        try run.finish(status: .finished)
        let ended = try poller.poll(catalog)
        #expect(ended.contains("\"status\":\"finished\"") && ended.contains("\"final_loss\":\"0.25\""), "\(ended)")
        #expect(try poller.poll(catalog) == "")
        #expect(poller.following.isEmpty)
    }

    @Test("The runs stream sends only new runs that pass the page's filter, read after the last id it sent")
    func streamFollowsTheFilter() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "drop me", steps: 1)
        let catalog = RunCatalog(store: try Store(path: database.path, access: .readOnly))
        var filter = RunFilter()
        filter.text = "keep"
        var poller = RunsPoller(filter: filter, after: 0, following: [])
        try database.addRun(name: "keep me", steps: 1)
        let text = try poller.poll(catalog)
        #expect(text.contains("\"id\":2,") && !text.contains("\"id\":1,"), "\(text)")
        #expect(poller.after == 2 && poller.following.isEmpty, "a finished run is not followed")
        #expect(try poller.poll(catalog) == "")
    }

    @Test("Hostile names and tags reach the runs stream as JSON strings on one data line each, as they are")
    func hostileStream() throws {
        let database = try ServedDatabase()
        try database.addRun(steps: 1)
        let catalog = RunCatalog(store: try Store(path: database.path, access: .readOnly))
        var poller = RunsPoller(filter: RunFilter(), after: 1, following: [])
        for (index, entry) in HostileStrings.texts.enumerated() {
            try database.addRun(name: entry.text, tags: [(key: "k\(index)", value: entry.text)], steps: 1)
        }
        let text = try poller.poll(catalog)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 3 * HostileStrings.texts.count, "id, event and data of each run")
        #expect(lines.allSatisfy { $0.hasPrefix("id: ") || $0 == "event: run" || $0.hasPrefix("data: {") }, "no line broken by a name")
        #expect(!text.contains("\r"))
        for (line, entry) in zip(lines.filter { $0.hasPrefix("data: ") }, HostileStrings.texts) {
            let object = try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]
            #expect((object?["cells"] as? [String: String])?["name"] == entry.text, "\(entry.label)")
            #expect((object?["tags"] as? [[String]])?.first?.last == entry.text, "\(entry.label)")
        }
    }

    @Test("The runs stream, as the server sends it, starts with a new run's event")
    func streamIterator() async throws {
        let database = try ServedDatabase()
        try database.addRun(name: "first", steps: 1)
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        var stream = try RunsEventStream(store: shared, pairs: [("after", "0")], lastEventID: nil)
        stream.interval = .milliseconds(10)
        var iterator = stream.makeAsyncIterator()
        var text = ""
        while !text.contains("\"new\":true"), let chunk = try await iterator.nextBuffer(suggested: 4_096) {
            text += String(decoding: chunk, as: UTF8.self)
        }
        #expect(text.hasPrefix("retry: 1000\n\n") && text.contains("id: 1\nevent: run"), "\(text)")
        var resumed = try RunsEventStream(store: shared, pairs: [("after", "0")], lastEventID: "1")
        resumed.lifetime = .milliseconds(50)
        var rest = ""
        var later = resumed.makeAsyncIterator()
        while let chunk = try await later.nextBuffer(suggested: 4_096) { rest += String(decoding: chunk, as: UTF8.self) }
        #expect(!rest.contains("event: run"), "Last-Event-ID resumes after the runs already sent: \(rest)")
    }
}
