#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tracker

/// Runs a sweep's trials as `gradlog run` worker processes into one database, at most `jobs` at a time.
///
/// Each worker is an ordinary run (SQLite's locking lets them write the file together). Ctrl-C reaches
/// the workers from the terminal; SIGTERM or SIGHUP sent to the sweep alone is passed on to them. Either
/// way the sweep starts no further trial, waits for the running ones to end `interrupted`, and
/// reports what it has.
struct SweepRunner {
    /// The gradlog executable the workers run.
    let executable: String
    /// The arguments of each trial, by trial number.
    let arguments: (Int) -> [String]
    /// How many workers run at once.
    let jobs: Int
    /// Told when a trial ends: its number, its exit status, and how many have ended.
    let ended: (_ trial: Int, _ outcome: Outcome, _ done: Int) -> Void

    /// How a worker ended.
    enum Outcome: Equatable {
        case finished
        case diverged
        /// Stopped by a signal after committing its steps (exit 128 + signal).
        case interrupted
        /// Any other end: an error (exit code), or killed (the signal).
        case failed(String)
    }

    /// What the sweep did: the trials by outcome, and the signal that stopped it early, if any.
    struct Report {
        var outcomes: [Int: Outcome] = [:]
        var signal: Int32?
    }

    /// Runs `trials` (numbers) and returns how each one that was started ended.
    func run(_ trials: [Int]) throws -> Report {
        var report = Report()
        var pending = trials[...]
        var running: [pid_t: Int] = [:]
        var spawnFailure: (any Error)?
        while !pending.isEmpty || !running.isEmpty {
            if let signal = StopSignal.pending, report.signal == nil {
                report.signal = signal
                pending.removeAll()
                // A signal from the terminal reached the workers already; one sent to the sweep did not.
                for pid in running.keys { kill(pid, signal) }
            }
            while running.count < jobs, let trial = pending.popFirst() {
                do {
                    running[try spawn(arguments(trial))] = trial
                } catch {
                    // Start no more, but let the running workers end before saying so.
                    spawnFailure = error
                    pending.removeAll()
                }
            }
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            guard pid > 0, let trial = running.removeValue(forKey: pid) else {
                // Polled, since a signal does not interrupt a blocking waitpid (the handlers restart it).
                usleep(20_000)
                continue
            }
            let outcome = Self.outcome(ofStatus: status)
            report.outcomes[trial] = outcome
            ended(trial, outcome, report.outcomes.count)
        }
        if let spawnFailure { throw spawnFailure }
        return report
    }

    private func spawn(_ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // A trial's summary table is not shown: the sweep prints one table of every trial.
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard result == 0 else { throw CLIError.cannotStartWorker(executable: executable, errno: result) }
        return pid
    }

    /// The outcome a worker's wait status means (gradlog's exit codes).
    static func outcome(ofStatus status: Int32) -> Outcome {
        let signal = status & 0x7F
        if signal != 0 { return .failed("killed by \(signalName(signal))") }
        let code = (status >> 8) & 0xFF
        switch code {
        case 0: return .finished
        case Gradlog.divergedExitCode: return .diverged
        case 128 + SIGINT, 128 + SIGTERM, 128 + SIGHUP: return .interrupted
        default: return .failed("exit code \(code)")
        }
    }
}
