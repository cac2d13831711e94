#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Catches Ctrl-C (SIGINT), SIGTERM and SIGHUP (its terminal closed) while a run trains, so that it can finish its step, commit
/// and say what it kept instead of dying mid-transaction. Further signals while it does so (an
/// impatient second Ctrl-C) are noted and change nothing: the run still ends `interrupted`, never
/// half-written and `crashed`; after the run, the signals act as usual again.
enum StopSignal {
    private static let received = Atomic<Int32>(0)

    /// The signals that stop a run cleanly.
    static let caught = [SIGINT, SIGTERM, SIGHUP]

    /// Starts catching the signals.
    static func install() {
        received.store(0, ordering: .relaxed)
        // A parent may have blocked them (test runners do), and a blocked mask survives exec.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, SIGINT)
        sigaddset(&unblocked, SIGTERM)
        sigaddset(&unblocked, SIGHUP)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        for number in Self.caught {
            signal(number) { caught in
                // The first signal decides how the run is reported; later ones only repeat it.
                _ = StopSignal.received.compareExchange(expected: 0, desired: caught, ordering: .relaxed)
            }
        }
    }

    /// Restores the default behaviour, unless a signal was caught: the command is then on its way
    /// to exit with 128 + that signal after saying what it kept, and a second Ctrl-C arriving in
    /// between (found by the signal tests on a loaded machine) must not kill it first.
    static func uninstall() {
        guard pending == nil else { return }
        for number in Self.caught { signal(number, SIG_DFL) }
    }

    /// The signal caught since `install()`, if any.
    static var pending: Int32? {
        let number = received.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }
}
