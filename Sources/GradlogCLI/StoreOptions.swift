import ArgumentParser
import Tracker

/// The `--schema` option of every command that takes a team store's connection string.
struct StoreOptions: ParsableArguments {
    @Option(help: StoreOptions.schemaHelp)
    var schema: String?

    /// The help of `--schema`, which `SourceOptions` declares too.
    static let schemaHelp = ArgumentHelp(
        "The PostgreSQL schema of the store (default: the first of the connection string's search_path, else gradlog).",
        discussion: "So that gradlog's tables can share a database with other programs'. A push creates the schema. "
            + "When nothing names one and schema gradlog holds no store but public does (a store from before gradlog "
            + "had a schema of its own), that one is used, with a note.", valueName: "name")

    init() {}

    /// The options of a command given `--schema name` (nil: none given).
    init(schema: String?) {
        self.schema = schema
    }

    /// Opens the team store at `url` for `access`, in the schema chosen, saying so when it is a store
    /// found in `public`.
    func open(_ url: String, for access: TeamStore.Access) throws(TrackerError) -> TeamStore {
        let team = try TeamStore(url: url, access: access, schema: schema)
        if team.schema.source == .publicFromBefore {
            CommandContext.current.console.err(
                "Note: using the store in schema public, where gradlog kept it before it had a schema of its own "
                    + "(--schema public uses it without this note; docs/sweeps-and-store.md says how to move it to schema "
                    + "\(StoreSchema.defaultName)).\n")
        }
        return team
    }
}
