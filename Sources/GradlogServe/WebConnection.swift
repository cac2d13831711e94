import FlyingSocks
import Foundation

/// One client's connection: reads each request's head within `RequestHead`'s limits, answers it
/// through the app, and keeps the connection for the next request unless either side ends it.
struct WebConnection: Sendable {
    let socket: AsyncSocket
    let app: WebApp
    /// How long a client may take to send a head (after connecting, or after the previous answer).
    var headTimeout: Duration = .seconds(15)

    /// The bytes read ahead of a head at most at once.
    private static let readSize = 16_384

    /// Serves requests until the client closes, a head is refused or times out, or an answer ends it.
    func serve() async {
        var buffer: [UInt8] = []
        while !Task.isCancelled {
            let head: RequestHead
            do {
                guard let (read, end) = try await readHead(&buffer) else { return }
                head = read
                buffer.removeFirst(end)
            } catch let refusal as RequestHead.Refusal {
                // The rest of an oversized head is not parsed: the answer goes out and the connection closes.
                _ = try? await write(.text(refusal.message, status: refusal.status), head: nil, closing: true)
                await drain()
                return
            } catch {
                return
            }
            let request = WebRequest(method: head.method, path: head.path, query: head.query, headers: head.headers)
            let response = await Self.answer(request, with: app)
            let closing = !head.keepsAlive || head.hasBody
            do {
                if try await write(response, head: head, closing: closing) || closing { return }
            } catch {
                return
            }
        }
    }

    /// Reads until `buffer` holds a whole head: the head and where it ends, or nil when the client
    /// closed before sending one or took longer than `headTimeout`.
    private func readHead(_ buffer: inout [UInt8]) async throws -> (RequestHead, Int)? {
        let watchdog = Watchdog(socket: socket.socket, after: headTimeout)
        defer { watchdog.cancel() }
        while true {
            if let end = try RequestHead.end(in: buffer) {
                return (try RequestHead.parse(buffer[..<end]), end)
            }
            let bytes: [UInt8]
            do {
                bytes = try await socket.read(atMost: Self.readSize)
            } catch SocketError.disconnected {
                return nil
            }
            guard !bytes.isEmpty else { return nil }
            buffer += bytes
        }
    }

    /// After a refusal, reads and drops what the client still sends (up to 1 MiB, for 2 s at most)
    /// before the connection closes: closing with unread bytes would reset the connection, and the
    /// client could lose the answer it has not read yet.
    private func drain() async {
        _ = shutdown(socket.socket.file.rawValue, Int32(SHUT_WR))
        let watchdog = Watchdog(socket: socket.socket, after: .seconds(2))
        defer { watchdog.cancel() }
        var drained = 0
        while drained < 1 << 20, let bytes = try? await socket.read(atMost: Self.readSize), !bytes.isEmpty {
            drained += bytes.count
        }
    }

    /// The app's answer, computed on a thread of Dispatch's pool rather than the concurrency pool:
    /// a page may read the database for a while, and the concurrency pool has a thread per core,
    /// which the other connections' reads, writes and event streams need meanwhile.
    static func answer(_ request: WebRequest, with app: WebApp) async -> WebResponse {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: SharedStore.drawingPage { app.respond(to: request) })
            }
        }
    }

    /// Sends `response`; returns whether the connection must close after it (an event stream ends
    /// only when the connection does).
    @discardableResult
    private func write(_ response: WebResponse, head: RequestHead?, closing: Bool) async throws -> Bool {
        var lines = ["HTTP/1.1 \(response.status) \(Self.phrase(response.status))"]
        lines += response.headers.map { "\($0.name): \($0.value)" }
        switch response.body {
        case .bytes(let bytes):
            lines.append("Content-Length: \(bytes.count)")
            if closing { lines.append("Connection: close") }
            try await socket.write(Data((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + Data(bytes))
            return closing
        case .events(let stream):
            lines.append("Connection: close")
            try await socket.write(Data((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8))
            var iterator = stream.makeAsyncIterator()
            while let chunk = try await iterator.nextBuffer(suggested: 65_536) {
                try await socket.write(Data(chunk))
            }
            return true
        }
    }

    /// The reason phrase of the statuses the app and this server send.
    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 414: "URI Too Long"
        case 421: "Misdirected Request"
        case 431: "Request Header Fields Too Large"
        case 503: "Service Unavailable"
        default: status >= 500 ? "Internal Server Error" : "Error"
        }
    }
}

/// Shuts a socket down (the pending read then ends) unless cancelled in time: the limit on how long
/// a client may hold a connection without sending its request.
final class Watchdog: @unchecked Sendable {
    private let task: Task<Void, Never>

    init(socket: Socket, after limit: Duration) {
        let file = socket.file.rawValue
        task = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            _ = shutdown(file, Int32(SHUT_RDWR))
        }
    }

    /// Stops the watch: the head came in time.
    func cancel() {
        task.cancel()
    }
}
