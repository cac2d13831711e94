import Foundation
import Tracker

/// The run pages drawn lately of runs that are training, shared by the requests that ask for the
/// same page while the run has not moved on: fifty browsers opening a running run's page at once
/// draw it once, not fifty times (a long run's charts cost tens to hundreds of milliseconds each).
///
/// A page is kept with the run's state it was asked at (`RunState`: status, counts and the time of
/// its latest commit), and given again only while the run's state is the same, so never after a new
/// commit; the live stream then sends what came after it, as for any page. A run that is not
/// training is drawn each time (its page may change by a tag or a note, which leave its state as it is).
final class RunPageCache: @unchecked Sendable {
    private struct Key: Hashable {
        let runID: Int64
        let page: Int
        let from: Int64?
        let to: Int64?
    }

    /// The most pages kept: one for each of a few runs being watched.
    static let limit = 8

    private let condition = NSCondition()
    private var pages: [Key: (state: RunState, html: String?)] = [:]
    private var order: [Key] = []
    private var drawing: Set<Key> = []

    /// The page `query` of run `runID` at `state`: the one drawn for that state, or `draw()`'s. While
    /// another request draws the same page, this one waits for it rather than drawing it too.
    func page(_ runID: Int64, _ query: RunQuery, at state: RunState?, draw: () throws -> String?) rethrows -> String? {
        guard let state, state.status == RunStatus.running.rawValue else { return try draw() }
        let key = Key(runID: runID, page: query.page, from: query.window?.lowerBound, to: query.window?.upperBound)
        condition.lock()
        while drawing.contains(key) { condition.wait() }
        if let kept = pages[key], kept.state == state {
            condition.unlock()
            return kept.html
        }
        drawing.insert(key)
        condition.unlock()
        defer {
            condition.lock()
            drawing.remove(key)
            condition.broadcast()
            condition.unlock()
        }
        let html = try draw()
        keep(html, for: key, at: state)
        return html
    }

    /// Keeps the newest `limit` pages.
    private func keep(_ html: String?, for key: Key, at state: RunState) {
        condition.lock()
        defer { condition.unlock() }
        pages[key] = (state, html)
        order.removeAll { $0 == key }
        order.append(key)
        while order.count > Self.limit { pages[order.removeFirst()] = nil }
    }
}
