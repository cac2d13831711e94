#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where rows go: the console, or a file that is replaced only when the output is complete.
final class OutputTarget {
    private let console: Console
    private let path: String?
    private var file: UnsafeMutablePointer<FILE>?
    private let temporaryPath: String?

    /// Opens the target; with a path, output goes to a temporary file beside it until `commit()`.
    init(path: String?, console: Console) throws(CLIError) {
        self.console = console
        self.path = path
        guard let path else {
            temporaryPath = nil
            return
        }
        let temporary = path + ".gradlog-partial"
        guard let handle = fopen(temporary, "wb") else {
            throw .outputFile(path: path, reason: String(cString: strerror(errno)))
        }
        file = handle
        temporaryPath = temporary
    }

    deinit {
        if let file {
            fclose(file)
            if let temporaryPath { unlink(temporaryPath) }
        }
    }

    /// Writes text.
    func write(_ text: String) {
        if let file { fputs(text, file) } else { console.out(text) }
    }

    /// Finishes the output: moves a finished file into place.
    func commit() throws(CLIError) {
        guard let file, let path, let temporaryPath else { return }
        self.file = nil
        let failed = ferror(file) != 0
        if fclose(file) != 0 || failed {
            unlink(temporaryPath)
            throw .outputFile(path: path, reason: "the output could not be written completely")
        }
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw .outputFile(path: path, reason: reason)
        }
    }
}
