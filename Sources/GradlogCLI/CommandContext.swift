import Tracker
import Output

/// What a command needs from its surroundings, passed in so that tests can supply their own.
public struct CommandContext: Sendable {
    /// Where output goes.
    public var console: Console
    /// The environment variables (GRADLOG_DB; GRADLOG_STORE and TMPDIR, for a store read in place;
    /// USER and LOGNAME, for who runs a run).
    public var environment: [String: String]
    /// Seconds between commits while a run trains.
    public var commitInterval: Double
    /// The process's full command line, recorded with each run.
    public var commandLine: [String]
    /// The file descriptor commands read their input from (`gradlog log`): standard input by default.
    public var input: Int32 = 0
    /// The folder where `plot` and `report --html` put the file they name themselves when standard
    /// output is a terminal; nil: the current directory (tests give their own).
    public var documentDirectory: String?
    /// How many times `runs --watch` draws before it returns (tests); nil: until interrupted.
    public var maxRefreshes: Int?

    /// Creates a context.
    public init(
        console: Console, environment: [String: String], commitInterval: Double = RunRecorder.defaultCommitInterval,
        commandLine: [String] = []
    ) {
        self.commandLine = commandLine
        self.console = console
        self.environment = environment
        self.commitInterval = commitInterval
    }

    /// The context of the command currently running.
    @TaskLocal static var current = CommandContext(console: .standard(), environment: [:])
}
