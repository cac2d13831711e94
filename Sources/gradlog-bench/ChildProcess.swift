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
    ///
    /// Linux counts the memory of the spawning process in a child's peak (the child starts as a
    /// copy of it), so the program is started through `/usr/bin/time`, a small process whose own
    /// child's peak is the program's alone; without it the peak includes this benchmark's.
    static func run(_ arguments: [String], input: String? = nil) -> Cost {
        let report = "/tmp/gradlog-bench-time-\(getpid())"
        let timed = access(timeProgram, X_OK) == 0
        let full = timed ? [timeProgram, "-q", "-f", "%M", "-o", report] + arguments : arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if let input { posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0) }
        var argv: [UnsafeMutablePointer<CChar>?] = full.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Timestamp.monotonicSeconds()
        guard posix_spawnp(&pid, full[0], &actions, nil, &argv, environ) == 0 else {
            return Cost(seconds: 0, peakKiB: 0, exitCode: 127)
        }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = Timestamp.monotonicSeconds() - start
        var peak = Int(usage.ru_maxrss)
        if timed { peak = readPeak(report) ?? peak; unlink(report) }
        return Cost(seconds: seconds, peakKiB: peak, exitCode: (status >> 8) & 0xFF)
    }

    /// GNU time, which reports its child's peak resident memory in KiB.
    static let timeProgram = "/usr/bin/time"

    private static func readPeak(_ path: String) -> Int? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 64)
        func line() -> String { String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        guard fgets(&buffer, 64, file) != nil else { return nil }
        // The last line holds the figure ("Command exited with non-zero status" may come first).
        var last = line()
        while fgets(&buffer, 64, file) != nil { last = line() }
        return Int(last.filter(\.isNumber))
    }

    /// The fastest of `repeats` runs, to keep the machine's noise out of short timings.
    static func best(of repeats: Int, _ arguments: [String], input: String? = nil) -> Cost {
        (0..<repeats).map { _ in run(arguments, input: input) }.min { $0.seconds < $1.seconds }!
    }

    /// Seconds from starting the program until its standard output has shown `lines` lines (the
    /// header and the first row of a report); the rest of the output is read and dropped.
    static func secondsToLines(_ lines: Int, _ arguments: [String]) -> Double {
        var pipe: [Int32] = [0, 0]
        guard pipe.withUnsafeMutableBufferPointer({ Glibc.pipe($0.baseAddress!) }) == 0 else { return .nan }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Timestamp.monotonicSeconds()
        guard posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else { return .nan }
        close(pipe[1])
        var seen = 0
        var firstRowAt = Double.nan
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            guard count > 0 else { break }
            if seen < lines {
                seen += buffer[0..<count].filter { $0 == 10 }.count
                if seen >= lines { firstRowAt = Timestamp.monotonicSeconds() - start }
            }
        }
        close(pipe[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return firstRowAt
    }
}
