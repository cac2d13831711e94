import Foundation

/// Runs the built `gradlog` executable and other programs as a user would, from a shell.
enum BinaryRunner {
    /// The `gradlog` binary that `swift build` put beside this test bundle.
    static var gradlog: String { built("gradlog") }

    /// The executable `name` of this package that `swift build` put beside this test bundle.
    static func built(_ name: String) -> String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // The test runner may live inside an .xctest bundle directory.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return "\(name)-not-built"
    }

    /// The package's root folder, for files under Tests/.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Output: Sendable {
        let code: Int32
        let out: String
        let err: String
    }

    /// Runs a program as `run` does, waiting for it on a thread of its own: one of Swift Testing's
    /// two threads would otherwise wait with it, idle, while it runs (seconds, for a browser or the
    /// README's walk-through), instead of running other tests.
    static func runAside(_ program: String, _ arguments: [String], in directory: String? = nil,
                         environment extra: [String: String] = [:]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try run(program, arguments, in: directory, environment: extra) })
            }.start()
        }
    }

    /// Runs a program found on PATH (or by absolute path) and waits for it.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], in directory: String? = nil,
                    environment extra: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "GRADLOG_DB")
        environment.removeValue(forKey: "GRADLOG_STORE")
        environment.merge(extra) { _, given in given }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(code: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData, as: UTF8.self))
    }
}
