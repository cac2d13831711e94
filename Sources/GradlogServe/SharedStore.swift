import Foundation
import Tracker

/// The server's read-only connections to the database: a page being drawn does not hold up the
/// event streams and the other pages, each request reading through a connection of its own.
///
/// The first connection is the one the server was given; more are opened, up to
/// `connectionLimit`, only while every open one is in use, and kept for later requests.
final class SharedStore: @unchecked Sendable {
    /// The most connections open at once: beyond the machine's cores, more only wait for a core,
    /// and each holds its own page cache.
    static let connectionLimit = max(2, min(4, ProcessInfo.processInfo.activeProcessorCount * 2))

    private let first: Store
    private let condition = NSCondition()
    private var idle: [Store]
    private var opened = 1

    init(_ store: Store) {
        first = store
        idle = [store]
    }

    /// Runs `body` with a catalog over a connection no other request uses meanwhile.
    func read<T>(_ body: (RunCatalog) throws -> T) rethrows -> T {
        let store = take()
        defer { give(back: store) }
        return try body(RunCatalog(store: store))
    }

    /// Runs `body` with a catalog over a connection no other request uses meanwhile, as part of a
    /// page's drawing, if one is free now; nil, without waiting, when none is (a page's second
    /// reader is help, and waiting for it could hold up every page drawn at once).
    func readIfFree<T>(_ body: (RunCatalog) throws -> T) rethrows -> T? {
        guard let store = takeIfFree() else { return nil }
        defer { give(back: store) }
        return try body(RunCatalog(store: store))
    }

    /// The database's path, as the pages show it.
    var path: String { first.path }

    /// Runs `body` as the drawing of a page (`WebConnection` draws each answer so):
    /// pages may hold all connections but one, which stays for the event streams' short reads, so
    /// that fifty pages opened at once do not stop every live view until they are drawn.
    static func drawingPage<T>(_ body: () -> T) -> T {
        // Dispatch's threads serve other work afterwards: the mark is for this call only.
        Thread.current.threadDictionary[pageThreadKey] = true
        defer { Thread.current.threadDictionary.removeObject(forKey: pageThreadKey) }
        return body()
    }

    private static let pageThreadKey = "gradlog.serve.page"

    private var inUse: Int { opened - idle.count }

    /// An idle connection, a new one while fewer than the limit are open, else the next one given back.
    private func take() -> Store {
        let page = Thread.current.threadDictionary[Self.pageThreadKey] != nil
        condition.lock()
        defer { condition.unlock() }
        while true {
            if page && inUse >= Self.connectionLimit - 1 {
                condition.wait()
                continue
            }
            if let store = idle.popLast() { return store }
            if opened < Self.connectionLimit && first.path != ":memory:" {
                opened += 1
                // A file that can no longer be opened (moved away) leaves the server on the connections it has.
                if let store = try? Store(path: first.path, access: .readOnly) { return store }
                opened = Self.connectionLimit
            }
            condition.wait()
        }
    }

    /// An idle connection, or a new one while the pages' share allows, else nil.
    private func takeIfFree() -> Store? {
        condition.lock()
        defer { condition.unlock() }
        guard inUse < Self.connectionLimit - 1 else { return nil }
        if let store = idle.popLast() { return store }
        guard opened < Self.connectionLimit && first.path != ":memory:" else { return nil }
        opened += 1
        if let store = try? Store(path: first.path, access: .readOnly) { return store }
        opened = Self.connectionLimit
        return nil
    }

    private func give(back store: Store) {
        condition.lock()
        idle.append(store)
        // Pages and streams wait on the same condition, and a page may not take what it is given.
        condition.broadcast()
        condition.unlock()
    }
}
