#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tracker

/// Where output goes: the console, or a file that is replaced only when the output is complete.
///
/// A regular file (or a new one) is written to a temporary file created exclusively beside it and
/// renamed over it at the end, so an interrupted command leaves the old file whole. A symbolic link
/// is written through (its target is replaced, the link stays); a FIFO or a device is written to
/// directly. The database, its `-wal`, `-shm` and `-journal` files, and any other SQLite file are
/// refused. Two commands writing the same file at once: the second one fails, nothing is mixed.
package final class OutputTarget {
    private let console: Console
    private let path: String?
    private var sink: FileSink?
    /// The first write error: its errno.
    private(set) var failure: Int32?

    /// The `--output` value that means standard output (`-`, as most Unix tools read it).
    package static let standardOutputName = "-"

    /// Opens the target; with a path, output goes to a temporary file beside it until `commit()`.
    /// The path `-` is standard output (`./-` names a file called `-`).
    package init(path: String?, console: Console, protecting databases: [String]) throws(OutputError) {
        self.console = console
        self.path = path == Self.standardOutputName ? nil : path
        guard let path = self.path else { return }
        sink = try FileSink(path: path, protecting: databases)
    }

    /// Writes text; a failure is remembered (see `failure`) and later writes are skipped.
    package func write(_ text: String) {
        guard failure == nil else { return }
        if let sink {
            failure = sink.write(text)
        } else {
            failure = console.out(text)
        }
    }

    /// Throws the write failure, if any, so that a long output stops at the first error.
    package func checkWritten() throws(OutputError) {
        guard let failure else { return }
        guard let path else { throw .standardOutput(errno: failure) }
        throw .outputFile(path: path, reason: String(cString: strerror(failure)))
    }

    /// Finishes the output: moves a finished file into place, or flushes standard output.
    package func commit() throws(OutputError) {
        try checkWritten()
        guard let sink, let path else {
            if let failure = console.flushOut() { throw OutputError.standardOutput(errno: failure) }
            return
        }
        self.sink = nil
        try sink.commit(path: path)
    }
}

/// A `--output` file being written: the checks, the temporary file and the final rename.
private final class FileSink {
    private var file: UnsafeMutablePointer<FILE>?
    /// The temporary file, or nil when writing straight into a FIFO or device.
    private var temporary: String?
    /// The file to replace (the symbolic link's target, when the path is a link).
    private let destination: String
    /// The destination as it was found (device and inode), or nil when it did not exist.
    private let original: (dev: UInt64, ino: UInt64)?
    /// A descriptor of the original file holding an exclusive lock while we write it.
    private var lock: Int32 = -1
    /// The signal guard's token for the temporary file.
    private var guardToken: UnsafeMutablePointer<CChar>?

    /// The side-file kind of the temporary file, `.NAME.gradlog-PID-XXXXXX`.
    package static let temporaryKind = "gradlog"

    package init(path: String, protecting databases: [String]) throws(OutputError) {
        destination = OutputPath.followingLinks(path)
        let found = OutputPath.status(destination)
        if let found, let kind = SpecialFile.kind(found.st_mode) {
            guard OutputPath.isStream(found) else {
                throw .refused(TrackerError.specialFile(path: path, kind: kind, place: .output))
            }
            guard let handle = fopen(destination, "w") else { throw .outputFile(path: path, reason: String(cString: strerror(errno))) }
            file = handle
            original = nil
            return  // a FIFO, a terminal or a device: written to as it is, never replaced
        }
        if let reason = OutputPath.protectionProblem(destination, exists: found != nil, databases: databases) {
            throw .outputFile(path: path, reason: reason)
        }
        original = found.map { (UInt64($0.st_dev), UInt64($0.st_ino)) }
        if found != nil { try lockOriginal(path: path) }
        try createTemporary(path: path, mode: found.map { $0.st_mode & 0o7777 })
    }

    deinit {
        if let file { fclose(file) }
        if let temporary { unlink(temporary) }
        if lock >= 0 { close(lock) }
        TemporaryFileGuard.release(guardToken)
    }

    /// Writes text; returns errno on failure.
    package func write(_ text: String) -> Int32? {
        guard let file else { return EBADF }
        return fputs(text, file) < 0 ? errno : nil
    }

    /// Closes the file and puts it in place.
    package func commit(path: String) throws(OutputError) {
        guard let handle = file else { return }
        file = nil
        let failed = ferror(handle) != 0
        if fclose(handle) != 0 || failed {
            throw .outputFile(path: path, reason: "the output could not be written completely: \(String(cString: strerror(errno)))")
        }
        guard let temporary else { return }
        defer { unlink(temporary); self.temporary = nil }
        try place(temporary, path: path)
    }

    /// Renames the finished file over the original, or links it to a new name without replacing
    /// a file that appeared meanwhile; either way only when nobody else replaced the file first.
    private func place(_ temporary: String, path: String) throws(OutputError) {
        let now = OutputPath.status(destination).map { (UInt64($0.st_dev), UInt64($0.st_ino)) }
        if let original {
            guard let now, now == original else {
                throw .outputFile(path: path, reason: "another process replaced or removed the file while gradlog wrote it; "
                    + "it was left as that process made it")
            }
            if rename(temporary, destination) != 0 { throw .outputFile(path: path, reason: String(cString: strerror(errno))) }
            return
        }
        if link(temporary, destination) == 0 { return }
        let linkError = errno
        if linkError == EEXIST {
            throw .outputFile(path: path, reason: "another process created the file while gradlog wrote it; it was left as that process made it")
        }
        // A file system without hard links: the best left is a rename, checked just before.
        guard OutputPath.status(destination) == nil, rename(temporary, destination) == 0 else {
            throw .outputFile(path: path, reason: String(cString: strerror(linkError)))
        }
    }

    private func lockOriginal(path: String) throws(OutputError) {
        lock = open(destination, O_RDONLY | O_CLOEXEC)
        guard lock >= 0 else { throw .outputFile(path: path, reason: String(cString: strerror(errno))) }
        if flock(lock, LOCK_EX | LOCK_NB) != 0 {
            throw .outputFile(path: path, reason: errno == EWOULDBLOCK
                ? "another gradlog command is writing this file right now" : String(cString: strerror(errno)))
        }
    }

    private func createTemporary(path: String, mode: mode_t?) throws(OutputError) {
        let (directory, name) = SideFile.split(destination)
        // The pid in the name lets a later command remove what a killed one left.
        SideFile.removeLeftovers(besideDatabase: destination, kind: Self.temporaryKind)
        var template = Array("\(directory)/.\(name).\(Self.temporaryKind)-\(getpid())-XXXXXX".utf8CString)
        let (descriptor, token) = TemporaryFileGuard.create(&template)
        guard descriptor >= 0 else { throw .outputFile(path: path, reason: String(cString: strerror(errno))) }
        temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guardToken = token
        // mkstemp makes the file private (0600); give it the mode the user's file has, or would get.
        fchmod(descriptor, mode ?? (0o666 & ~OutputPath.umaskValue))
        guard let handle = fdopen(descriptor, "wb") else {
            close(descriptor)
            throw .outputFile(path: path, reason: String(cString: strerror(errno)))
        }
        file = handle
    }
}
