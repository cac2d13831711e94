import ArgumentParser
import Tracker

/// The `--db` option shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The SQLite database file (default: $GRADLOG_DB, else ./gradlog.db).",
        discussion: "It is created, with gradlog's schema, when it does not exist.", valueName: "path"))
    var db: String?

    /// The path to use: --db, else GRADLOG_DB, else gradlog.db in the working directory.
    func path(environment: [String: String]) -> String {
        if let db { return db }
        if let fromEnvironment = environment["GRADLOG_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "gradlog.db"
    }

    /// Opens and migrates the database.
    func open() throws(TrackerError) -> Store {
        try Store(path: path(environment: CommandContext.current.environment))
    }
}
