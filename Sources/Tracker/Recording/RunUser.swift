#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who runs a run, as `runs.run_by` records it when no `--user` is given.
public enum RunUser {
    /// The user this process runs for: `USER`, else `LOGNAME` (the first that is set and not
    /// empty), else the system's name of the process's real user id; empty when there is none.
    public static func current(environment: [String: String]? = nil,
                               systemName: () -> String? = RunUser.systemName) -> String {
        for key in ["USER", "LOGNAME"] {
            let value = environment.map { $0[key] } ?? getenv(key).map { String(cString: $0) }
            if let value, !value.isEmpty { return value }
        }
        return systemName() ?? ""
    }

    /// The password database's name of the process's real user id, or nil when it has none (a
    /// container's uid with no /etc/passwd line, say).
    public static func systemName() -> String? {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return nil }
        let text = String(cString: name)
        return text.isEmpty ? nil : text
    }
}
