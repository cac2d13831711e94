import PostgresDB

/// Why the PostgreSQL team store cannot be used, or a run cannot be found in it (the words are the CLI's).
public enum TeamStoreProblem: Error, Equatable, Sendable {
    /// libpq cannot parse the connection string.
    case badURL(String)
    /// The connection string holds a password, which belongs in PGPASSWORD or ~/.pgpass.
    case passwordInURL
    /// The server is unreachable or refused the connection (libpq's message).
    case cannotConnect(String)
    /// The store's schema has tables but not gradlog's bookkeeping: it belongs to another program.
    case foreignDatabase(schema: String)
    /// Pulling from a schema that holds no gradlog store yet (nothing was ever pushed there).
    case noGradlogSchema(schema: String)
    /// A schema name (`--schema`, or the first of the string's `search_path`) that cannot name a store.
    case badSchemaName(String, SchemaNameProblem)
    /// Pulling from a store of an older schema version, which only a push upgrades.
    case olderSchema(Int)
    /// The store was migrated by a newer gradlog.
    case newerSchema(found: Int, supported: Int)
    /// The store's tables carry objects gradlog's migrations did not create (triggers, rules,
    /// policies, event triggers, expressions calling others' functions), which a push would run.
    case foreignObjects([ForeignStoreObject])
    /// The session's role lacks privileges that push uses on gradlog's tables (a read-only role).
    case cannotPush(role: String, missing: [PushPrivileges.Missing])
    /// The server refused a statement for want of a privilege (SQLSTATE 42501): its message.
    case permissionDenied(String)
    /// A query failed on the server.
    case server(PostgresError)
    /// No run in the store has this uuid (or uuid prefix).
    case runNotFound(String)
    /// No run of the store has all of these tags (`key=value`).
    case noRunWithTags([String])
    /// A uuid prefix that several runs of the store share.
    case ambiguousRun(String, count: Int)
    /// A value in the store that does not read as its column's type (`text`, its first 40 characters).
    case unreadableValue(table: String, column: String, type: String, text: String)
    /// A run of the store whose epochs, in the order of their last steps, are not in the order of
    /// their numbers (never so in a run gradlog wrote), which a report read in place relies on.
    case epochsOutOfStepOrder(runID: Int64)

    /// Why a schema name cannot name a store.
    public enum SchemaNameProblem: Equatable, Sendable {
        /// The name is empty.
        case empty
        /// The name holds a NUL byte, which no PostgreSQL name can.
        case nulByte
        /// The name is longer than PostgreSQL keeps (it would be cut, silently, to another name).
        case tooLong
        /// A name PostgreSQL reserves for itself (`pg_…`, `information_schema`).
        case system
        /// `$user`, which a `search_path` reads as the session's role, not as a schema of that name.
        case roleOwnSchema
    }
}
