#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import GradlogServe
import ServeOptions

/// `gradlog-serve`, which `gradlog serve` starts: the web app over one database until interrupted.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradlog serve",
        abstract: "Serve a local web app of the runs in a database: pages of runs, live while they train.")

    @OptionGroup var options: ServeOptions

    func run() async throws {
        do {
            try await ServeMain.serve(options)
        } catch let error as ServeMain.Failure {
            StandardError.emit("gradlog serve: error: \(error.message)\n")
            throw ExitCode.failure
        }
    }
}

/// Writes to standard error without Foundation.
enum StandardError {
    static func emit(_ text: String) {
        _ = text.withCString { write(2, $0, strlen($0)) }
    }
}
