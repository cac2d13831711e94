import Tracker
import Wording

/// The routes of the web app, apart from the HTTP library: a request in, a response out.
///
/// Every path is one of a fixed list; the only values taken from it are run ids, read as plain
/// decimal numbers. Query parameters are checked against fixed lists and bound as values by
/// Tracker; nothing the client sends names a file or becomes SQL.
public struct WebApp: Sendable {
    let store: SharedStore
    let guardian: RequestGuard
    /// The shared polls of the runs being watched.
    let feeds = RunFeeds()
    /// The pages of running runs drawn lately, for the requests that ask again before a new commit.
    let pages = RunPageCache()

    /// The app over `store`, opened with `Store.Access.readOnly`, behind `guardian`'s checks.
    public init(store: Store, guardian: RequestGuard) {
        self.init(shared: SharedStore(store), guardian: guardian)
    }

    init(shared: SharedStore, guardian: RequestGuard) {
        store = shared
        self.guardian = guardian
    }

    /// The answer to `request`, with the security headers on every one.
    public func respond(to request: WebRequest) -> WebResponse {
        var response = route(request)
        response.headers += PageFrame.securityHeaders
        if request.method == "HEAD", case .bytes = response.body { response.body = .bytes([]) }
        return response
    }

    private func route(_ request: WebRequest) -> WebResponse {
        let pairs: [(name: String, value: String)]
        do {
            pairs = try QueryString.parse(request.query)
        } catch {
            return .text("400 Bad Request: \(error.reason)", status: 400)
        }
        let tokens = pairs.filter { $0.name == "token" }
        guard tokens.count <= 1 else { return .text("400 Bad Request: 'token' is given twice", status: 400) }
        if let refusal = guardian.refusal(of: request, queryToken: tokens.first?.value) { return refusal }
        guard request.method == "GET" || request.method == "HEAD" else {
            return WebResponse(status: 405, headers: [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")],
                               body: .bytes(Array("405 Method Not Allowed: this server only reads\n".utf8)))
        }
        var response: WebResponse
        do {
            response = try answer(request, pairs)
        } catch let invalid as QueryString.Invalid {
            return .text("400 Bad Request: \(invalid.reason)", status: 400)
        } catch let error as TrackerError {
            // In words, as the command line says it, not as the enum's case prints.
            return .text("500 Internal Server Error: \(error.message)", status: 500)
        } catch {
            return .text("500 Internal Server Error: \(error)", status: 500)
        }
        // A token given in the address is kept in a cookie, so links and the event stream carry it.
        if let token = tokens.first?.value, guardian.token != nil {
            response.headers.append(("Set-Cookie", "\(RequestGuard.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"))
        }
        return response
    }

    private func answer(_ request: WebRequest, _ pairs: [(name: String, value: String)]) throws -> WebResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        switch (parts.count, parts.first) {
        case (1, ""):
            let page = try store.read { try RunsPage(query: .init(pairs)).render($0, databasePath: store.path) }
            return page.map { .html($0) } ?? .text("404 Not Found: no such page of runs", status: 404)
        case (1, "compare"):
            let query = try ComparePage.Query(pairs)
            switch try store.read({ try ComparePage(query: query).render($0) }) {
            case .page(let html): return .html(html)
            case .notFound(let reason): return .text("404 Not Found: \(reason)", status: 404)
            case .invalid(let reason): return .text("400 Bad Request: \(reason)", status: 400)
            }
        case (1, "runs.js"):
            try Self.noParameters(pairs)
            return WebResponse(status: 200, headers: [("Content-Type", "text/javascript; charset=utf-8")], body: .bytes(Array(RunsScript.source.utf8)))
        case (1, "events"):
            let stream = try RunsEventStream(store: store, pairs: pairs, lastEventID: request.header("last-event-id"))
            return WebResponse(status: 200, headers: [("Content-Type", "text/event-stream; charset=utf-8")], body: .events(stream))
        case (1, "live.js"):
            try Self.noParameters(pairs)
            return WebResponse(status: 200, headers: [("Content-Type", "text/javascript; charset=utf-8")],
                               body: .bytes(Array(LiveScript.source.utf8)))
        case (2, "runs"), (3, "runs"):
            let items = Array(parts)
            guard let runID = QueryString.number(String(items[1]), max: Int64.max), runID > 0 else {
                return .text("404 Not Found: a run is named by its id, a whole number", status: 404)
            }
            return try runRoute(runID, file: items.count == 3 ? String(items[2]) : nil, request, pairs)
        default:
            return .text("404 Not Found", status: 404)
        }
    }

