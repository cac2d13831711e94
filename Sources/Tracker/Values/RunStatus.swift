/// The life-cycle state of a run, as stored in `runs.status`.
public enum RunStatus: String, CaseIterable, Sendable {
    /// Still training (or killed before it could say otherwise).
    case running
    /// Every epoch ran.
    case finished
    /// Stopped because the loss or a parameter stopped being finite.
    case diverged
    /// Stopped by an error; `runs.error` says which.
    case failed
    /// Stopped by the user (Ctrl-C) or by SIGTERM, after committing its last step.
    case interrupted
    /// Its process died without finishing it (found by `CrashSweep`).
    case crashed
}
