import FlyingFox
import FlyingSocks
import Foundation

/// The web app on FlyingFox's HTTP server, listening on one address.
public final class WebServer: Sendable {
    private let server: HTTPServer
    private let box: AppBox

    /// A server for `app` on `host` (an IP address) and `port` (0: a free one).
    public init(host: String, port: Int, app: @escaping @Sendable (_ port: Int) -> WebApp) throws {
        let address: any SocketAddress = host.contains(":") ? try sockaddr_in6.inet6(ip6: host, port: UInt16(port))
            : try sockaddr_in.inet(ip4: host, port: UInt16(port))
        box = AppBox(make: app)
        server = HTTPServer(config: .init(address: address, timeout: 15, logger: .disabled), handler: box)
    }

    /// Starts listening and serving in the background; returns the port once it listens.
    public func start() async throws -> Int {
        let server = self.server
        Task { try await server.run() }
        try await server.waitUntilListening(timeout: 10)
        let port: Int
        switch await server.listeningAddress {
        case .ip4(_, let listening)?, .ip6(_, let listening)?: port = Int(listening)
        default: port = 0
        }
        box.attach(port: port)
        return port
    }

    /// Stops listening and ends open connections.
    public func stop() async {
        await server.stop(timeout: 1)
    }
}

/// The handler FlyingFox calls: builds the app for the port it listens on, then translates.
private final class AppBox: HTTPHandler, @unchecked Sendable {
    private let make: @Sendable (Int) -> WebApp
    private let lock = NSLock()
    private var app: WebApp?

    init(make: @escaping @Sendable (Int) -> WebApp) {
        self.make = make
    }

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let app = lock.withLock { self.app }
        guard let app else { return HTTPResponse(statusCode: .serviceUnavailable) }
        var headers: [String: [String]] = [:]
        for (name, values) in zip(request.headers.keys, request.headers.values) { headers[name.rawValue.lowercased(), default: []] += values }
        let response = app.respond(to: WebRequest(method: request.method.rawValue, path: request.path,
                                                  query: request.target.query(percentEncoded: true), headers: headers))
        var out = HTTPHeaders()
        for (name, value) in response.headers { out.addValue(value, for: HTTPHeader(name)) }
        switch response.body {
        case .bytes(let bytes):
            return HTTPResponse(statusCode: HTTPStatusCode(response.status, phrase: Self.phrases[response.status] ?? "Error"), headers: out, body: Data(bytes))
        case .events(let stream):
            return HTTPResponse(statusCode: .ok, headers: out, body: HTTPBodySequence(from: stream, suggestedBufferSize: 65_536))
        }
    }

    private static let phrases = [200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                                  405: "Method Not Allowed", 421: "Misdirected Request", 500: "Internal Server Error"]

    /// Builds the app once the port is known (the Host check names it).
    func attach(port: Int) {
        lock.withLock {
            app = make(port)
        }
    }
}
