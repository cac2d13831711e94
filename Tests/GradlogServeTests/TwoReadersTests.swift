import Foundation
import TestSupport
import Testing
import Tracker
@testable import GradlogServe

/// A page's reads on two connections at once: the same results in the same order, on one
/// connection when no other is free, and the run page's bytes unchanged.
@Suite struct TwoReadersTests {
    @Test("Every item is read once, the results come in item order, and a free second connection takes part")
    func itemsInOrderOnTwoConnections() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "two")
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        let readers = TwoReaders(shared: shared)
        let lock = NSLock()
        var connections: Set<ObjectIdentifier> = []
        let results = try shared.read { catalog in
            try readers.map(count: 8, first: [5, 2], on: catalog) { item, reader throws(TrackerError) in
                lock.lock()
                connections.insert(ObjectIdentifier(reader.store))
                lock.unlock()
                // Long enough that the second reader starts before the first has taken every item.
                usleep(20_000)
                return try reader.exists(1) ? item * 10 : -1
            }
        }
        #expect(results == (0..<8).map { $0 * 10 })
        #expect(connections.count == 2)
    }

    @Test("With no connection to spare, the page's own reads everything; an item's error is thrown after all are done")
    func oneConnectionWhenNoneIsFree() throws {
        let database = try ServedDatabase()
        try database.addRun()
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        let readers = TwoReaders(shared: shared)
        // Holds every connection pages may have but the page's own.
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchGroup()
        for _ in 0..<(SharedStore.connectionLimit - 2) {
            onOwnThread(in: done) {
                shared.read { _ in
                    holding.signal()
                    release.wait()
                }
            }
        }
        for _ in 0..<(SharedStore.connectionLimit - 2) { #expect(holding.wait(timeout: .now() + 30) == .success) }
        var connections: Set<ObjectIdentifier> = []
        var taken: [Int] = []
        #expect(throws: TrackerError.self) {
            try shared.read { catalog in
                try readers.map(count: 4, first: [3], on: catalog) { item, reader throws(TrackerError) in
                    connections.insert(ObjectIdentifier(reader.store))
                    taken.append(item)
                    if item == 1 { throw TrackerError.runNotFound("9") }
                    return item
                }
            }
        }
        #expect(connections.count == 1 && taken == [3, 0, 1, 2])
        for _ in 0..<(SharedStore.connectionLimit - 2) { release.signal() }
        #expect(done.wait(timeout: .now() + 30) == .success)
    }

    @Test("The run page of a long run is the same with its charts read on two connections as on one")
    func theRunPageIsTheSame() throws {
        let database = try ServedDatabase()
        try database.addRun(name: "long", steps: 3_000, perEpoch: 3)
        let shared = SharedStore(try Store(path: database.path, access: .readOnly))
        let query = try RunQuery([])
        let one = try shared.read { try RunPage(runID: 1, query: query).render($0) }
        let two = try shared.read { try RunPage(runID: 1, query: query, readers: TwoReaders(shared: shared)).render($0) }
        #expect(one != nil && one == two)
        #expect(one?.contains("<h2>Charts</h2>") == true)
    }
}
