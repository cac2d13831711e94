import Foundation
import TestSupport
import Testing
import Tracker
@testable import GradlogServe

/// The server's read-only connections: requests read side by side, and pages leave one connection
/// to the event streams.
@Suite struct SharedStoreTests {
    @Test("Pages drawn at once hold all connections but one; a stream's read still goes through, and a further page waits")
    func pagesLeaveAConnectionToTheStreams() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "shared")
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        let pages = SharedStore.connectionLimit - 1
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for _ in 0..<pages {
            onOwnThread(in: done) {
                SharedStore.drawingPage {
                    shared.read { catalog in
                        _ = try? catalog.exists(1)
                        holding.signal()
                        release.wait()
                    }
                }
            }
        }
        for _ in 0..<pages { #expect(holding.wait(timeout: .now() + 30) == .success) }
        // A stream's read (not a page) takes the connection left.
        let streamRead = DispatchSemaphore(value: 0)
        onOwnThread(in: done) {
            if (try? shared.read { try $0.exists(1) }) == true { streamRead.signal() }
        }
        #expect(streamRead.wait(timeout: .now() + 30) == .success)
        // One more page waits until a page gives its connection back.
        let lastPage = DispatchSemaphore(value: 0)
        onOwnThread(in: done) {
            if SharedStore.drawingPage({ (try? shared.read { try $0.exists(1) }) == true }) { lastPage.signal() }
        }
        #expect(lastPage.wait(timeout: .now() + 0.5) == .timedOut)
        release.signal()
        #expect(lastPage.wait(timeout: .now() + 30) == .success)
        for _ in 1..<pages { release.signal() }
        #expect(done.wait(timeout: .now() + 30) == .success)
    }
}
