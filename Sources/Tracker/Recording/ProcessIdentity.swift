#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which process on which machine is writing a run, and whether that process still lives.
public struct ProcessIdentity: Equatable, Sendable {
    /// The machine's host name.
    public let host: String
    /// The process id.
    public let pid: Int32
    /// The kernel's boot id and the process's start time ("boot-id:ticks"), which a reused pid
    /// does not share; nil where /proc does not say.
    public let token: String?

    /// This process.
    public static let current = ProcessIdentity(host: hostName(), pid: getpid(), token: token(of: getpid()))

    /// Creates an identity from its parts.
    public init(host: String, pid: Int32, token: String?) {
        self.host = host
        self.pid = pid
        self.token = token
    }

    /// True when the process `pid` on this machine is still the one that `token` names.
    ///
    /// Errs towards "alive": without a token it asks only whether some process has that pid.
    public static func isAlive(pid: Int32, token: String?) -> Bool {
        if let token, let now = self.token(of: pid) { return now == token }
        if kill(pid, 0) == 0 { return token == nil || self.token(of: pid) == nil }
        return errno == EPERM
    }

    /// True when process `pid` runs a program whose file name starts with `gradlog`, so that a
    /// crafted database cannot have gradlog signal an unrelated process.
    public static func runsGradlog(pid: Int32) -> Bool {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return false }
        let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path.split(separator: "/").last?.hasPrefix("gradlog") == true
    }

    /// True when process `pid` holds the file at `path` open (one of its descriptors in
    /// `/proc/PID/fd` is that file): then it provably writes this database, not just some database.
    /// False when that cannot be read (another user's process, no /proc).
    public static func holdsOpen(pid: Int32, path: String) -> Bool {
        var target = stat()
        guard pid > 0, stat(path, &target) == 0, let folder = opendir("/proc/\(pid)/fd") else { return false }
        defer { closedir(folder) }
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var status = stat()
            if name.first != ".", stat("/proc/\(pid)/fd/\(name)", &status) == 0,
               status.st_dev == target.st_dev && status.st_ino == target.st_ino {
                return true
            }
        }
        return false
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return text(buffer)
    }

    /// "boot-id:start-ticks" from /proc, or nil when the process or /proc is not there.
    static func token(of pid: Int32) -> String? {
        guard let boot = readFirstLine("/proc/sys/kernel/random/boot_id"),
              let stat = readFirstLine("/proc/\(pid)/stat"),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after "pid (comm)": state is field 3, start time is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return "\(boot):\(fields[19])"
    }

    /// The text of a NUL-terminated C buffer.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func readFirstLine(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        var line = text(buffer)
        while line.last == "\n" { line.removeLast() }
        return line
    }
}
