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
