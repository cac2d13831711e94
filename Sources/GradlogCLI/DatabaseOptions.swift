import ArgumentParser
import Tracker

/// The `--db` option shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(help: DatabaseOptions.help, completion: .file())
    var db: String?

    /// The help of `--db`, which `SourceOptions` declares too.
    static let help = ArgumentHelp(
        "The SQLite database file (default: $GRADLOG_DB, else ./gradlog.db).",
        discussion: "Commands that write (run, log, sweep, rm, tag, note, merge, pull, vacuum) create it, with gradlog's schema, "
            + "when it does not exist; commands that only read refuse a missing file.", valueName: "path")

    init() {}

    /// The options of a command given `--db path` (nil: none given).
    init(db: String?) {
        self.db = db
    }

    func validate() throws {
        // SQLite would take "" as a private temporary database, gone when the command ends.
        if db?.isEmpty == true { throw ValidationError("--db '': give the path of a database file") }
    }

    /// The path to use: --db, else GRADLOG_DB, else gradlog.db in the working directory.
    func path(environment: [String: String]) -> String {
        if let db { return db }
        if let fromEnvironment = environment["GRADLOG_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "gradlog.db"
    }

    /// The path this command uses, from the option, the environment or the default.
    var resolvedPath: String { path(environment: CommandContext.current.environment) }

    /// Opens the database to change it, creating and migrating it as needed.
    func openForWriting() throws(TrackerError) -> Store {
        try Store(path: resolvedPath, access: .write)
    }

    /// Opens an existing database only to read it (a missing file is an error, never created).
    func openForReading() throws(TrackerError) -> Store {
        try Store(path: resolvedPath, access: .read)
    }
}

/// "Example:" and the command lines, for the end of a command's discussion.
func example(_ commandLines: String...) -> String {
    "\n\nExample:\n" + commandLines.map { "  " + $0 }.joined(separator: "\n")
}

/// How a run argument may be given, for help texts: the forms `RunCatalog.resolve` accepts.
let runForms = "an id (3), latest, latest~N (the N-th before the latest), a uuid or its first 4+ characters, "
    + "or a name only one run has"
