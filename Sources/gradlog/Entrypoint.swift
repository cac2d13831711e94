#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GradlogCLI

/// The `gradlog` executable: everything lives in the GradlogCLI library so tests can run it in-process.
@main
enum Entrypoint {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var environment: [String: String] = [:]
        // GRADLOG_DB for the database, GRADLOG_STORE for a team store read in place (and TMPDIR for
        // its temporary copy); USER and LOGNAME for who runs a run (`runs.run_by`).
        for name in ["GRADLOG_DB", "GRADLOG_STORE", "TMPDIR", "USER", "LOGNAME"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        let context = CommandContext(console: .standard(), environment: environment, commandLine: CommandLine.arguments)
        exit(Gradlog.execute(arguments, context: context))
    }
}
