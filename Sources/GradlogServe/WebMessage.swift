import FlyingSocks

/// A request as the web app sees it, apart from the HTTP library: what the routes and checks read.
public struct WebRequest: Sendable {
    public var method: String
    /// The path, still percent-encoded (`/runs/3`).
    public var path: String
    /// The query string as sent, without its `?` (`status=running&page=2`).
    public var query: String
    /// The headers, names in lower case, each with its values in order.
    public var headers: [String: [String]]

    public init(method: String = "GET", path: String, query: String = "", headers: [String: [String]] = [:]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: +)
    }

    /// The only value of a header; nil when it is missing or given more than once.
    public func header(_ name: String) -> String? {
        guard let values = headers[name.lowercased()], values.count == 1 else { return nil }
        return values[0]
    }
}

/// A response: a status, headers and either a whole body or a stream of server-sent events.
public struct WebResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Body

    public enum Body: Sendable {
        case bytes([UInt8])
        /// Server-sent events: a run's (`EventStream`) or the runs page's (`RunsEventStream`).
        case events(any AsyncBufferedSequence<UInt8>)
    }

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// An HTML page.
    static func html(_ text: String, status: Int = 200) -> WebResponse {
        WebResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: .bytes(Array(text.utf8)))
    }

    /// A plain-text answer, for errors and refusals.
    static func text(_ text: String, status: Int) -> WebResponse {
        WebResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Array((text + "\n").utf8)))
    }

    /// The text of a whole body (empty for a stream).
    public var bodyText: String {
        if case .bytes(let bytes) = body { return String(decoding: bytes, as: UTF8.self) }
        return ""
    }

    /// The first value of a header, by its name in any case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
