import Testing
import TestSupport
@testable import SQLiteDB

/// Connections that are safe to point at a file from someone else, and values that arrive whole.
@Suite struct HardeningTests {
    @Test func triggersInAFileNeverFireOnAConnection() throws {
        let db = try Database(path: ":memory:")
        try db.execute("""
            CREATE TABLE t (x); CREATE TABLE log (y);
            CREATE TRIGGER spy AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.x); END;
            """)
        try db.run("INSERT INTO t VALUES (1)")
        #expect(try db.scalar("SELECT count(*) FROM log") == 0)
    }

    @Test func aViewCannotCallFunctionsWithSideEffectsAndTheSchemaCannotBeWrittenFromSQL() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE VIEW leak AS SELECT fts3_tokenizer('simple') AS pointer")
        let error = #expect(throws: SQLiteError.self) { try db.rows("SELECT * FROM leak") }
        #expect(error?.message.contains("unsafe use of fts3_tokenizer") == true)
        #expect(throws: SQLiteError.self) { try db.execute("PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = ''") }
    }

    @Test func textKeepsEveryByteAfterANul() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (a TEXT)")
        try db.run("INSERT INTO t VALUES (?)", [.text("before\0after")])
        #expect(try db.scalar("SELECT length(CAST(a AS BLOB)) FROM t") == 12)
        #expect(try db.scalar("SELECT a FROM t") == .text("before\0after"))
        try db.run("INSERT INTO t VALUES (?)", [.text("")])
        #expect(try db.scalar("SELECT count(*) FROM t WHERE a = ''") == 1)
    }

    @Test("Text that is not UTF-8 reads as U+FFFD per bad sequence, and the statement says it is not UTF-8")
    func textThatIsNotUTF8IsReadWithReplacementCharactersAndReported() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (a TEXT)")
        for bytes in HostileStrings.notUTF8 {
            try db.run("INSERT INTO t VALUES (CAST(? AS TEXT))", [.blob(bytes)])
        }
        try db.run("INSERT INTO t VALUES (?), (NULL), (?)", [.text("é\u{FFFD}\0"), .text(HostileStrings.hundredKilobytes)])
        let statement = try db.prepare("SELECT a FROM t ORDER BY rowid")
        var rows: [(text: String?, valid: Bool)] = []
        while try statement.step() { rows.append((statement.text(at: 0), statement.isValidUTF8(at: 0))) }
        #expect(rows.map(\.valid) == Array(repeating: false, count: HostileStrings.notUTF8.count) + [true, true, true])
        #expect(rows.prefix(HostileStrings.notUTF8.count).map(\.text) == HostileStrings.notUTF8.map { String(decoding: $0, as: UTF8.self) })
        #expect(rows[1].text == "\u{FFFD}" && rows[2].text == "\u{FFFD}\u{FFFD}")
        #expect(rows.suffix(3).map(\.text) == ["é\u{FFFD}\0", nil, HostileStrings.hundredKilobytes])
    }

    @Test func bindingTheWrongNumberOfValuesIsAnError() throws {
        let db = try Database(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) { try db.run("SELECT ?, ?", [1]) }
        #expect(error?.message == "1 values given for 2 parameters")
    }

    @Test func aHugeStatementIsQuotedShortInItsMessage() {
        let sql = "SELECT " + String(repeating: "1 + ", count: 100_000) + "x"
        let error = SQLiteError(code: 1, message: "no such column: x", sql: sql)
        #expect(error.description.count < SQLiteError.quotedSQLLimit + 100)
        #expect(error.description.hasSuffix("…`"))
    }

    @Test func pathsWithURICharactersOpenTheFileTheyName() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("odd?name#with%chars.db")
        try Database(path: path).execute("CREATE TABLE t (x)")
        #expect(try Database(path: path, mode: .readOnly).scalar("SELECT count(*) FROM sqlite_schema WHERE name = 't'") == 1)
        #expect(Database.uri(forPath: "//a/b?c") == "file:/a/b%3fc")
    }
}
