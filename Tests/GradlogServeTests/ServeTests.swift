import Foundation
import Testing
import TestSupport
import Tracker
@testable import GradlogServe

/// A database with runs written through Tracker, and the web app over it, read-only.
final class ServedDatabase {
    let directory: TemporaryDirectory
    let path: String

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.file("runs.db")
    }

    /// A finished run of `steps` steps, `perEpoch` to an epoch, with `name` and `tags`; each step
    /// committed as it is logged unless `commitEachStep` is false, when only the first one is (a
    /// commit pauses 2 ms for other writers, 20 s over 10,000 steps, and no reader sees a finished
    /// run's commits in between).
    @discardableResult
    func addRun(name: String = "", tags: [(key: String, value: String)] = [], config: String = "{}", steps: Int = 20, perEpoch: Int = 2,
                finish: Bool = true, commitEachStep: Bool = true) throws -> ExternalRun {
        let store = try Store(path: path)
        let setup = ExternalRunSetup(name: name, tags: tags, configJSON: config, parameterNames: ["w", "b"])
        let run = try ExternalRun(store: store, setup: setup, commitInterval: commitEachStep ? 0 : 3_600)
        for step in 1...max(steps, 1) where steps > 0 {
            try run.log(Self.step(step, perEpoch: perEpoch))
        }
        if finish { try run.finish(status: .finished) }
        return run
    }

    static func step(_ step: Int, perEpoch: Int) -> ExternalStep {
        ExternalStep(step: step, epoch: (step + perEpoch - 1) / perEpoch, loss: 1 / Double(step),
                     values: [Double(step), -Double(step)], analytic: [0.5, 0.25], numeric: [0.5, 0.25])
    }

    func app(port: Int = 8421, host: String = "127.0.0.1", token: String? = nil) throws -> WebApp {
        WebApp(store: try Store(path: path, access: .readOnly), guardian: RequestGuard(host: host, port: port, token: token))
    }
}

extension WebApp {
    func get(_ target: String, host: String? = "127.0.0.1:8421", headers: [String: [String]] = [:]) -> WebResponse {
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        var all = headers
        if let host { all["host"] = [host] }
        return respond(to: WebRequest(path: parts[0], query: parts.count > 1 ? parts[1] : "", headers: all))
    }
}

