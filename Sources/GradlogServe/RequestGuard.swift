/// The checks every request passes before any route reads the database: its `Host` header names
/// this server (so a page of another site cannot reach it through DNS rebinding), and, when the
/// server is reachable from other machines, it carries the token.
public struct RequestGuard: Sendable {
    /// The `Host` values accepted, exactly (`127.0.0.1:8421`, `localhost:8421`, `[::1]:8421`, and the
    /// address given with --host).
    public let allowedHosts: Set<String>
    /// The secret every request must carry, nil on loopback without --token.
    public let token: String?

    /// The name of the cookie that carries the token once a page was opened with `?token=`.
    static let cookieName = "gradlog_token"

    /// The guard of a server listening on `host` (an IP address) and `port`.
    public init(host: String, port: Int, token: String?) {
        var hosts: Set<String> = ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"]
        hosts.insert(host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
        allowedHosts = hosts
        self.token = token
    }

    /// Nil when the request may go on, else the refusal: 400 without one `Host`, 421 for another
    /// host, 401 without the token, 403 with a wrong one.
    func refusal(of request: WebRequest, queryToken: String?) -> WebResponse? {
        guard let host = request.header("host") else {
            return .text("400 Bad Request: one Host header is required", status: 400)
        }
        guard allowedHosts.contains(host.lowercased()) else {
            return .text("421 Misdirected Request: this server answers only to " + allowedHosts.sorted().joined(separator: ", "), status: 421)
        }
        guard let token else { return nil }
        let given = queryToken ?? bearer(request) ?? cookie(request)
        guard let given else {
            return .text("401 Unauthorized: give the token (open the address gradlog serve printed, with ?token=...)", status: 401)
        }
        guard Self.same(given, token) else { return .text("403 Forbidden: wrong token", status: 403) }
        return nil
    }

    private func bearer(_ request: WebRequest) -> String? {
        guard let value = request.header("authorization"), value.hasPrefix("Bearer ") else { return nil }
        return String(value.dropFirst("Bearer ".count))
    }

    private func cookie(_ request: WebRequest) -> String? {
        for line in request.headers["cookie"] ?? [] {
            for part in line.split(separator: ";") {
                let pair = part.trimmingPrefix(" ")
                if pair.hasPrefix(Self.cookieName + "=") { return String(pair.dropFirst(Self.cookieName.count + 1)) }
            }
        }
        return nil
    }

    /// Compares in a time that does not depend on where the strings first differ.
    static func same(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8), b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in b.indices { difference |= b[index] ^ (index < a.count ? a[index] : 0) }
        return difference == 0
    }
}
