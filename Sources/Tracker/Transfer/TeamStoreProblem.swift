import PostgresDB

/// Why the PostgreSQL team store cannot be used, or a run cannot be found in it (the words are the CLI's).
public enum TeamStoreProblem: Error, Equatable, Sendable {
    /// libpq cannot parse the connection string.
    case badURL(String)
    /// The connection string holds a password, which belongs in PGPASSWORD or ~/.pgpass.
    case passwordInURL
    /// The server is unreachable or refused the connection (libpq's message).
    case cannotConnect(String)
    /// The database has tables but not gradlog's bookkeeping: it belongs to another program.
    case foreignDatabase
    /// Pulling from a database that has no gradlog schema yet (nothing was ever pushed there).
    case noGradlogSchema
    /// Pulling from a store of an older schema version, which only a push upgrades.
    case olderSchema(Int)
    /// The store was migrated by a newer gradlog.
    case newerSchema(found: Int, supported: Int)
    /// The connection's search_path names no schema that exists, so there is nowhere to create tables.
    case noSchemaToCreateIn
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
}
