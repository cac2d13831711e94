/// Commands gradlog prints for a person to run next, naming the database the current command was
/// given with --db (`gradlog compare 6 5 --db sweep.db`), or the team store it read with --store, so
/// that each works as printed.
public enum Hint {
    /// The path given with --db, for the command being run (the command line sets it); nil when the
    /// database came from GRADLOG_DB or the default, which the hint's command finds the same way.
    @TaskLocal public static var databaseOption: String?

    /// The team store given with --store, for the command being run (the command line sets it).
    @TaskLocal public static var storeOption: String?

    /// The commands that read a team store in place, which a hint may send back to it.
    public static let storeReaders: Set<String> = ["runs", "show", "report", "compare", "diff", "plot", "sweep"]

    /// `gradlog WORDS`, with the --db (or, for a command that reads a store, the --store) of the
    /// current command when it was given one.
    public static func command(_ words: String) -> String {
        if let storeOption {
            let reads = words.split(separator: " ").first.map { storeReaders.contains(String($0)) } ?? false
            return "gradlog \(words)" + (reads ? " --store \(ShellWord.quoted(storeOption))" : "")
        }
        return "gradlog \(words)" + (databaseOption.map { " --db \(ShellWord.quoted($0))" } ?? "")
    }
}
