import Foundation
@testable import GradlogServe

/// A minimal HTTP/1.1 client over a loopback socket: one request per connection, the answer read
/// until the server closes it or `until` finds what it waits for. Loopback only.
struct LoopbackClient {
    let port: Int

    struct Answer {
        let status: Int
        let head: String
        let body: String
        func header(_ name: String) -> String? {
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
                .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
        }
    }

    /// Sends `GET target` with `headers` (a Host header for this server unless given) and reads the answer.
    func get(_ target: String, headers: [String: String] = [:], timeout: Double = 10,
             until done: ((String) -> Bool)? = nil, whileOpen: (() throws -> Void)? = nil) throws -> Answer {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(connected == 0, "cannot connect to 127.0.0.1:\(port)")
        var timeoutValue = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeoutValue, socklen_t(MemoryLayout<timeval>.size))
        var lines = ["GET \(target) HTTP/1.1", "Connection: close"]
        if headers["Host"] == nil { lines.append("Host: 127.0.0.1:\(port)") }
        for (name, value) in headers where !value.isEmpty { lines.append("\(name): \(value)") }
        let request = lines.joined(separator: "\r\n") + "\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(timeout)
        var calledBack = false
        while Date() < deadline {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { break }
            if count > 0 { received += buffer[0..<count] }
            let text = String(decoding: received, as: UTF8.self)
            if let done, done(text) { break }
            if !calledBack, text.contains("\r\n\r\n"), let whileOpen {
                calledBack = true
                try whileOpen()
            }
        }
        let text = String(decoding: received, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return Answer(status: status, head: head, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}
