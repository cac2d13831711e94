#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells regular files from the rest (directories, devices, FIFOs, sockets) before anything opens
/// them: SQLite given a block device writes its header over the first page (the device reports a
/// size of 0, so it looks like an empty database), and given `/dev/null` it leaves a world-writable
/// `/dev/null-journal` beside it.
public enum SpecialFile {
    /// The files SQLite keeps beside a database, by the suffix of their names.
    public static let companionSuffixes = ["-wal", "-shm", "-journal"]

    /// What is at `path` (following links) when it exists and is not a regular file, e.g.
    /// "a block device"; nil for a regular file or a missing path.
    public static func kind(of path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return kind(status.st_mode)
    }

    /// The name of a file type that is not a regular file, or nil for a regular file.
    public static func kind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFBLK: "a block device"
        case S_IFCHR: "a character device"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    /// Throws `.specialFile` unless the database at `path`, and each file SQLite keeps beside it
    /// (`-wal`, `-shm`, `-journal`), is a regular file or does not exist yet.
    public static func checkDatabasePlace(_ path: String) throws(TrackerError) {
        guard path != ":memory:" else { return }
        if let kind = kind(of: path) {
            throw .specialFile(path: path, kind: kind,
                               advice: "a database is a regular file, or a path where one can be created: check --db")
        }
        for suffix in companionSuffixes {
            if let kind = kind(of: path + suffix) {
                throw .specialFile(path: path + suffix, kind: kind,
                                   advice: "SQLite keeps the database's \(suffix) file there: remove it, or use another database")
            }
        }
    }
}
