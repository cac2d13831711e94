import CSQLite
import Dispatch
import Foundation
import Testing
import TestSupport
@testable import SQLiteDB

@Suite struct DatabaseTests {
    let db: Database

    init() throws {
        db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (a TEXT NOT NULL, b ANY) STRICT")
    }

    @Test func errorsKeepSQLitesCodeMessageAndStatement() {
        let error = #expect(throws: SQLiteError.self) {
            try db.run("INSERT INTO t(a) VALUES (NULL)")
        }
        #expect(error?.code == SQLiteError.constraintNotNull)
        #expect(SQLiteError.constraintNotNull == 1299 && SQLiteError.constraintUnique == 2067 && SQLiteError.constraintCheck == 275)
        #expect(error?.primaryCode == SQLITE_CONSTRAINT)
        #expect(error?.message == "NOT NULL constraint failed: t.a")
        #expect(error?.description
            == "SQLite error 1299: NOT NULL constraint failed: t.a - while executing `INSERT INTO t(a) VALUES (NULL)`")
    }

    @Test func aStatementThatDoesNotPrepareReportsTheSyntaxError() {
        let error = #expect(throws: SQLiteError.self) { try db.prepare("SELEC 1") }
        #expect(error?.code == SQLITE_ERROR)
        #expect(error?.message.contains("syntax error") == true)
        #expect(error?.sql == "SELEC 1")
    }

    @Test func aThrowingTransactionRollsBack() throws {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.run("INSERT INTO t(a) VALUES ('kept?')")
                throw Boom()
            }
        }
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))
        #expect(!db.isInTransaction)
        try db.transaction { try db.run("INSERT INTO t(a) VALUES ('kept')") }
        #expect(try db.scalar("SELECT count(*) FROM t") == .integer(1))
    }

    @Test func doublesInAnAnyColumnKeepEveryBit() throws {
        var values: [Double] = [-0.0, 0.0, 1, -1, .infinity, -.infinity, .leastNonzeroMagnitude,
                                .greatestFiniteMagnitude, 0.1, -1.0000000000842668, 1e300, .leastNonzeroMagnitude]
        var state: UInt64 = 12345
        for _ in 0..<200 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let candidate = Double(bitPattern: state)
            if !candidate.isNaN { values.append(candidate) }
        }
        let insert = try db.prepare("INSERT INTO t(a, b) VALUES ('x', ?)")
        for value in values {
            try insert.bind(value, at: 1)
            try insert.run()
        }
        let read = try db.rows("SELECT b FROM t ORDER BY rowid").map { $0[0] }
        #expect(read == values.map(SQLiteValue.real))
    }

    @Test func aRealColumnLosesTheSignOfZeroButKeepsEveryOtherBit() throws {
        try db.execute("CREATE TABLE r (x REAL)")
        try db.run("INSERT INTO r VALUES (?)", [.real(-0.0)])
        let stored = try db.scalar("SELECT x FROM r")
        #expect(stored?.doubleValue?.sign == .plus)
    }

    @Test func nanIsStoredAsNull() throws {
        try db.run("INSERT INTO t(a, b) VALUES ('nan', ?)", [.real(.nan)])
        #expect(try db.scalar("SELECT b FROM t") == .null)
    }

    @Test func aStatementKeepsItsDatabaseOpenAfterTheLastOtherReferenceIsGone() throws {
        var statement: Statement?
        do {
            let temporary = try Database(path: ":memory:")
            try temporary.execute("CREATE TABLE k (x); INSERT INTO k VALUES (42)")
            statement = try temporary.prepare("SELECT x FROM k")
        }
        #expect(try statement?.step() == true)
        #expect(statement?.value(at: 0) == .integer(42))
    }

    @Test func columnsAreReadByNameAndAMissingNameIsAnError() throws {
        try db.run("INSERT INTO t(a, b) VALUES ('named', 2.5)")
        let statement = try db.prepare("SELECT b AS score, a FROM t")
        #expect(try statement.step())
        #expect(try statement.value(named: "a") == "named")
        #expect(try statement.value(named: "score") == .real(2.5))
        #expect(throws: SQLiteError.self) { try statement.value(named: "b") }
    }

    @Test func aBatchCommitsWhenToldAndRollsBackWhatIsLeftWhenReleased() throws {
        var batch: WriteBatch? = try db.beginBatch()
        try db.run("INSERT INTO t(a) VALUES ('first')")
        try batch?.commitAndContinue()
        #expect(db.isInTransaction)
        try db.run("INSERT INTO t(a) VALUES ('second, never committed')")
        batch = nil
        #expect(!db.isInTransaction)
        #expect(try db.rows("SELECT a FROM t") == [["first"]])
    }

    @Test func aPreparedStatementIsReusedWithNewBindings() throws {
        let insert = try db.prepare("INSERT INTO t(a, b) VALUES (?1, ?2)")
        for index in 0..<5 {
            try insert.bind("row \(index)", at: 1)
            try insert.bind(Int64(index), at: 2)
            try insert.run()
        }
        let rows = try db.rows("SELECT a, b FROM t ORDER BY b")
        #expect(rows.count == 5)
        #expect(rows[4] == [.text("row 4"), .integer(4)])
        #expect(db.lastInsertRowID == 5)
    }

    @Test func textWithQuotesNewlinesAndNonASCIIRoundTrips() throws {
        let text = "it's a \"test\";\nDROP TABLE t; -- ünïcödé ✓"
        try db.run("INSERT INTO t(a) VALUES (?)", [.text(text)])
        #expect(try db.scalar("SELECT a FROM t") == .text(text))
    }

    @Test func openingAMissingFileReadOnlyFailsWithSQLitesMessage() {
        let error = #expect(throws: SQLiteError.self) {
            try Database(path: "/nonexistent/dir/x.db", mode: .readOnly)
        }
        #expect(error?.primaryCode == SQLITE_CANTOPEN)
    }
}

