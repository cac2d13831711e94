import Dispatch
import Foundation
import Tracker

/// Runs a page's independent reads (its charts' data, most of a long run's page) on two connections
/// at once: the page's own and, when the server has one free, a second (`SharedStore.readIfFree`).
/// With none free, the page's connection does all of them, in the same order.
struct TwoReaders {
    /// The server's connections, for the second reader; nil reads everything on the page's own.
    let shared: SharedStore?

    /// The result of `work` for each of `count` items, in item order. Items are taken in the order of
    /// `first` (the costly ones, so that the two readers end together), then the rest; an item's
    /// error is thrown after all are done, the first item's first.
    func map<T>(count: Int, first: [Int] = [], on catalog: RunCatalog,
                _ work: (Int, RunCatalog) throws(TrackerError) -> T) throws(TrackerError) -> [T] {
        let results = withoutActuallyEscaping(work) { work in
            let job = Job(queue: Queue<T>(count: count, first: first), work: work, catalog: catalog)
            // The second reader has a thread of its own, not one of a pool that busy requests may
            // all hold; each reader has a connection of its own, and the job's state is under a lock.
            let second = DispatchSemaphore(value: 0)
            if let shared, count > 1 {
                Thread {
                    _ = shared.readIfFree { job.drain($0) }
                    second.signal()
                }.start()
            } else {
                second.signal()
            }
            job.drain(job.catalog)
            second.wait()
            // The thread may outlive this call for a moment: it must not keep `work`.
            job.work = nil
            return job.queue.results
        }
        return try results.map { result throws(TrackerError) in try result!.get() }
    }

    /// The work of one `map`, shared by its two readers.
    private final class Job<T>: @unchecked Sendable {
        let queue: Queue<T>
        /// What to read for an item; nil once both readers are done.
        var work: ((Int, RunCatalog) throws(TrackerError) -> T)?
        /// The page's own reader.
        let catalog: RunCatalog

        init(queue: Queue<T>, work: @escaping (Int, RunCatalog) throws(TrackerError) -> T, catalog: RunCatalog) {
            (self.queue, self.work, self.catalog) = (queue, work, catalog)
        }

        /// Takes items until none is left, each read through `reader`.
        func drain(_ reader: RunCatalog) {
            while let item = queue.next(), let work {
                do throws(TrackerError) {
                    queue.set(item, .success(try work(item, reader)))
                } catch {
                    queue.set(item, .failure(error))
                }
            }
        }
    }

    /// The items not yet taken and the results so far, shared by the two readers under a lock.
    private final class Queue<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var order: [Int]
        private(set) var results: [Result<T, TrackerError>?]

        init(count: Int, first: [Int]) {
            let leading = first.filter { (0..<count).contains($0) }
            order = Array((leading + (0..<count).filter { !leading.contains($0) }).reversed())
            results = Array(repeating: nil, count: count)
        }

        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            return order.popLast()
        }

        func set(_ item: Int, _ result: Result<T, TrackerError>) {
            lock.lock()
            results[item] = result
            lock.unlock()
        }
    }
}
