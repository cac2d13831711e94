import PostgresDB
import SQLiteDB

/// A PostgreSQL database that a team's runs are pushed to and pulled from, checked and migrated to
/// gradlog's PostgreSQL schema (`Migrations/PostgreSQL`), which has the SQLite schema's names.
public final class TeamStore {
    /// The connection, for push and pull.
    let connection: PostgresConnection
    /// The connection string as given (it holds no password: those are refused).
    public let url: String
    /// The PostgreSQL schema the store's tables are in, and how it was chosen.
    public let schema: StoreSchema

    /// What the store is opened for: push creates gradlog's schema in an empty database, pull does not.
    public enum Access: Sendable {
        /// Copy runs into it: an empty database gets gradlog's tables.
        case push
        /// Only read runs from it.
        case pull
    }

    /// What error messages show instead of a connection string that may hold a password.
    public static let notShown = "(the connection string given)"

    /// The migrations of the PostgreSQL schema, through the same migrator as the SQLite file's.
    static let migrator = Migrator<PostgresMigrationTarget>(migrations: MigrationCatalog.postgres)

    /// The latest PostgreSQL schema version this gradlog knows.
    public static var latestVersion: Int { migrator.latestVersion }

    /// Connects to `url` and checks (for a push, creates or upgrades) gradlog's schema there.
    ///
    /// A password in `url`, an unreachable server, refused credentials, a database of another
    /// program, one whose gradlog schema is newer than this gradlog's, or (for a push) a role that
    /// may not write gradlog's tables (`PushPrivileges`) or a store whose tables carry triggers, rules, policies or others' functions (`StoreGuard`), is an error before
    /// anything is written. The store is in `schema` (`--schema`) when given, else as `StoreSchema`
    /// resolves it; a push creates the schema. The session's `search_path` is pinned to it, and a
    /// pull's session is read-only.
    public init(url: String, access: Access, schema given: String? = nil) throws(TrackerError) {
        self.url = url
        // Neither string is echoed: it may hold a password, which the terminal's scrollback would keep.
        switch PostgresConnection.setsPassword(url) {
        case .failure(let error): throw .teamStore(url: Self.notShown, problem: .badURL(error.message))
        case .success(true): throw .teamStore(url: Self.notShown, problem: .passwordInURL)
        case .success(false): break
        }
        if let given {
            do throws(TeamStoreProblem) { try StoreSchema.validate(given) } catch { throw .teamStore(url: url, problem: error) }
        }
        do {
            connection = try PostgresConnection(url, applicationName: "gradlog")
        } catch {
            throw .teamStore(url: url, problem: .cannotConnect(error.message))
        }
        do {
            // Shortest exact text for every double, whatever the server's default.
            try connection.execute("SET extra_float_digits = 1; SET client_encoding = 'UTF8'")
            schema = try StoreSchema.resolve(given, in: connection)
        } catch {
            throw Self.wrap(error, url: url)
        }
        do {
            try StoreGuard.prepareSession(connection, schema: schema, readOnly: access == .pull)
            if access == .push {
                try schema.createIfMissing(in: connection, before: { [connection] in try StoreGuard.refuseForeignObjects(in: connection) })
            }
            try prepareSchema(for: access)
        } catch let error as TrackerError {
            throw error
        } catch {
            throw wrap(error)
        }
    }

    /// The transaction of a read-only snapshot of the store, which every read of a reading command
    /// shares (`StoreSnapshot` begins it and holds it until the command ends): so what a command
    /// reads at different moments (a run's summaries, then some of its rows) is of one moment.
    static let readingSnapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    /// Runs `body` in a read-only snapshot of the store: the one the command holds, else one of its own.
    func reading<T>(_ body: () throws -> T) throws -> T {
        if connection.isInTransaction { return try body() }
        return try connection.transaction(Self.readingSnapshot, body)
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
        Self.wrap(error, url: url)
    }

    /// The error as a TrackerError that names the store at `url`.
    private static func wrap(_ error: any Error, url: String) -> TrackerError {
        switch error {
        case let error as TrackerError: error
        case let problem as TeamStoreProblem: .teamStore(url: url, problem: problem)
        case let error as PostgresError where error.sqlState == "42501": .teamStore(url: url, problem: .permissionDenied(error.message))
        case let error as PostgresError: .teamStore(url: url, problem: .server(error))
        default: .teamStore(url: url, problem: .server(PostgresError(sqlState: nil, message: "\(error)")))
        }
    }

    private func prepareSchema(for access: Access) throws {
        let target = PostgresMigrationTarget(connection: connection, schema: schema.name)
        let version = try schemaVersion(target)
        if version == Self.latestVersion {
            // Refused here too, so that a push of no runs says so; each run's transaction checks again.
            if access == .push {
                try PushPrivileges.refuseIfMissing(in: connection)
                try StoreGuard.refuseForeignObjects(in: connection)
            }
            return
        }
        guard access == .push else {
            throw TrackerError.teamStore(url: url, problem: version == 0 ? .noGradlogSchema(schema: schema.name) : .olderSchema(version))
        }
        // Before the migrations' DDL, which an event trigger would see; under the lock, so that a
        // store migrated meanwhile by another push is checked as it now is.
        do {
            try Self.migrator.migrate(target, before: { try StoreGuard.refuseForeignObjects(in: connection) })
        } catch let error as MigrationError {
            throw problem(error)
        }
    }

    /// The applied schema version: 0 for an empty database; a foreign or newer one is refused.
    private func schemaVersion(_ target: PostgresMigrationTarget) throws -> Int {
        do {
            return try Self.migrator.checkCompatible(target)
        } catch let error as MigrationError {
            throw problem(error)
        }
    }

    /// The migrator's refusal in the store's terms.
    private func problem(_ error: MigrationError) -> TrackerError {
        switch error {
        case let .newerSchema(found, supported): .teamStore(url: url, problem: .newerSchema(found: found, supported: supported))
        case .foreignDatabase, .foreignKeyViolation: .teamStore(url: url, problem: .foreignDatabase(schema: schema.name))
        }
    }
}
