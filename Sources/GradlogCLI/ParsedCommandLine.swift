import ArgumentParser

extension Gradlog {
    /// A command line that parsed, which `execute(_:context:)` may run again without parsing it again.
    ///
    /// A parse costs tens of milliseconds in a debug build (swift-argument-parser checks every
    /// declaration then): tests that run one command line against many files parse it once. A
    /// parsed command depends on its arguments only: no option's default and no `validate()` reads
    /// the environment, the console or a file.
    struct ParsedCommandLine {
        /// The arguments, a leading --db, --store or --schema already moved after the subcommand.
        let arguments: [String]
        let command: ParsableCommand
    }

    /// Runs `line` as `execute` ran it when it parsed: the same exit code, output and messages.
    static func execute(_ line: ParsedCommandLine, context: CommandContext) -> Int32 {
        within(context, arguments: line.arguments) { line.command }
    }
}
