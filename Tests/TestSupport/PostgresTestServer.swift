import Foundation
import Synchronization
import PostgresDB

/// The PostgreSQL server the tests of push and pull use, and a fresh database on it per test.
///
/// `GRADLOG_TEST_PG` (a libpq connection string, as `.ci/run` sets it) names a running server;
/// without it the suite starts a throwaway one with `scripts/pg-server`, stopped when the test
/// process ends. Outside CI, tests that need a server are skipped, with the reason, when none can be
/// started; in CI (`CI` set) they run, and fail.
public enum PostgresTestServer {
    /// The connection string of the server's maintenance database, or why there is none.
    public static let server: Result<String, ServerUnavailable> = findOrStart()

    /// Whether tests that need a server should run: one is there, or this is CI (where they must).
    public static var shouldRun: Bool {
        if case .success = server { return true }
        return ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false
    }

    /// Why no server could be had, for the skip message.
    public struct ServerUnavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates a new empty database on the server and returns its connection string.
    public static func freshDatabase() throws -> String {
        let base = try server.get()
        let name = "gradlog_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try maintenance.withLock { connection in
            // One connection for every test's CREATE DATABASE: a new one each time cost the server a
            // backend's start (some 5 ms of its CPU) for each of the run's hundred-odd databases.
            do {
                let open = try connection ?? PostgresConnection(base, applicationName: "gradlog tests")
                connection = open
                // FILE_COPY copies template1's files (13 ms of the server's CPU on a quiet server, where
                // PostgreSQL 15's default, WAL_LOG, writes each of its pages to the WAL: 20 ms). With
                // fsync off, as `scripts/pg-server` runs it, the checkpoints it takes cost next to
                // nothing; a server older than 15 has no STRATEGY and copies files anyway.
                let version = Int(try open.query("SHOW server_version_num").scalar ?? "") ?? 0
                try open.execute("CREATE DATABASE \(name)" + (version >= 150_000 ? " STRATEGY = FILE_COPY" : ""))
            } catch {
                connection = nil  // a new one next time, should this one have broken
                throw error
            }
        }
        return base.replacingOccurrences(of: "dbname=postgres", with: "dbname=\(name)")
    }

    /// The connection to the server's maintenance database that creates the tests' databases.
    private static let maintenance = Mutex<PostgresConnection?>(nil)

    /// A connection to `store` for a test's own SQL, finding gradlog's tables by name in `schema`
    /// (gradlog's default), as push and pull do; created there, a test's table is in that schema.
    public static func connect(_ store: String, schema: String = "gradlog") throws -> PostgresConnection {
        let connection = try PostgresConnection(store, applicationName: "gradlog tests")
        let quoted = "\"" + schema.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try connection.execute("SET search_path = \(quoted)")
        return connection
    }

    /// The skip message for tests that need a server.
    public static var skipReason: String {
        if case .failure(let why) = server { return "no PostgreSQL server: \(why)" }
        return "a PostgreSQL server is running"
    }

    private static func findOrStart() -> Result<String, ServerUnavailable> {
        if let given = ProcessInfo.processInfo.environment["GRADLOG_TEST_PG"], !given.isEmpty { return .success(given) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/pg-server").path
        // popen and pclose rather than Foundation's Process, whose waitUntilExit can hang when it is
        // called while Swift Testing discovers suites.
        guard let pipe = popen("'\(script)' start --until-exit-of \(getpid()) 2>&1", "r") else {
            return .failure(ServerUnavailable(description: "\(script) could not be run"))
        }
        var printed = ""
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), pipe) != nil {
            printed += String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let status = pclose(pipe)
        let lines = printed.split(separator: "\n")
        guard status == 0, lines.count == 2 else {
            return .failure(ServerUnavailable(description: "scripts/pg-server start failed: \(printed)"))
        }
        return .success(String(lines[1]))
    }
}
