#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A write transaction that a long writer keeps open across many statements and commits in
/// batches; rolled back if it is released while still open, so no BEGIN is ever left dangling.
///
/// ```swift
/// let batch = try db.beginBatch()
/// for row in rows { try insert(row); if due { try batch.commitAndContinue() } }
/// try batch.commit()
/// ```
public final class WriteBatch {
    private let database: Database
    private let kind: Database.TransactionKind
    private let holdsLockBetweenCommits: Bool
    /// True while the batch's transaction is open.
    public private(set) var isOpen = false

    init(database: Database, kind: Database.TransactionKind, holdsLockBetweenCommits: Bool) throws {
        self.database = database
        self.kind = kind
        self.holdsLockBetweenCommits = holdsLockBetweenCommits
        try begin()
    }

    private func begin() throws {
        try database.execute("BEGIN \(kind.rawValue)")
        isOpen = true
    }

    /// Commits what was written so far and opens the next transaction, after pausing
    /// `pauseMicroseconds` so that another connection waiting for the write lock can take it; a
    /// batch that does not hold the lock between commits opens it only at `resume`.
    public func commitAndContinue(pauseMicroseconds: UInt32 = 0) throws {
        try commit()
        if pauseMicroseconds > 0 { usleep(pauseMicroseconds) }
        if holdsLockBetweenCommits { try begin() }
    }

    /// Opens the next transaction unless one is open: called before writing into a batch that
    /// does not hold the lock between commits.
    public func resume() throws {
        if !isOpen { try begin() }
    }

    /// Commits and ends the batch.
    public func commit() throws {
        guard isOpen else { return }
        try database.execute("COMMIT")
        isOpen = false
    }

    /// Drops everything written since the last commit and ends the batch.
    public func rollback() {
        guard isOpen else { return }
        isOpen = false
        if database.isInTransaction { try? database.execute("ROLLBACK") }
    }

    deinit { rollback() }
}

extension Database {
    /// Opens a batch: one write transaction at a time, committed by the caller whenever it chooses.
    /// A batch that does not hold the lock between commits, for a writer that may have nothing to
    /// write for a long time, leaves other writers free until its next `resume`.
    public func beginBatch(_ kind: TransactionKind = .immediate, holdsLockBetweenCommits: Bool = true) throws -> WriteBatch {
        try WriteBatch(database: self, kind: kind, holdsLockBetweenCommits: holdsLockBetweenCommits)
    }
}
