#if canImport(Glibc)
import Glibc
#endif
import Tracker

/// Runs a program to completion with its output sent to /dev/null, measuring its wall time and
/// peak resident memory (from wait4's rusage for that one child).
struct ChildProcess {
    /// What one run of a child cost.
    struct Cost {
        let seconds: Double
        let peakKiB: Int
        let exitCode: Int32
    }

    /// Runs `arguments[0]` (a path, or a name looked up on PATH) with its standard input from
    /// `input` when given.
    static func run(_ arguments: [String], input: String? = nil) -> Cost {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if let input { posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0) }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Timestamp.monotonicSeconds()
        guard posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else {
            return Cost(seconds: 0, peakKiB: 0, exitCode: 127)
        }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = Timestamp.monotonicSeconds() - start
        return Cost(seconds: seconds, peakKiB: Int(usage.ru_maxrss), exitCode: (status >> 8) & 0xFF)
    }

    /// The fastest of `repeats` runs, to keep the machine's noise out of short timings.
    static func best(of repeats: Int, _ arguments: [String], input: String? = nil) -> Cost {
        (0..<repeats).map { _ in run(arguments, input: input) }.min { $0.seconds < $1.seconds }!
    }
}