    private func runRoute(_ runID: Int64, file: String?, _ request: WebRequest, _ pairs: [(name: String, value: String)]) throws -> WebResponse {
        let missing = WebResponse.text("404 Not Found: no run \(runID)", status: 404)
        switch file {
        case nil:
            let query = try RunQuery(pairs)
            let state = try store.read { try $0.progress(of: runID) }
            return try pages.page(runID, query, at: state) {
                try store.read { try RunPage(runID: runID, query: query, readers: TwoReaders(shared: store)).render($0) }
            }
                .map { .html($0) }
                ?? (try store.read { try $0.exists(runID) } ? .text("404 Not Found: no such page of epochs", status: 404) : missing)
        case "events":
            let steps = pairs.filter { $0.name == "steps" }
            guard steps.count <= 1, steps.allSatisfy({ $0.value == "1" }) else { return .text("400 Bad Request: steps must be 1, once", status: 400) }
            let after = try Self.eventStart(pairs.filter { $0.name != "steps" }, lastEventID: request.header("last-event-id"))
            guard try store.read({ try $0.exists(runID) }) else { return missing }
            var stream = EventStream(store: store, runID: runID, after: after)
            stream.sendsSteps = !steps.isEmpty
            stream.feed = feeds.feed(of: runID, interval: stream.interval)
            return WebResponse(status: 200, headers: [("Content-Type", "text/event-stream; charset=utf-8")], body: .events(stream))
        case "chart.svg":
            let kind = try RunCharts.refreshedChart(pairs)
            guard let running = try store.read({ try $0.progress(of: runID) }) else { return missing }
            let charts = RunCharts(runID: runID, window: nil, running: running.status == RunStatus.running.rawValue)
            let svg = try store.read { try charts.svg(of: kind, $0) }
            return WebResponse(status: 200, headers: [("Content-Type", "image/svg+xml; charset=utf-8"), ("Cache-Control", "no-store")],
                               body: .bytes(Array(svg.utf8)))
        case "series":
            let series = try SeriesRoute(pairs)
            guard try store.read({ try $0.exists(runID) }) else { return missing }
            if let refusal = try store.read({ try series.refusal(runID, $0) }) { return .text("404 Not Found: \(refusal)", status: 404) }
            let json = try store.read { try series.json(runID, $0) }
            return WebResponse(status: 200, headers: [("Content-Type", "application/json; charset=utf-8")], body: .bytes(Array(json.utf8)))
        case let name? where Exports.files[name] != nil:
            try Self.noParameters(pairs)
            guard let (format, mediaType) = Exports.files[name] else { return missing }
            guard try store.read({ try $0.exists(runID) }) else { return missing }
            let text = try store.read { try Exports.report(format, of: runID, $0) }
            return WebResponse(status: 200, headers: [("Content-Type", mediaType),
                                                      ("Content-Disposition", "inline; filename=\"run-\(runID)-\(name)\"")],
                               body: .bytes(Array(text.utf8)))
        default:
            return .text("404 Not Found", status: 404)
        }
    }

    /// Refuses any parameter but the token.
    private static func noParameters(_ pairs: [(name: String, value: String)]) throws(QueryString.Invalid) {
        if let other = pairs.first(where: { $0.name != "token" }) { throw .init(reason: "unknown parameter '\(other.name)'") }
    }

    /// Where an event stream starts: the Last-Event-ID a reconnecting browser sends (`STEP:EPOCH`),
    /// else `after` (a step) and `epoch` from the query, else the start of the run.
    static func eventStart(_ pairs: [(name: String, value: String)], lastEventID: String?) throws(QueryString.Invalid) -> (step: Int64, epoch: Int64) {
        var step: Int64?, epoch: Int64?
        for (key, value) in pairs {
            switch key {
            case "after", "epoch":
                guard let number = QueryString.number(value, max: Int64.max) else { throw .init(reason: "\(key) must be a whole number from 0") }
                if key == "after" { guard step == nil else { throw .init(reason: "'after' is given twice") }; step = number }
                else { guard epoch == nil else { throw .init(reason: "'epoch' is given twice") }; epoch = number }
            case "token": break
            default: throw .init(reason: "unknown parameter '\(key)'")
            }
        }
        if let lastEventID {
            let parts = lastEventID.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let lastStep = QueryString.number(parts[0], max: Int64.max),
                  let lastEpoch = QueryString.number(parts[1], max: Int64.max) else { throw .init(reason: "Last-Event-ID must be STEP:EPOCH") }
            return (lastStep, lastEpoch)
        }
        return (step ?? 0, epoch ?? 0)
    }
}
