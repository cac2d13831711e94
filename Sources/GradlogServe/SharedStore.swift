import Foundation
import Tracker

/// The one read-only connection to the database, used by one request at a time.
final class SharedStore: @unchecked Sendable {
    private let store: Store
    private let lock = NSLock()

    init(_ store: Store) {
        self.store = store
    }

    /// Runs `body` with the catalog while no other request uses the connection.
    func read<T>(_ body: (RunCatalog) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(RunCatalog(store: store))
    }

    /// The database's path, as the pages show it.
    var path: String { store.path }
}
