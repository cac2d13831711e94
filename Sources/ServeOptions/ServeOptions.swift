import ArgumentParser

/// The options of `gradlog serve`, which the command line checks and hands on to the
/// `gradlog-serve` executable as `arguments`.
public struct ServeOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp(
        "The SQLite database file (default: $GRADLOG_DB, else ./gradlog.db).",
        discussion: "It must exist; the server only reads it (SQLite's query_only), so it never changes or locks a run being written.",
        valueName: "path"), completion: .file())
    public var db: String?

    @Option(help: ArgumentHelp("The TCP port to listen on; 0 picks a free one (the address is printed).", valueName: "n"))
    public var port: Int = 8421

    @Option(help: ArgumentHelp(
        "The IP address to listen on; 127.0.0.1 is this machine only.",
        discussion: "Any other address than 127.0.0.1 or ::1 makes the pages reachable from other machines: then every "
            + "request must carry the token (--token, else one is generated and printed).", valueName: "address"))
    public var host: String = ServeOptions.loopbackIPv4

    @Option(help: ArgumentHelp(
        "A secret of at least 16 characters that every request must carry (?token=..., a cookie, or Authorization: Bearer).",
        valueName: "secret"))
    public var token: String?

    /// The default address: this machine only.
    public static let loopbackIPv4 = "127.0.0.1"

    public init() {}

    public func validate() throws {
        if db?.isEmpty == true { throw ValidationError("--db '': give the path of a database file") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port): give a port from 0 to 65535") }
        guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else {
            throw ValidationError("--host \(host): give an IP address such as 127.0.0.1, ::1 or 0.0.0.0")
        }
        if let token, token.count < 16 || !token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~".contains($0)) }) {
            throw ValidationError("--token: give at least 16 letters, digits, '-', '_', '.' or '~'")
        }
    }

    /// Whether `host` is this machine only.
    public var isLoopback: Bool { Self.isLoopback(host) }

    /// Whether an address reaches this machine only.
    public static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host.hasPrefix("127.") && host.split(separator: ".").count == 4
    }

    /// The database path: --db, else GRADLOG_DB, else gradlog.db in the working directory.
    public func databasePath(environment: [String: String]) -> String {
        if let db { return db }
        if let fromEnvironment = environment["GRADLOG_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "gradlog.db"
    }

    /// The options as command-line arguments, for the `gradlog-serve` executable.
    public var arguments: [String] {
        var arguments = ["--port", String(port), "--host", host]
        if let db { arguments = ["--db", db] + arguments }
        if let token { arguments += ["--token", token] }
        return arguments
    }
}