@Suite struct BusyTimeoutTests {
    @Test func aWriterWaitsForTheLockThenReportsBusy() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("busy.db")
        let holder = try Database(path: path)
        try holder.execute("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER)")
        try holder.execute("BEGIN IMMEDIATE")
        let waiter = try Database(path: path)
        waiter.setBusyTimeout(milliseconds: 50)
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: SQLiteError.self) { try waiter.execute("BEGIN IMMEDIATE") }
        #expect(error?.isBusy == true)
        #expect(clock.now - start >= .milliseconds(50))
        try holder.execute("COMMIT")
        try waiter.execute("BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT")
    }

    // SQLite fails such a switch at once, without its busy handler, while another connection
    // holds the write lock: the moment eight `gradlog run`s opening one new file collided in CI.
    @Test func switchingToWriteAheadLoggingWaitsForAWriterToFinish() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("switch.db")
        try Database(path: path).execute("CREATE TABLE t (x INTEGER)")
        let locked = DispatchSemaphore(value: 0), group = DispatchGroup()
        onOwnThread(in: group) {
            guard let holder = try? Database(path: path), (try? holder.execute("BEGIN IMMEDIATE")) != nil else {
                locked.signal()
                return
            }
            locked.signal()
            usleep(100_000)
            try? holder.execute("COMMIT")
        }
        locked.wait()
        let waiter = try Database(path: path)
        waiter.setBusyTimeout(milliseconds: 5000)
        // The old single statement failed at once here, while the other connection held the lock.
        try waiter.useWriteAheadLog()
        #expect(try waiter.scalar("PRAGMA journal_mode") == .text("wal"))
        group.wait()
    }

    @Test func switchingToWriteAheadLoggingGivesUpAfterTheBusyTimeout() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("held.db")
        let holder = try Database(path: path)
        try holder.execute("CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE")
        let waiter = try Database(path: path)
        waiter.setBusyTimeout(milliseconds: 50)
        let clock = ContinuousClock(), start = clock.now
        let error = #expect(throws: SQLiteError.self) { try waiter.useWriteAheadLog() }
        #expect(error?.isBusy == true)
        #expect(clock.now - start >= .milliseconds(50))
        try holder.execute("COMMIT")
        try waiter.useWriteAheadLog()
        #expect(try waiter.scalar("PRAGMA journal_mode") == .text("wal"))
    }
}
