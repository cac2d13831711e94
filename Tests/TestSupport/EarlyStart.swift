import Foundation
import Synchronization
import Testing

/// A test's long wait on other programs (a browser driven through a page, the README's
/// walk-through), started on a thread of its own when Swift Testing prepares the run, before any
/// test runs, rather than when the test's turn comes.
///
/// Swift Testing starts the tests in a different order each run; a test that waits seconds for its
/// programs and started among the last kept the run going alone, one core idle, for those seconds.
/// Started first, its programs run beside everything else. The test still makes every check on
/// what they did; only the moment they run moves.
public final class EarlyStart<Value: Sendable>: Sendable {
    private let work: @Sendable () throws -> Value
    private let state = Mutex<State>(.waiting)

    private enum State {
        case waiting
        case running([CheckedContinuation<Value, any Error>])
        case done(Result<Value, any Error>)
    }

    /// Work to start early; it runs at most once per test process.
    public init(_ work: @escaping @Sendable () throws -> Value) {
        self.work = work
    }

    /// Starts the work on a thread of its own, unless it was started already.
    public func start() {
        let starting = state.withLock { state in
            guard case .waiting = state else { return false }
            state = .running([])
            return true
        }
        guard starting else { return }
        Thread {
            let result = Result { try self.work() }
            let waiting = self.state.withLock { state in
                defer { state = .done(result) }
                if case .running(let waiting) = state { return waiting }
                return []
            }
            for continuation in waiting { continuation.resume(with: result) }
        }.start()
    }

    /// What the work returned, waiting for it to end (and starting it, when no trait did).
    public func value() async throws -> Value {
        start()
        return try await withCheckedThrowingContinuation { continuation in
            let done: Result<Value, any Error>? = state.withLock { state in
                switch state {
                case .done(let result):
                    return result
                case .running(let waiting):
                    state = .running(waiting + [continuation])
                    return nil
                case .waiting:
                    preconditionFailure("start() leaves the waiting state before value() reads it")
                }
            }
            if let done { continuation.resume(with: done) }
        }
    }
}

/// The trait that starts an `EarlyStart` while Swift Testing prepares the run (`.startsEarly(work)`).
public struct EarlyStartTrait: TestTrait {
    let start: @Sendable () -> Void

    public func prepare(for test: Test) async throws { start() }
}

extension Trait where Self == EarlyStartTrait {
    /// Starts `work` when the run is prepared, before any test runs; the test awaits `work.value()`.
    public static func startsEarly<Value>(_ work: EarlyStart<Value>) -> Self {
        EarlyStartTrait(start: { work.start() })
    }
}
