#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Tracker
import Wording
import Output

/// The `gradlog` command: train a sigmoid neuron, log every step to SQLite, and report on it.
public struct Gradlog: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gradlog",
        abstract: "Watch gradient descent work: train a sigmoid neuron and log every step to SQLite.",
        discussion: """
            Each run trains one sigmoid neuron with binary cross-entropy by gradient descent and logs, at \
            every step, the loss, each parameter, its chain-rule gradient and its central-difference \
            gradient. Everything goes into one SQLite file that the sqlite3 shell can query. `gradlog \
            log` (JSON Lines) and the GradlogKit library log your own training code the same way.

            Every command takes --db PATH (default: $GRADLOG_DB, else ./gradlog.db). Commands that \
            print rows take one format, --table (the default), --csv, --tsv, --json, --jsonl or \
            --markdown, and --output FILE.

            Exit codes: 0 success; 1 an error (database, file, data, unknown run, a bad line of gradlog log's \
            input, a failed trial of a sweep); 2 the run diverged, or push/pull cannot use the PostgreSQL \
            store; 3 verify of a run logged from outside, which cannot be trained again; 64 a command-line \
            argument is not allowed; 130, 143 and 129 a run (or a sweep's running trials) stopped by SIGINT \
            (Ctrl-C), SIGTERM or SIGHUP after committing its last step; 141 standard output's reader went away.

            Shell completion: gradlog --generate-completion-script bash (or zsh, fish). \
            Manual page: swift package generate-manual (writes .build/plugins/GenerateManual/outputs/gradlog/gradlog.1).

            Example:
              gradlog run --epochs 20 && gradlog report latest
            """,
        version: GradlogVersion.current,
        subcommands: [
            Run.self, Log.self, Runs.self, Show.self, Report.self, Plot.self, Verify.self, Check.self, Compare.self, Diff.self,
            Remove.self, TagRun.self, NoteRun.self, Merge.self, Sweep.self, Push.self, Pull.self, Vacuum.self, Serve.self,
        ]
    )

    public init() {}

    /// The exit code of a run that diverged.
    public static let divergedExitCode: Int32 = 2

    /// The exit code of `verify` for a run logged from outside, which it cannot train again.
    public static let notVerifiableExitCode: Int32 = 3

    /// The exit code when a place to read or write cannot be used: the PostgreSQL team store
    /// (unreachable, refused, foreign, newer), or a database or output path that is a device,
    /// directory, FIFO or socket.
    public static let unusablePlaceExitCode: Int32 = 2

    /// The exit code when standard output's reader went away: 128 + SIGPIPE, as a shell reports a
    /// writer that SIGPIPE ended (gradlog gets EPIPE instead when SIGPIPE is ignored).
    public static let brokenPipeExitCode: Int32 = 141

    /// Parses `arguments` (without the program name), runs the command and returns its exit code.
    ///
    /// Data goes to the context's console output, help and error messages to its error stream.
    public static func execute(_ arguments: [String], context: CommandContext) -> Int32 {
        execute(arguments, context: context, keeping: { _ in })
    }

    /// As `execute(_:context:)`, handing `keep` the command line once it parsed, so that a test may
    /// run it again without parsing it again (`execute(_:context:)` of a `ParsedCommandLine`).
    static func execute(_ arguments: [String], context: CommandContext,
                        keeping keep: (ParsedCommandLine) -> Void) -> Int32 {
        let arguments = databaseOptionAfterSubcommand(arguments)
        return within(context, arguments: arguments) {
            let command = try parse(commandLine: arguments)
            keep(ParsedCommandLine(arguments: arguments, command: command))
            return command
        }
    }

    /// Parses `arguments` as `parseAsRoot` does, first by the subcommand they name alone.
    ///
    /// swift-argument-parser builds a command's arguments about twice as often when it reaches the
    /// command from the root, and a debug build checks every declaration each time: the shortcut
    /// halves a debug parse (a fifth of the tests' CPU time went to parsing). Only one of gradlog's own
    /// commands is taken from it, for a line without the root's built-in flags (a subcommand parsed
    /// as the root has no `--version`, and `sweep` would take it as a run option); help, an error or
    /// anything else comes from the root's parse, worded as it always was.
    static func parse(commandLine arguments: [String]) throws -> ParsableCommand {
        if let name = arguments.first, let subcommand = subcommand(named: name, of: Gradlog.self),
           !arguments.contains(where: { rootFlags.contains(String($0.prefix { $0 != "=" })) }),
           let command = try? subcommand.parseAsRoot(Array(arguments.dropFirst())),
           ownCommands.contains(ObjectIdentifier(type(of: command))) {
            return command
        }
        return try parseAsRoot(arguments)
    }

    /// The flags swift-argument-parser gives the root command (also written `--version=…`, which it
    /// reads as `--version`).
    static let rootFlags: Set<String> = [
        "--version", "-h", "--help", "--help-hidden", "--generate-completion-script", "--experimental-dump-help",
    ]

    /// gradlog's commands and theirs, at every depth (not the `help` that a command parsed as the
    /// root would be given).
    static let ownCommands: Set<ObjectIdentifier> = {
        func descendants(_ command: ParsableCommand.Type) -> [ParsableCommand.Type] {
            command.configuration.subcommands.flatMap { [$0] + descendants($0) }
        }
        return Set(descendants(Gradlog.self).map(ObjectIdentifier.init))
    }()

    /// Runs the command that `command` parses within `context`, and returns its exit code.
    static func within(_ context: CommandContext, arguments: [String],
                       command: () throws -> ParsableCommand) -> Int32 {
        // Errors are worded inside the context too: their hints name the command's --db.
        CommandContext.$current.withValue(context) {
            Hint.$databaseOption.withValue(option("--db", in: arguments)) {
                Hint.$storeOption.withValue(option("--store", in: arguments)) { run(command, console: context.console) }
            }
        }
    }

    /// The value given with `name` (--db, --store), nil when there is none (the environment or the default).
    static func option(_ name: String, in arguments: [String]) -> String? {
        var value: String?
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { break }
            if argument == name, index + 1 < arguments.count { value = arguments[index + 1] }
            if argument.hasPrefix(name + "=") { value = String(argument.dropFirst(name.count + 1)) }
        }
        return value
    }

    private static func run(_ parse: () throws -> ParsableCommand, console: Console) -> Int32 {
        do {
            var command = try parse()
            try command.run()
            if let failure = console.flushOut() { throw OutputError.standardOutput(errno: failure) }
            return 0
        } catch OutputError.standardOutput(errno: EPIPE) {
            return brokenPipeExitCode  // the reader left (`| head`): end quietly, as a killed writer would
        } catch let error as OutputError {
            console.err("Error: \(error)\n")
            if case .refused(let inner) = error { return exitCode(for: inner) }
            return 1
        } catch let error as TrackerError {
            console.err("Error: \(error.message)\n")
            return exitCode(for: error)
        } catch let error as CLIError {
            console.err("Error: \(error)\n")
            if case .failed(let inner as TrackerError) = error { return exitCode(for: inner) }
            if case .diverged = error { return divergedExitCode }
            if case .interrupted(_, let signal, _) = error { return 128 + signal }
            if case .logInterrupted(_, let signal) = error { return 128 + signal }
            if case .sweepIncomplete(_, _, let signal?) = error { return 128 + signal }
            if case .badSweep = error { return ExitCode.validationFailure.rawValue }
            if case .loggedEnding(_, .diverged, _) = error { return divergedExitCode }
            return 1
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if message.isEmpty {
                // An ExitCode thrown after the command already said what happened.
            } else if code == .success {
                console.out(message + "\n")
            } else {
                console.err(message + "\n")
            }
            return code.rawValue
        }
    }

    /// The options that name what a command reads or writes, which may come before the subcommand.
    static let leadingOptions = ["--db", "--store", "--schema"]

    /// The arguments with a `--db` (or `--store`, `--schema`) given before the subcommand (`gradlog
    /// --db x.db runs`) moved after it, where it means the same (a subcommand that does not take
    /// it says so).
    static func databaseOptionAfterSubcommand(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            if leadingOptions.contains(first) && rest.count >= 2 {
                leading += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if leadingOptions.contains(where: { first.hasPrefix($0 + "=") }) {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !leading.isEmpty else { return arguments }
        // The subcommand's words: `sweep show` has two.
        var words: [String] = []
        var command: ParsableCommand.Type = Gradlog.self
        while let word = rest.first, let chosen = subcommand(named: word, of: command) {
            words.append(word)
            rest = rest.dropFirst()
            command = chosen
        }
        return words + leading + rest
    }

    /// The subcommand of `command` that `name` names, as typed (`show`, `sweep`, then `show`).
    static func subcommand(named name: String, of command: ParsableCommand.Type) -> ParsableCommand.Type? {
        command.configuration.subcommands.first { $0._commandName == name }
    }

    static func exitCode(for error: TrackerError) -> Int32 {
        switch error {
        case .badConfig, .badInitialValues, .datasetNotFound, .badRunReference, .ambiguousRunReference, .noParameterMatches,
             .sweepGridDiffers:
            ExitCode.validationFailure.rawValue
        case .externalRun, .noModel: notVerifiableExitCode
        case .teamStore, .specialFile: unusablePlaceExitCode
        default: 1
        }
    }
}
