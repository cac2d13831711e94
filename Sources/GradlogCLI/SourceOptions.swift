import ArgumentParser
import Tracker

/// Where a reading command reads: the `--db` file, or a PostgreSQL team store read in place
/// (`--store`, or `$GRADLOG_STORE` when no `--db` is given).
///
/// It declares `--db` and `--schema` itself, with the help of `DatabaseOptions` and `StoreOptions`,
/// rather than nesting those groups: a debug build of ArgumentParser checks each group's
/// declarations again for every group that holds it, so each level of nesting makes every parse of
/// a reading command several times slower (tens of milliseconds, which the tests pay hundreds of times).
struct SourceOptions: ParsableArguments {
    @Option(help: DatabaseOptions.help, completion: .file())
    var db: String?

    @Option(help: ArgumentHelp(
        "Read a PostgreSQL team store in place instead of a file (default: $GRADLOG_STORE when no --db is given).",
        discussion: "A libpq connection URI or keyword string, as push and pull take it; the password comes from "
            + "PGPASSWORD or ~/.pgpass. Run ids are the store's. Prints what the same command prints on a file that "
            + "pulled the runs.", valueName: "url"))
    var store: String?

    @Option(help: StoreOptions.schemaHelp)
    var schema: String?

    /// The `--db` option as the commands that write take it.
    var database: DatabaseOptions { DatabaseOptions(db: db) }

    /// The `--schema` option as push and pull take it.
    var storeOptions: StoreOptions { StoreOptions(schema: schema) }

    func validate() throws {
        try database.validate()
        if store?.isEmpty == true { throw ValidationError("--store '': give a PostgreSQL connection URI or keyword string") }
        if store != nil && db != nil { throw ValidationError("give --db or --store, not both") }
    }

    /// The team store this command reads, if any: --store, else $GRADLOG_STORE unless --db is given.
    func storeURL(environment: [String: String]) throws -> String? {
        if let store { return store }
        guard db == nil, let fromEnvironment = environment["GRADLOG_STORE"], !fromEnvironment.isEmpty else { return nil }
        if let file = environment["GRADLOG_DB"], !file.isEmpty {
            throw ValidationError("both GRADLOG_DB and GRADLOG_STORE are set: give --db FILE or --store URL to choose")
        }
        return fromEnvironment
    }

    /// Opens what this command reads: the file (to read), or a snapshot of the store's catalog, into
    /// which `Store.load` copies the runs the command names.
    func open() throws -> Store {
        let environment = CommandContext.current.environment
        if let url = try storeURL(environment: environment) {
            return try StoreSnapshot.open(try storeOptions.open(url, for: .pull), in: environment["TMPDIR"] ?? "/tmp")
        }
        if schema != nil { throw ValidationError("--schema chooses the schema of a team store: give --store too") }
        return try database.openForReading()
    }
}
