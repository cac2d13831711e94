#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tracker

/// File-system questions about a `--output` path: where a link leads, and whether writing there
/// would destroy a database.
package enum OutputPath {
    /// The path a symbolic link finally leads to (even when that file does not exist yet), or the
    /// path itself when it is not a link.
    package static func followingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count > 0 else { return current }
            let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let next = target.hasPrefix("/") ? target : SideFile.split(current).directory + "/" + target
            // /dev/stdout leads to /proc/self/fd/1, whose "target" names a pipe (`pipe:[123]`), not a
            // path: a link the kernel can open but whose target is no file is used as it is.
            if status(current) != nil && !exists(next) { return current }
            current = next
        }
        return current
    }

    /// True when something, even a dangling link, is at `path`.
    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The file's status (following links), or nil when it does not exist.
    package static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// True for a file output may stream into rather than replace: a FIFO or pipe, a terminal, or
    /// `/dev/null`. Other devices are refused without being opened, since merely opening some
    /// (a disk, a watchdog) writes or does something.
    package static func isStream(_ status: stat) -> Bool {
        switch status.st_mode & S_IFMT {
        case S_IFIFO: return true
        case S_IFCHR:
            // Linux device numbers: 1:3 is /dev/null; 4 and 5 are terminals and consoles, 136-143 pseudo-terminals.
            let major = (status.st_rdev >> 8) & 0xFFF, minor = status.st_rdev & 0xFF
            return (major == 1 && minor == 3) || major == 4 || major == 5 || (136...143).contains(major)
        default: return false
        }
    }

    /// The process's file-creation mask.
    package static var umaskValue: mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }

    /// Why output must not go to `path`, or nil when it may: it is one of `databases` or a file
    /// SQLite keeps beside one, or it is any SQLite database, write-ahead log or journal.
    package static func protectionProblem(_ path: String, exists: Bool, databases: [String]) -> String? {
        let target = canonical(path)
        for database in databases where database != ":memory:" && !database.isEmpty {
            let base = followingLinks(database)
            for suffix in [""] + SpecialFile.companionSuffixes {
                let candidate = base + suffix
                let same = exists ? sameFile(path, candidate) : canonical(candidate) == target
                if same {
                    return suffix.isEmpty
                        ? "it is the database this command uses (\(database)); choose another file"
                        : "it is SQLite's \(suffix) file of the database \(database); choose another file"
                }
            }
        }
        if exists, let kind = sqliteKind(path) {
            return "it is \(kind); gradlog never writes output over one, choose another file"
        }
        for suffix in SpecialFile.companionSuffixes where path.hasSuffix(suffix) {
            if sqliteKind(String(path.dropLast(suffix.count))) == "an SQLite database" {
                return "it is SQLite's \(suffix) file of the database \(path.dropLast(suffix.count)); choose another file"
            }
        }
        return nil
    }

    /// What kind of SQLite file `path` is, by its first bytes, or nil.
    package static func sqliteKind(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var header = [UInt8](repeating: 0, count: 16)
        guard fread(&header, 1, 16, file) >= 8 else { return nil }
        if header == Array("SQLite format 3\0".utf8) { return "an SQLite database" }
        if header[0..<4] == [0x37, 0x7F, 0x06, 0x82] || header[0..<4] == [0x37, 0x7F, 0x06, 0x83] {
            return "an SQLite write-ahead log"
        }
        if header[0..<8] == [0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7] { return "an SQLite rollback journal" }
        return nil
    }

    private static func sameFile(_ a: String, _ b: String) -> Bool {
        guard let first = status(a), let second = status(b) else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    /// The absolute path with its directory's links resolved, for comparing names of files that
    /// may not exist yet.
    private static func canonical(_ path: String) -> String {
        let (directory, name) = SideFile.split(path)
        guard let resolved = realpath(directory, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + name
    }
}
