import Foundation
import Testing
import Tracker
@testable import GradlogServe

/// The limits on a request's head, through the real server on 127.0.0.1, and the head's parsing.
@Suite struct RequestLimitTests {
    /// The real server on a free loopback port over a database with one run.
    static func withServer(_ body: (LoopbackClient) async throws -> Void) async throws {
        let database = try ServedDatabase()
        try database.addRun(name: "limits")
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        let server = try WebServer(host: "127.0.0.1", port: 0) { port in
            WebApp(shared: shared, guardian: RequestGuard(host: "127.0.0.1", port: port, token: nil))
        }
        do {
            try await body(LoopbackClient(port: try await server.start()))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("A query of 100 KB gets a 414 with a plain message at once, and the server goes on answering")
    func aHugeQueryGets414Promptly() async throws {
        try await Self.withServer { client in
            // The client blocks on its socket, so it runs on a thread of its own, never on one the server's tasks need.
            let (answer, seconds) = try await onThread {
                let started = Date()
                return (try client.get("/?name=" + String(repeating: "a", count: 100_000), timeout: 60), Date().timeIntervalSince(started))
            }
            #expect(answer.status == 414)
            #expect(answer.body.contains("URI Too Long") && answer.body.contains("\(RequestHead.lineLimit) bytes"))
            // Before the limit, the server read such a line for minutes and the client timed out.
            #expect(seconds < 10, "the refusal must not wait for a timeout")
            #expect(try await onThread { try client.get("/") }.status == 200)
        }
    }

    @Test("Headers of 40 KB in all get a 431, while a query just under the limit is read and checked by the app")
    func hugeHeadersGet431() async throws {
        try await Self.withServer { client in
            let answer = try await onThread {
                try client.get("/", headers: ["X-Padding": String(repeating: "b", count: 40_000)], timeout: 60)
            }
            #expect(answer.status == 431 && answer.body.contains("Request Header Fields Too Large"))
            // 3,000 bytes of query pass the head's limit and reach the app, which refuses a name that long with 400.
            let long = try await onThread { try client.get("/?name=" + String(repeating: "c", count: 3_000), timeout: 60) }
            #expect(long.status == 400 && long.body.contains("name is longer than 200 characters"), "\(long.body)")
        }
    }

    @Test("A head is found by its blank line; a line or head over the limits is refused before it ends")
    func theHeadEndsAtItsBlankLineWithinTheLimits() throws {
        let head = Array("GET /runs/3?after=5&x=%20 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nX-A: 1\r\nx-a:  2 \r\n\r\nGET".utf8)
        let end = try #require(try RequestHead.end(in: head))
        #expect(end == head.count - 3)
        let parsed = try RequestHead.parse(head[..<end])
        #expect(parsed == RequestHead(method: "GET", path: "/runs/3", query: "after=5&x=%20", version: "HTTP/1.1",
                                      headers: ["host": ["127.0.0.1:9"], "x-a": ["1", "2"]]))
        #expect(parsed.keepsAlive && !parsed.hasBody)
        #expect(try RequestHead.end(in: Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8)) == nil)
        #expect(throws: RequestHead.Refusal.lineTooLong) {
            try RequestHead.end(in: Array(("GET /?" + String(repeating: "q", count: RequestHead.lineLimit)).utf8))
        }
        #expect(throws: RequestHead.Refusal.headTooLarge) {
            try RequestHead.end(in: Array(("GET / HTTP/1.1\r\nX: " + String(repeating: "h", count: RequestHead.headLimit)).utf8))
        }
        #expect(throws: RequestHead.Refusal.self) { try RequestHead.parse(ArraySlice("GET runs HTTP/1.1\r\n\r\n".utf8)) }
        let closing = try RequestHead.parse(ArraySlice("GET / HTTP/1.0\r\nContent-Length: 4\r\n\r\n".utf8))
        #expect(!closing.keepsAlive && closing.hasBody)
    }
}
