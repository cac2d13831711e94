/// Commands gradlog prints for a person to run next, naming the database the current command was
/// given with --db (`gradlog compare 6 5 --db sweep.db`), so that each works as printed.
public enum Hint {
    /// The path given with --db, for the command being run (the command line sets it); nil when the
    /// database came from GRADLOG_DB or the default, which the hint's command finds the same way.
    @TaskLocal public static var databaseOption: String?

    /// `gradlog WORDS`, with the --db of the current command when it was given one.
    public static func command(_ words: String) -> String {
        "gradlog \(words)" + (databaseOption.map { " --db \(ShellWord.quoted($0))" } ?? "")
    }
}
