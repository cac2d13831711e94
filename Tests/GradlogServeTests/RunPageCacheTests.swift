import Foundation
import Synchronization
import Testing
import Tracker
@testable import GradlogServe

/// `RunPageCache`: the page of a running run drawn once for the requests that ask for it before
/// its next commit.
struct RunPageCacheTests {
    private static func state(_ status: String, steps: Int64, heartbeat: String = "2026-12-07T14:00:00.000Z") -> RunState {
        RunState(status: status, steps: steps, epochs: steps, heartbeat: heartbeat, finalLoss: nil)
    }

    @Test func requestsForTheSamePageOfARunningRunAtOnceDrawItOnce() throws {
        let cache = RunPageCache()
        let query = try RunQuery([])
        let draws = Mutex(0), pages = Mutex([String?]())
        let state = Self.state("running", steps: 10)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let page = cache.page(1, query, at: state) {
                draws.withLock { $0 += 1 }
                Thread.sleep(forTimeInterval: 0.05)
                return "page at 10"
            }
            pages.withLock { $0.append(page) }
        }
        #expect(draws.withLock { $0 } == 1)
        #expect(pages.withLock { $0 } == Array(repeating: "page at 10", count: 8))
    }

    @Test func aNewCommitAnotherPageOrARunThatIsNotTrainingIsDrawnAgain() throws {
        let cache = RunPageCache()
        let first = try RunQuery([])
        var draws = 0
        func page(_ state: RunState?, _ query: RunQuery? = nil) -> String? {
            cache.page(1, query ?? first, at: state) { draws += 1; return "draw \(draws)" }
        }
        #expect(page(Self.state("running", steps: 10)) == "draw 1")
        #expect(page(Self.state("running", steps: 10)) == "draw 1")
        #expect(page(Self.state("running", steps: 10, heartbeat: "2026-12-07T14:00:00.500Z")) == "draw 2")
        var second = first
        second.page = 2
        #expect(page(Self.state("running", steps: 10, heartbeat: "2026-12-07T14:00:00.500Z"), second) == "draw 3")
        #expect(page(Self.state("finished", steps: 10)) == "draw 4")
        #expect(page(Self.state("finished", steps: 10)) == "draw 5")
        #expect(page(nil) == "draw 6")
    }
}
