#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Removes an unfinished `--output` temporary file when SIGINT, SIGTERM or SIGHUP ends the command,
/// so that Ctrl-C or a `timeout` leaves nothing behind. (kill -9 can leave one: the next command
/// writing beside it removes it, see `FileSink`.)
///
/// One file at a time; signals that already have a handler (a training run's) or are ignored are
/// left alone.
package enum TemporaryFileGuard {
    private static let guarded = Mutex<(path: UnsafeMutablePointer<CChar>?, signals: [Int32])>((nil, []))
    /// The path the handler unlinks: read from the handler, where no lock can be taken.
    nonisolated(unsafe) private static var pathForHandler: UnsafeMutablePointer<CChar>?

    /// Creates a file from an `mkstemp` template (which it fills in) and guards it; returns the
    /// descriptor (-1 with errno on failure) and a token for `release`. Signals wait while the file
    /// is created and its guard set up, so that none can leave it behind.
    package static func create(_ template: inout [CChar]) -> (descriptor: Int32, token: UnsafeMutablePointer<CChar>?) {
        var all = sigset_t()
        var previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, &previous)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        let failure = errno
        var token: UnsafeMutablePointer<CChar>?
        if descriptor >= 0 {
            token = protect(template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
            // A parent may have blocked them (test runners do), and a blocked mask survives exec.
            for number in guarded.withLock({ $0.signals }) { sigdelset(&previous, number) }
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        errno = failure
        return (descriptor, token)
    }

    /// Starts guarding `path`; returns a token for `release`.
    private static func protect(_ path: String) -> UnsafeMutablePointer<CChar>? {
        guard let copy = strdup(path) else { return nil }
        guarded.withLock { state in
            if state.path != nil { return }  // another output is guarded already; this one is not
            state.path = copy
            pathForHandler = copy
            state.signals = [SIGINT, SIGTERM, SIGHUP].filter(installIfDefault)
        }
        return copy
    }

    /// Stops guarding (the file was renamed into place or removed) and restores the signals.
    package static func release(_ token: UnsafeMutablePointer<CChar>?) {
        guard let token else { return }
        guarded.withLock { state in
            if state.path == token {
                for number in state.signals { signal(number, SIG_DFL) }
                pathForHandler = nil
                state = (nil, [])
            }
        }
        free(token)
    }

    private static func installIfDefault(_ number: Int32) -> Bool {
        let previous = signal(number) { caught in
            if let path = TemporaryFileGuard.pathForHandler { unlink(path) }
            signal(caught, SIG_DFL)
            raise(caught)
        }
        if unsafeBitCast(previous, to: Int.self) != unsafeBitCast(SIG_DFL, to: Int.self) {
            signal(number, previous)
            return false
        }
        return true
    }
}
