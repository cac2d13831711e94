import Foundation

/// A fresh directory for a test's files, removed when released.
public final class TemporaryDirectory {
    /// The directory's absolute path.
    public let path: String

    /// Creates the directory.
    public init() throws {
        path = Self.base + "gradlog-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of a file inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// `TMPDIR` when it is set; else the memory-backed /dev/shm where there is one, else the system's
    /// temporary folder. The tests make and remove many thousands of files (databases, their
    /// journals, outputs): on this machine's ext4 /tmp, finding a free inode among so many freed
    /// ones costs the kernel more than the test suite's whole training does.
    static let base: String = {
        let chosen = ProcessInfo.processInfo.environment["TMPDIR"]?.isEmpty == false
        return !chosen && access("/dev/shm", W_OK) == 0 ? "/dev/shm/" : NSTemporaryDirectory()
    }()
}
