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

    /// A type of file that is not a regular file.
    public enum Kind: Sendable, Equatable {
        case directory, blockDevice, characterDevice, fifo, socket, other
    }

    /// Where a special file was found: what the command wanted to use it as.
    public enum Place: Sendable, Equatable {
        /// The database (`--db`, a merge source, a pull target).
        case database
        /// Where SQLite keeps a file beside the database (`-wal`, `-shm`, `-journal`).
        case companion(suffix: String)
        /// An `--output` file.
        case output
    }

    /// What is at `path` (following links) when it exists and is not a regular file; nil for a
    /// regular file or a missing path.
    public static func kind(of path: String) -> Kind? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return kind(status.st_mode)
    }

    /// The type of a file that is not a regular file, or nil for a regular file.
    public static func kind(_ mode: mode_t) -> Kind? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: .directory
        case S_IFBLK: .blockDevice
        case S_IFCHR: .characterDevice
        case S_IFIFO: .fifo
        case S_IFSOCK: .socket
        default: .other
        }
    }

    /// Throws `.specialFile` unless the database at `path`, and each file SQLite keeps beside it
    /// (`-wal`, `-shm`, `-journal`), is a regular file or does not exist yet.
    public static func checkDatabasePlace(_ path: String) throws(TrackerError) {
        guard path != ":memory:" else { return }
        if let kind = kind(of: path) {
            throw .specialFile(path: path, kind: kind, place: .database)
        }
        for suffix in companionSuffixes {
            if let kind = kind(of: path + suffix) {
                throw .specialFile(path: path + suffix, kind: kind, place: .companion(suffix: suffix))
            }
        }
    }
}
