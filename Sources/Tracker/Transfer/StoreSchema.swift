import PostgresDB

/// The PostgreSQL schema a team store lives in, so that gradlog's tables can share a database with
/// other programs': named by `--schema`, else by the connection string's `search_path`, else `gradlog`
/// (or `public`, where a store from before gradlog had a schema of its own is found).
public struct StoreSchema: Equatable, Sendable {
    /// The schema a store lives in when nothing names one.
    public static let defaultName = "gradlog"
    /// Where every store lived before gradlog had a schema of its own.
    public static let publicName = "public"
    /// The longest name PostgreSQL keeps whole (NAMEDATALEN - 1 bytes); a longer one is cut silently.
    public static let maxNameBytes = 63

    /// How the schema was chosen.
    public enum Source: Equatable, Sendable {
        /// By `--schema NAME`.
        case option
        /// By the connection string's (or PGOPTIONS') `search_path`: its first schema.
        case searchPath
        /// Nothing named one: gradlog's default.
        case defaultName
        /// Nothing named one, and `public` holds a store from before while `gradlog` holds none.
        case publicFromBefore
    }

    /// The schema's name, as PostgreSQL stores it (not quoted).
    public let name: String
    /// How it was chosen.
    public let source: Source

    /// Creates a choice of schema.
    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }

    /// The name as a quoted SQL identifier, safe in any statement whatever its characters.
    var identifier: String { SQLIdentifier.quoted(name) }

    /// Throws `badSchemaName` for a name PostgreSQL would refuse, cut or reserve.
    public static func validate(_ name: String) throws(TeamStoreProblem) {
        let reason: TeamStoreProblem.SchemaNameProblem? =
            if name.isEmpty { .empty }
            else if name.utf8.contains(0) { .nulByte }
            else if name.utf8.count > maxNameBytes { .tooLong }
            else if name.hasPrefix("pg_") || name == "information_schema" { .system }
            else if name == "$user" { .roleOwnSchema }
            else { nil }
        if let reason { throw .badSchemaName(name, reason) }
    }

    /// The schema this connection's store is in: `given` (from `--schema`), else the first schema of a
    /// `search_path` the connection string sets, else `gradlog`, or `public` when only it holds a store.
    static func resolve(_ given: String?, in connection: PostgresConnection) throws -> StoreSchema {
        if let given {
            try validate(given)
            return StoreSchema(name: given, source: .option)
        }
        // Set by the client (the string's options, PGOPTIONS), not the database's or role's default,
        // which another program may have set for its own tables.
        let setting = try connection.query(
            "SELECT setting, source, current_user AS role FROM pg_catalog.pg_settings WHERE name = 'search_path'").namedRows.first
        if try setting?["source"] == "client", let path = try setting?["setting"],
           let first = try SearchPath.firstSchema(of: path, user: setting?["role"] ?? "") {
            try validate(first)
            return StoreSchema(name: first, source: .searchPath)
        }
        if try holdsStore(defaultName, connection) || !holdsStore(publicName, connection) {
            return StoreSchema(name: defaultName, source: .defaultName)
        }
        return StoreSchema(name: publicName, source: .publicFromBefore)
    }

    /// Whether `schema` holds gradlog's bookkeeping table and `runs` beside it.
    private static func holdsStore(_ schema: String, _ connection: PostgresConnection) throws -> Bool {
        let prefix = SQLIdentifier.quoted(schema) + "."
        return try connection.query(
            "SELECT pg_catalog.to_regclass($1) IS NOT NULL AND pg_catalog.to_regclass($2) IS NOT NULL",
            [prefix + PostgresMigrationTarget.table, prefix + "runs"]).scalar == "t"
    }

    /// Whether the schema exists in the connection's database.
    func exists(in connection: PostgresConnection) throws -> Bool {
        try connection.query("SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = $1", [name]).scalar == "1"
    }

    /// Creates the schema when it does not exist, under the migrations' lock so that two pushes to a
    /// new store at once create it once (CREATE SCHEMA needs CREATE on the database; an existing
    /// schema is used without it), after `before` (the guard against event triggers, which DDL runs).
    func createIfMissing(in connection: PostgresConnection, before: () throws -> Void) throws {
        guard try !exists(in: connection) else { return }
        try connection.transaction {
            try connection.query("SELECT pg_catalog.pg_advisory_xact_lock(\(PostgresMigrationTarget.lock))")
            try before()
            try connection.execute("CREATE SCHEMA IF NOT EXISTS \(identifier)")
        }
    }
}
