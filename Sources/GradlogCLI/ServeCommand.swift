#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import ServeOptions
import Tracker

extension Gradlog {
    /// `gradlog serve`: checks its options and the database, then becomes the `gradlog-serve`
    /// executable beside this one (as git runs its subcommands), so that building the training
    /// command line never builds the HTTP server.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a local web app of the runs: live pages of runs, charts and per-epoch tables.",
            discussion: """
                The runs page lists every run (status, progress, tags, final loss, gradient check), filtered, \
                sorted and paged; a run's page shows its summary, configuration, charts, per-epoch table and \
                exports, and follows a running run live (server-sent events: only the rows after those the page \
                has). The database is opened read-only. Only this machine can connect unless --host names another \
                address, and then every request needs the token. Runs the gradlog-serve executable installed beside \
                gradlog (build it with `swift build --product gradlog-serve`).
                """ + example("gradlog serve", "gradlog serve --port 0 --db runs.db"))

        @OptionGroup var options: ServeOptions

        func run() throws {
            // The file is checked here, so a missing or foreign database gets the command line's words, and
            // an older schema is upgraded here as by every reading command: the server itself never writes.
            let path = options.databasePath(environment: CommandContext.current.environment)
            do { _ = try Store(path: path, access: .read) }
            let server = try Self.serverExecutable()
            let arguments = [server] + options.arguments.replacingDatabase(with: path)
            let argv = arguments.map { strdup($0) } + [nil]
            execv(server, argv)
            throw CLIError.cannotStartServer(executable: server, errno: errno)
        }

        /// The name of the server's executable, which `swift build` puts beside `gradlog`.
        static let serverName = "gradlog-serve"

        /// `gradlog-serve` in this executable's directory, or an error saying how to build it.
        static func serverExecutable() throws -> String {
            let own = try Sweep.Start.executable()
            let directory = own.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            let path = directory + "/" + serverName
            guard access(path, X_OK) == 0 else { throw CLIError.serverMissing(path: path) }
            return path
        }
    }
}

extension [String] {
    /// These arguments with `--db` set to `path` (GRADLOG_DB and the default resolved once, here).
    func replacingDatabase(with path: String) -> [String] {
        var arguments = self
        if let index = arguments.firstIndex(of: "--db"), index + 1 < arguments.count {
            arguments[index + 1] = path
        } else {
            arguments = ["--db", path] + arguments
        }
        return arguments
    }
}
