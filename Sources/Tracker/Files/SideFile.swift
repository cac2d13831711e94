#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file gradlog keeps for a while beside a database, named `.NAME.KIND-PID-RANDOM`: a working
/// copy to merge from, or the space a run keeps in reserve. The name says which process owns it,
/// so what a killed process left behind is found and removed by the next one.
public struct SideFile {
    /// The file's path.
    let path: String

    /// Names a new side file of `kind` beside `database` (nothing is created yet).
    init(besideDatabase database: String, kind: String) {
        let (directory, name) = Self.split(database)
        path = "\(directory)/.\(name).\(kind)-\(getpid())-\(RandomUUID.make())"
    }

    /// Deletes the file and SQLite's files beside it.
    func remove() {
        for suffix in [""] + SpecialFile.companionSuffixes { unlink(path + suffix) }
    }

    /// Fills the file with `bytes` zero bytes, so that the space is really taken; false when the
    /// disk has not that much room.
    func allocate(bytes: Int) -> Bool {
        guard let file = fopen(path, "wb") else { return false }
        let block = [UInt8](repeating: 0, count: 65_536)
        var written = 0
        while written < bytes {
            let count = fwrite(block, 1, min(block.count, bytes - written), file)
            guard count > 0 else { break }
            written += count
        }
        let closed = fclose(file) == 0
        guard closed && written == bytes else {
            unlink(path)
            return false
        }
        return true
    }

    /// Deletes the side files of `kind` beside `database` (or any file) whose process no longer exists.
    public static func removeLeftovers(besideDatabase database: String, kind: String) {
        let (directory, name) = split(database)
        let prefix = ".\(name).\(kind)-"
        guard let folder = opendir(directory) else { return }
        defer { closedir(folder) }
        while let entry = readdir(folder) {
            let file = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard file.hasPrefix(prefix),
                  let pid = Int32(file.dropFirst(prefix.count).prefix { $0 != "-" }),
                  kill(pid, 0) != 0 && errno == ESRCH
            else { continue }
            unlink("\(directory)/\(file)")
        }
    }

    /// The directory (`.` when the path names none) and the last component of a path.
    public static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
