import Dispatch
import Foundation

/// Runs `body` on a thread of its own as part of `group`.
///
/// Work that blocks (waits on a semaphore, a lock or a child process) must not take one of
/// Dispatch's pool threads: while every one of those is blocked, Dispatch adds another only about
/// once a second, and a test that starts several such tasks waits that long for each.
public func onOwnThread(in group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
    group.enter()
    Thread {
        body()
        group.leave()
    }.start()
}

/// Runs `body` with everything it awaits resumed on a queue of its own, not behind the tests queued
/// on Swift Testing's two threads.
///
/// A test that waits on programs one after another (a browser, then Python, then the browser again)
/// would otherwise wait, after each, for its turn among every test still queued: such a test ended
/// last in the run, long after its programs had ended, while a core stood idle.
public func withOwnQueue<T>(_ body: () async throws -> T) async rethrows -> T {
    try await withTaskExecutorPreference(OwnQueueExecutor()) { try await body() }
}

/// A task executor that runs its jobs, one at a time, on a Dispatch queue of its own.
final class OwnQueueExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "gradlog-tests.own-queue")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
