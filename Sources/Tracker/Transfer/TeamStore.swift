import Migrations
import PostgresDB

/// A PostgreSQL database that a team's runs are pushed to and pulled from, checked and migrated to
/// gradlog's PostgreSQL schema (`Migrations/PostgreSQL`), which has the SQLite schema's names.
public final class TeamStore {
    /// The connection, for push and pull.
    let connection: PostgresConnection
    /// The connection string as given (it holds no password: those are refused).
    public let url: String

    /// What the store is opened for: push creates gradlog's schema in an empty database, pull does not.
    public enum Access: Sendable {
        /// Copy runs into it: an empty database gets gradlog's tables.
        case push
        /// Only read runs from it.
        case pull
    }

    /// What error messages show instead of a connection string that may hold a password.
    public static let notShown = "(the connection string given)"

    /// The migrations of the PostgreSQL schema, in order.
    static let migrations: [(version: Int, name: String, sql: String)] = EmbeddedMigrations.postgres.map { file in
        let stem = file.name.split(separator: "/").last?.split(separator: ".").first ?? ""
        let parts = stem.split(separator: "_", maxSplits: 1)
        return (Int(parts[0]) ?? 0, String(parts[1]), file.sql)
    }

    /// The latest PostgreSQL schema version this gradlog knows.
    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Connects to `url` and checks (for a push, creates or upgrades) gradlog's schema there.
    ///
    /// A password in `url`, an unreachable server, refused credentials, a database of another
    /// program, one whose gradlog schema is newer than this gradlog's, or (for a push) one whose
    /// tables carry triggers, rules, policies or others' functions (`StoreGuard`), is an error before
    /// anything is written. The session's `search_path` is pinned, and a pull's session is read-only.
    public init(url: String, access: Access) throws(TrackerError) {
        self.url = url
        // Neither string is echoed: it may hold a password, which the terminal's scrollback would keep.
        switch PostgresConnection.setsPassword(url) {
        case .failure(let error): throw .teamStore(url: Self.notShown, problem: .badURL(error.message))
        case .success(true): throw .teamStore(url: Self.notShown, problem: .passwordInURL)
        case .success(false): break
        }
        do {
            connection = try PostgresConnection(url, applicationName: "gradlog")
        } catch {
            throw .teamStore(url: url, problem: .cannotConnect(error.message))
        }
        do {
            // Shortest exact text for every double, whatever the server's default.
            try connection.execute("SET extra_float_digits = 1; SET client_encoding = 'UTF8'")
            try StoreGuard.prepareSession(connection, readOnly: access == .pull)
            try prepareSchema(for: access)
        } catch let error as TrackerError {
            throw error
        } catch {
            throw wrap(error)
        }
    }

    /// Runs `body`, turning PostgreSQL's errors into errors that name this store.
    func attempt<T>(_ body: () throws -> T) throws(TrackerError) -> T {
        do {
            return try body()
        } catch {
            throw wrap(error)
        }
    }

    /// The error as a TrackerError that names this store.
    func wrap(_ error: any Error) -> TrackerError {
        switch error {
        case let error as TrackerError: error
        case let problem as TeamStoreProblem: .teamStore(url: url, problem: problem)
        case let error as PostgresError: .teamStore(url: url, problem: .server(error))
        default: .teamStore(url: url, problem: .server(PostgresError(sqlState: nil, message: "\(error)")))
        }
    }

    private func prepareSchema(for access: Access) throws {
        let version = try schemaVersion()
        if version == Self.latestVersion {
            // Refused here too, so that a push of no runs says so; each run's transaction checks again.
            if access == .push { try StoreGuard.refuseForeignObjects(in: connection) }
            return
        }
        guard access == .push else {
            throw TrackerError.teamStore(url: url, problem: version == 0 ? .noGradlogSchema : .olderSchema(version))
        }
        // Several machines may push to a new store at once: one migrates, the others wait for it.
        try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
            // Before the migrations' DDL, which an event trigger would see; under the lock, so that
            // a store migrated meanwhile by another push is checked as it now is.
            try StoreGuard.refuseForeignObjects(in: connection)
            let applied = try schemaVersion()
            for migration in Self.migrations where migration.version > applied {
                try connection.execute(migration.sql)
                try connection.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    [String(migration.version), migration.name, Timestamp.now()])
            }
        }
    }

    /// The key of the advisory lock held while migrating (any fixed number; this one spells "gradlog").
    static let migrationLock: Int64 = 0x6772_6164_6C6F_67

    /// The applied schema version: 0 for an empty database; a foreign or newer one is refused.
    private func schemaVersion() throws -> Int {
        let tables = try connection.query(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").scalar.flatMap { Int($0) } ?? 0
        // Other programs keep a schema_migrations table too (Rails, golang-migrate): gradlog's has runs beside it.
        let hasBookkeeping = try connection.query(
            "SELECT to_regclass('schema_migrations') IS NOT NULL AND to_regclass('runs') IS NOT NULL").scalar == "t"
        guard hasBookkeeping else {
            if tables > 0 { throw TrackerError.teamStore(url: url, problem: .foreignDatabase) }
            if try connection.query("SELECT current_schema() IS NULL").scalar == "t" {
                throw TrackerError.teamStore(url: url, problem: .noSchemaToCreateIn)
            }
            return 0
        }
        let version = try connection.query("SELECT coalesce(max(version), 0) FROM schema_migrations").scalar.flatMap { Int($0) } ?? 0
        if version > Self.latestVersion {
            throw TrackerError.teamStore(url: url, problem: .newerSchema(found: version, supported: Self.latestVersion))
        }
        return version
    }
}
