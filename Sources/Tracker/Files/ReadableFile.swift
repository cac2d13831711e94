#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLiteDB

/// Opens an existing database file for reading wherever it lies: a writable place, a read-only
/// file, a read-only directory or file system, or a full disk.
///
/// In write-ahead-log mode, SQLite needs a `-shm` file beside the database even to read; where it
/// cannot create or grow one, the file is opened immutable (no locks, no `-shm`), which is right as
/// long as no write-ahead log holds changes that the file itself lacks.
enum ReadableFile {
    /// A connection that can read `path`, and write it when `writing` is allowed and the file and
    /// its place allow it.
    static func open(_ path: String, writing: Bool = true) throws -> Database {
        guard fileSize(path) != nil else { throw TrackerError.noDatabase(path: path) }
        try SpecialFile.checkDatabasePlace(path)
        let writable = writing && access(path, W_OK) == 0
        let db = try Database(path: path, mode: writable ? .readWrite : .readOnly)
        // Before the first read: a writer creating or migrating the file holds its lock briefly.
        db.setBusyTimeout(milliseconds: Store.busyTimeoutMilliseconds)
        do {
            _ = try db.scalar("SELECT count(*) FROM sqlite_schema")
            return db
        } catch let error as SQLiteError where error.isUnwritablePlace || error.isFull || error.isIOError {
            guard fileSize(path + "-wal") ?? 0 == 0 else {
                throw TrackerError.unreadableFile(path: path, reason: .logUnreadableHere(sqliteMessage: error.message))
            }
            let immutable = try Database(path: path, mode: .immutable)
            immutable.setBusyTimeout(milliseconds: Store.busyTimeoutMilliseconds)
            return immutable
        }
    }

    /// The size of the regular file at `path`; a missing path throws `missing`, a directory or a
    /// FIFO or device an `.unreadableFile` naming the kind of file `expected` instead.
    static func regularFileSize(_ path: String, missing: TrackerError, expected: TrackerError.FileKind) throws(TrackerError) -> Int64 {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { throw missing }
            throw .unreadableFile(path: path, reason: .system(errno: errno))
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return Int64(status.st_size)
        case S_IFDIR: throw .unreadableFile(path: path, reason: .directory(expected: expected))
        default: throw .unreadableFile(path: path, reason: .notRegular(expected: expected))
        }
    }

    /// The size of a file in bytes, or nil when it does not exist.
    static func fileSize(_ path: String) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int64(status.st_size)
    }
}