@Suite struct ServeTests {
    @Test func theRunsAndRunPagesAnswerWithTheContentSecurityPolicyAndTheExportsAreTheReportsBytes() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "first", tags: [(key: "sweep", value: "a")])
        let app = try database.app()
        for target in ["/", "/runs/1", "/live.js", "/runs/1/epochs.csv", "/runs/1/epochs.json", "/runs/1/epochs.md"] {
            let response = app.get(target)
            #expect(response.status == 200, "\(target): \(response.bodyText)")
            #expect(response.header("Content-Security-Policy")?.contains("default-src 'none'; script-src 'self'") == true)
            #expect(response.header("X-Content-Type-Options") == "nosniff")
        }
        let runs = app.get("/").bodyText
        #expect(runs.contains("<a href=\"/runs/1\">first</a>") && runs.contains("sweep=a") && runs.contains("passed"))
        let run = app.get("/runs/1").bodyText
        #expect(run.contains("data-run=\"1\"") && run.contains("<svg") && run.contains("<script src=\"/live.js\" defer></script>"))
        #expect(!run.contains("<script>") && !runs.contains("<script>"), "no inline script")
        let csv = app.get("/runs/1/epochs.csv").bodyText
        #expect(csv.hasPrefix("epoch,steps,mean_loss,w,b,worst_rel_error,accuracy\r\n1,2,0.75,"))
        #expect(csv.split(separator: "\r\n").count == 11)
        #expect(app.get("/runs/1/epochs.json").bodyText.hasPrefix("[\n{\"epoch\": 1, "))
    }

    @Test("A running run's page asks the stream for the epochs after the table's last row, so an epoch still open is appended later")
    func theLivePageStartsAfterTheLastEpochRowDrawn() throws {
        let database = try ServedDatabase()
        // Steps 1 to 5, two to an epoch: epochs 1 and 2 have rows, epoch 3 is open.
        let run = try database.addRun(steps: 5, perEpoch: 2, finish: false)
        let page = try database.app().get("/runs/1").bodyText
        #expect(page.contains("data-step=\"5\" data-epoch=\"2\""), "\(page.prefix(2_000))")
        #expect(page.contains("epoch <span id=\"live-epoch\">3</span>"))
        try run.finish(status: .finished)
        #expect(try database.app().get("/runs/1").bodyText.contains("data-step=\"5\" data-epoch=\"3\""))
    }

    @Test func unknownRunsPathsAndMethodsAreRefused() throws {
        let database = try ServedDatabase()
        try database.addRun()
        let app = try database.app()
        for target in ["/runs/2", "/runs/0", "/runs/01", "/runs/-1", "/runs/1%20", "/runs/abc", "/runs/1/x", "/etc/passwd",
                       "/runs/1/../../etc/passwd", "/runs/99999999999999999999"] {
            #expect(app.get(target).status == 404, "\(target)")
        }
        #expect(app.respond(to: WebRequest(method: "POST", path: "/", headers: ["host": ["127.0.0.1:8421"]])).status == 405)
    }

    @Test func badQueryParametersAreRefusedWith400() throws {
        let database = try ServedDatabase()
        try database.addRun()
        let app = try database.app()
        for query in ["sort=bogus", "sort=id;DROP TABLE runs", "order=up", "page=0", "page=-1", "page=1e3", "status=done",
                      "color=red", "name=%zz", "name=%00", "page=1&page=2", "tag=novalue", "name"] {
            #expect(app.get("/?" + query).status == 400, "\(query)")
        }
        for query in ["page=0", "page=x", "sort=id"] { #expect(app.get("/runs/1?" + query).status == 400, "\(query)") }
        for query in ["after=-1", "after=x", "epoch=1.5", "since=3"] { #expect(app.get("/runs/1/events?" + query).status == 400, "\(query)") }
        #expect(app.get("/runs/1/epochs.csv?sql=select").status == 400)
        #expect(app.get("/?status=finished&sort=final_loss&order=desc&name=%3Cx%3E+y&tag=a%3Db").status == 200)
    }

    @Test func anotherHostOrNoHostIsRefused() throws {
        let database = try ServedDatabase()
        try database.addRun()
        let app = try database.app()
        #expect(app.get("/", host: "evil.example:8421").status == 421)
        #expect(app.get("/", host: "127.0.0.1:8422").status == 421)
        #expect(app.get("/", host: nil).status == 400)
        #expect(app.get("/", host: nil, headers: ["host": ["127.0.0.1:8421", "127.0.0.1:8421"]]).status == 400)
        for host in ["127.0.0.1:8421", "localhost:8421", "[::1]:8421"] { #expect(app.get("/", host: host).status == 200, "\(host)") }
    }

    @Test func aTokenIsRequiredAndCheckedOnEveryRequestWhenOneIsSet() throws {
        let database = try ServedDatabase()
        try database.addRun()
        let token = "s3cret-token-0123456789"
        let app = try database.app(host: "10.1.2.3", token: token)
        #expect(app.get("/", host: "10.1.2.3:8421").status == 401)
        #expect(app.get("/runs/1/events", host: "10.1.2.3:8421").status == 401)
        #expect(app.get("/?token=wrong-token-0123456789", host: "10.1.2.3:8421").status == 403)
        #expect(app.get("/", headers: ["authorization": ["Bearer nope"]]).status == 403)
        let opened = app.get("/?token=\(token)", host: "10.1.2.3:8421")
        #expect(opened.status == 200)
        #expect(opened.header("Set-Cookie")?.hasPrefix("gradlog_token=\(token); Path=/; HttpOnly; SameSite=Strict") == true)
        #expect(app.get("/runs/1", headers: ["cookie": ["a=b; gradlog_token=\(token)"]]).status == 200)
        #expect(app.get("/live.js", headers: ["authorization": ["Bearer \(token)"]]).status == 200)
        #expect(app.get("/", host: "evil.example:8421", headers: ["authorization": ["Bearer \(token)"]]).status == 421)
        #expect(RequestGuard.same(token, token) && !RequestGuard.same(token + "x", token) && !RequestGuard.same("", token))
    }

    @Test func hostileNamesTagsAndNotesAreEscapedOnTheRunsAndRunPages() throws {
        let database = try ServedDatabase()
        for (index, entry) in HostileStrings.texts.enumerated() {
            try database.addRun(name: entry.text, tags: [(key: "k\(index)", value: entry.text)], steps: 2)
        }
        let app = try database.app()
        let pages = [app.get("/").bodyText] + (1...HostileStrings.texts.count).map { app.get("/runs/\($0)").bodyText }
        for page in pages { Self.expectOnlyOwnMarkup(page) }
    }

    /// Expects `page` to open only elements of the app's own, none a hostile text brought.
    static func expectOnlyOwnMarkup(_ page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!page.isEmpty, sourceLocation: sourceLocation)
        for marker in ["<script>alert", "<img", "</title><"] {
            #expect(!page.contains(marker), "\(marker) unescaped", sourceLocation: sourceLocation)
        }
        let tags = Set(page.matches(of: /<([a-zA-Z][a-zA-Z0-9]*)/).map { String($0.1).lowercased() })
        let known: Set<String> = ["html", "head", "meta", "title", "style", "body", "nav", "a", "h1", "h2", "h3", "p", "code",
                                  "form", "label", "select", "option", "input", "button", "div", "table", "tr", "th", "td",
                                  "span", "main", "strong", "details", "summary", "svg", "g", "path", "line", "text",
                                  "rect", "polyline", "polygon", "circle", "desc", "script", "defs", "clippath", "tspan", "use"]
        #expect(tags.isSubset(of: known), "\(tags.subtracting(known))", sourceLocation: sourceLocation)
    }

    @Test func theComparePageAnswersForTwoToTwentyFourRunsAndRefusesTheRest() throws {
        let database = try ServedDatabase()
        for index in 1...25 { try database.addRun(name: "r\(index)", tags: index <= 2 ? [(key: "pair", value: "x")] : [(key: "one", value: "\(index)")], steps: 2) }
        let app = try database.app()
        for target in ["/compare?run=1&run=2", "/compare?run=3&run=1&run=2", "/compare?tag=pair%3Dx", "/compare?tag=pair=x",
                       "/compare?run=5&tag=pair%3Dx", "/compare?" + (1...24).map { "run=\($0)" }.joined(separator: "&")] {
            let response = app.get(target)
            #expect(response.status == 200, "\(target): \(response.bodyText.prefix(300))")
            #expect(response.header("Content-Security-Policy")?.contains("default-src 'none'; script-src 'self'") == true)
            #expect(!response.bodyText.contains("<script"), "no script at all")
        }
        for query in ["", "run=1", "run=01&run=2", "run=1&run=1", "run=0&run=1", "run=-1&run=2", "run=x&run=2", "run=1.0&run=2",
                      "run=1&run=2&color=red", "run=1&run=2&sql=select", "tag=novalue", "tag=%3Dx", "tag=one%3D3", "run=1&run",
                      (1...25).map { "run=\($0)" }.joined(separator: "&"), "tag=pair%3Dx&run=3&" + (4...27).map { "run=\($0)" }.joined(separator: "&")] {
            #expect(app.get("/compare?" + query).status == 400, "\(query)")
        }
        for query in ["run=1&run=99", "run=99999999999999&run=1", "tag=nobody%3Dx", "run=1&run=2&tag=nobody%3Dx"] {
            #expect(app.get("/compare?" + query).status == 404, "\(query)")
        }
        #expect(app.get("/compare/1").status == 404)
        #expect(app.respond(to: WebRequest(method: "POST", path: "/compare", query: "run=1&run=2", headers: ["host": ["127.0.0.1:8421"]])).status == 405)
    }

    @Test func theComparePageHasARowPerRunWithTheSettingsThatDifferAndLinksToEachRunsPage() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "slow", config: #"{"lr": 0.1, "seed": 7}"#, steps: 20)
        try database.addRun(name: "fast", config: #"{"lr": 0.5, "seed": 7}"#, steps: 10)
        let page = try database.app().get("/compare?run=2&run=1").bodyText
        #expect(page.contains("<title>gradlog: runs 2, 1</title>") && page.contains("<nav><a href=\"/\">All runs</a></nav>"))
        let headings = page.matches(of: /<h2>([^<]*)<\/h2>/).map { String($0.1) }
        #expect(headings == ["Comparison", "Charts", "Summaries"], "\(headings)")
        let table = String(page[page.range(of: "<h2>Comparison</h2>")!.upperBound...])
        let rows = table.components(separatedBy: "</table>")[0].components(separatedBy: "<tr>").dropFirst().map { $0 }
        #expect(rows.count == 3, "\(rows)")
        // A run logged from outside differs in its name and the config it gave, then come the final figures.
        #expect(rows[0].hasPrefix("<th>run</th><th>name</th><th>config</th><th>status</th><th>epochs</th><th>final_loss</th>"), "\(rows[0])")
        #expect(rows[1].hasPrefix("<td class=\"n\"><a href=\"/runs/2\">2</a></td><td>fast</td><td>{&quot;lr&quot;: 0.5, &quot;seed&quot;: 7}</td>"
            + "<td>finished</td><td class=\"n\">5</td>"), "\(rows[1])")
        #expect(rows[2].hasPrefix("<td class=\"n\"><a href=\"/runs/1\">1</a></td><td>slow</td><td>{&quot;lr&quot;: 0.1, &quot;seed&quot;: 7}</td>"
            + "<td>finished</td><td class=\"n\">10</td>"), "\(rows[2])")
        #expect(page.contains("<h3><a href=\"/runs/2\">Run 2</a></h3>") && page.contains("<h3><a href=\"/runs/1\">Run 1</a></h3>"))
        #expect(page.contains("<svg") && !page.contains("Epochs of run"))
    }

    @Test func aTagsComparePageHasItsRunsInTheOrderOfTheirSettingsAndTheRunsPageLinksToIt() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "b", tags: [(key: "sweep", value: "g 1&2")], config: #"{"lr": 0.2}"#)
        try database.addRun(name: "other", tags: [(key: "sweep", value: "g 3")], config: #"{"lr": 0.3}"#)
        try database.addRun(name: "a", tags: [(key: "sweep", value: "g 1&2")], config: #"{"lr": 0.1}"#)
        let app = try database.app()
        let runs = app.get("/").bodyText
        #expect(runs.contains("<form id=\"compare\" method=\"get\" action=\"/compare\">"))
        #expect(runs.contains("<input type=\"checkbox\" name=\"run\" value=\"3\" aria-label=\"compare run 3\">"))
        let link = "/compare?tag=sweep%3Dg%201%262"
        #expect(runs.contains("<a class=\"tag\" href=\"\(link)\" title=\"sweep=g 1&amp;2\">sweep=g 1&amp;2</a>"), "\(runs)")
        let page = app.get(link)
        #expect(page.status == 200, "\(page.bodyText.prefix(300))")
        #expect(page.bodyText.contains("<title>gradlog: 2 runs with sweep=g 1&amp;2</title>"))
        #expect(page.bodyText.range(of: "/runs/3\">3</a>")!.lowerBound < page.bodyText.range(of: "/runs/1\">1</a>")!.lowerBound)
        #expect(page.bodyText.contains("<a href=\"/runs/3\">3</a></td><td>a</td><td class=\"n\">0.1</td>"), "a config's key that differs")
        #expect(!page.bodyText.contains("/runs/2\""))
    }

    @Test func hostileNamesAndTagsAreEscapedOnTheComparePage() throws {
        let database = try ServedDatabase()
        let shared = (key: "all", value: "<b>x</b>&\"'")
        for (index, entry) in HostileStrings.texts.enumerated() {
            try database.addRun(name: entry.text, tags: [(key: "k\(index)", value: entry.text), shared], steps: 2)
        }
        let app = try database.app()
        let count = HostileStrings.texts.count
        let byID = app.get("/compare?" + (1...min(count, 24)).map { "run=\($0)" }.joined(separator: "&"))
        let byTag = app.get("/compare?tag=" + QueryString.encode("\(shared.key)=\(shared.value)"))
        #expect(byID.status == 200 && byTag.status == (count <= 24 ? 200 : 400))
        Self.expectOnlyOwnMarkup(byID.bodyText)
        Self.expectOnlyOwnMarkup(byTag.bodyText)
        #expect(app.get("/").bodyText.contains("href=\"/compare?tag=all%3D%3Cb%3Ex%3C%2Fb%3E%26%22%27\""))
        #expect(!app.get("/").bodyText.contains("<b>x"))
    }

    @Test func theRunsPageIsPagedAHundredRunsAPage() throws {
        let database = try ServedDatabase()
        for index in 1...230 { try database.addRun(name: "run \(index)", steps: 1) }
        let app = try database.app()
        func rows(_ target: String) -> Int { app.get(target).bodyText.components(separatedBy: "<tr data-run=").count - 1 }
        #expect(rows("/") == 100 && rows("/?page=2") == 100 && rows("/?page=3") == 30)
        #expect(app.get("/?page=4").status == 404)
        #expect(app.get("/?page=3").bodyText.contains("page 3 of 3"))
        let descending = app.get("/?sort=id&order=desc").bodyText
        #expect(descending.range(of: "data-run=\"230\"")!.lowerBound < descending.range(of: "data-run=\"229\"")!.lowerBound)
        #expect(rows("/?name=run+23") == 1 + 10 - 9)  // run 23 and run 230
    }

    @Test func theEventStreamSendsOnlyTheRowsAfterThoseThePageHasWhileAnotherConnectionWrites() async throws {
        let database = try ServedDatabase()
        let run = try database.addRun(name: "live", steps: 10, perEpoch: 5, finish: false)
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        let server = try WebServer(host: "127.0.0.1", port: 0) { port in
            WebApp(shared: shared, guardian: RequestGuard(host: "127.0.0.1", port: port, token: nil))
        }
        let port = try await server.start()
        let client = LoopbackClient(port: port)
        // The client blocks on its socket, so it runs on a thread of its own, never on one the server's tasks need.
        let page = try await onThread { try client.get("/runs/1", timeout: 120) }
        #expect(page.status == 200 && page.body.contains("data-step=\"10\"") && page.body.contains("data-status=\"running\""))
        let writer = Unchecked(run)
        let answer = try await onThread {
            try client.get("/runs/1/events?after=10&epoch=2&steps=1", timeout: 120, until: { $0.contains("event: end") }, whileOpen: {
                for step in 11...20 { try writer.value.log(ServedDatabase.step(step, perEpoch: 5)) }
                try writer.value.finish(status: .finished)
            })
        }
        await server.stop()
        #expect(answer.status == 200 && answer.header("Content-Type") == "text/event-stream; charset=utf-8")
        #expect(answer.header("Content-Security-Policy") != nil)
        let body = answer.body
        #expect(body.contains("[11,3,") && body.contains("[20,4,"))
        #expect(!body.contains("[10,2,") && !body.contains("[1,1,"), "only rows after the page's")
        #expect(body.contains("\"rows\":[[3,5,") && body.contains("[4,5,") && !body.contains("[2,5,"))
        #expect(body.contains("id: 20:4") && body.contains("\"status\":\"finished\""))
        #expect(body.contains("event: end"))
    }

    @Test func withoutStepsTheStreamSendsTheLatestStepOnlyReadByTheKey() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "live", steps: 30, perEpoch: 5, finish: false)
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        var events = EventStream(store: shared, runID: 1, after: (step: 10, epoch: 2)).makeAsyncIterator()
        let text = try events.pollText()
        #expect(!text.contains("event: steps") && text.contains("id: 30:5") && text.contains("\"step\":30,"), "\(text)")
        #expect(try database.app().get("/runs/1/events?steps=2").status == 400)
        #expect(try database.app().get("/runs/1/events?steps=1&steps=1").status == 400)
    }

    @Test func theServerNeverWritesTheDatabase() throws {
        let database = try ServedDatabase()
        try database.addRun()
        let store = try Store(path: database.path, access: .readOnly)
        #expect(throws: (any Error).self) { try store.db.execute("DELETE FROM runs") }
    }
}

/// A value handed to one other thread, which alone uses it from then on.
final class Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Runs `body` on a new thread (not the concurrency pool's) and returns its result.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
