#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ServeOptions
import Tracker
import Wording

/// What `gradlog-serve` does: open the database read-only, listen, print the address, serve until stopped.
public enum ServeMain {
    /// Why the server could not start, in words.
    public struct Failure: Error {
        public let message: String
    }

    /// Serves `options.databasePath` until the process is interrupted.
    public static func serve(_ options: ServeOptions) async throws {
        let path = options.databasePath(environment: environmentVariables())
        let store: Store
        do {
            store = try Store(path: path, access: .readOnly)
        } catch {
            throw Failure(message: error.message)
        }
        // Reachable from other machines: never without a token.
        let token = options.token ?? (options.isLoopback ? nil : generatedToken())
        let host = options.host
        let shared = SharedStore(store)
        let port: Int, server: WebServer
        do {
            // The server binds its address as it is made: a port in use is refused here.
            server = try WebServer(host: host, port: options.port) { port in
                WebApp(shared: shared, guardian: RequestGuard(host: host, port: port, token: token))
            }
            port = try await server.start()
        } catch {
            throw Failure(message: "cannot listen on \(host) port \(options.port): \(error)")
        }
        WebServer.yieldToOtherProcesses()
        let shown = host.contains(":") ? "[\(host)]" : host
        var line = "gradlog serve: http://\(shown):\(port)/"
        if let token, options.token == nil { line += "?token=\(token)" }
        line += " (\(path), read-only); Ctrl-C stops it.\n"
        if let token, options.token == nil {
            line += "Every request must carry the token \(token): open the address above once, or send Authorization: Bearer.\n"
        }
        _ = line.withCString { write(1, $0, strlen($0)) }
        // The server serves until the process ends; it is kept for as long. Threads the system
        // makes later (Dispatch sets a new worker's priority by its quality of service) are
        // lowered too, within a second.
        while true {
            try await Task.sleep(for: .seconds(1))
            _ = withExtendedLifetime(server) { WebServer.yieldToOtherProcesses() }
        }
    }

    /// 32 hexadecimal digits from the system's random source.
    static func generatedToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let text = String(generator.next() as UInt32, radix: 16)
            return String(repeating: "0", count: 8 - text.count) + text
        }.joined()
    }

    private static func environmentVariables() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            pointer += 1
        }
        return result
    }
}
