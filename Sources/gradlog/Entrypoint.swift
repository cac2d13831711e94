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
        if let database = getenv("GRADLOG_DB") { environment["GRADLOG_DB"] = String(cString: database) }
        let context = CommandContext(console: .standard(), environment: environment, commandLine: CommandLine.arguments)
        exit(Gradlog.execute(arguments, context: context))
    }
}
