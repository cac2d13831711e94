import CSQLite
import Testing
@testable import SQLiteDB

/// Rows read by column name: one policy for a missing column (it throws), strict types, NULL only
/// into an Optional.
@Suite struct TypedRowTests {
    let db: Database

    init() throws {
        db = try Database(path: ":memory:")
        try db.execute(
            """
            CREATE TABLE t (id INTEGER, name TEXT, x ANY, note TEXT, bytes BLOB);
            INSERT INTO t VALUES (7, 'seven', 2.5, NULL, x'00ff'), (8, 'eight', 3, 'n', NULL);
            """)
    }

    @Test func eachColumnDecodesByNameIntoItsSwiftType() throws {
        let rows = try db.namedRows("SELECT * FROM t ORDER BY id")
        let (id, name, x, note): (Int64, String, Double, String?) = try (rows[0]["id"], rows[0]["name"], rows[0]["x"], rows[0]["note"])
        #expect(id == 7 && name == "seven" && x == 2.5 && note == nil)
        // SQLite's integers read as Doubles, as SQLite itself converts them.
        #expect(try rows[1]["x"] as Double == 3)
        #expect(try rows[1]["note"] as String? == "n")
        #expect(try rows[0]["id"] as Int == 7)
        #expect(try rows[0]["bytes"] as SQLiteValue == .blob([0, 255]))
    }

    @Test func aMissingColumnThrowsTheSameErrorFromARowAndFromAStatement() throws {
        let row = try #require(try db.namedRows("SELECT id FROM t").first)
        let fromRow = #expect(throws: SQLiteError.self) { try row["idd"] as Int64 }
        let statement = try db.prepare("SELECT id FROM t")
        _ = try statement.step()
        let fromStatement = #expect(throws: SQLiteError.self) { try statement.decode(Int64.self, named: "idd") }
        #expect(fromRow?.code == SQLITE_RANGE && fromRow?.message == "the query has no column named idd")
        #expect(fromStatement?.code == fromRow?.code && fromStatement?.message == fromRow?.message)
        #expect(!row.has("idd") && row.has("id"))
    }

    @Test func aValueOfAnotherTypeThrowsAMismatchNamingTheColumn() throws {
        let rows = try db.namedRows("SELECT * FROM t ORDER BY id")
        let null = #expect(throws: SQLiteError.self) { try rows[0]["note"] as String }
        #expect(null?.code == SQLITE_MISMATCH && null?.message == "column note holds NULL, not text")
        // A REAL is never rounded into an integer, and text is never read as a number.
        let real = #expect(throws: SQLiteError.self) { try rows[0]["x"] as Int64 }
        #expect(real?.message == "column x holds a real, not an integer")
        let text = #expect(throws: SQLiteError.self) { try rows[0]["name"] as Double? }
        #expect(text?.message == "column name holds text, not a number or NULL")
        #expect(text?.sql == "SELECT * FROM t ORDER BY id")
    }

    @Test func aStatementResolvesItsColumnsOnceAndDecodesEachRow() throws {
        let statement = try db.prepare("SELECT name, id FROM t ORDER BY id")
        let (name, id) = try (statement.column(named: "name"), statement.column(named: "id"))
        var read: [String] = []
        while try statement.step() { read.append("\(try statement.decode(Int64.self, at: id)) \(try statement.decode(String.self, at: name))") }
        #expect(read == ["7 seven", "8 eight"])
        #expect(throws: SQLiteError.self) { try statement.column(named: "x") }
    }

    @Test func aOneColumnReadDecodesEveryRowAndRefusesWiderQueries() throws {
        #expect(try db.column(Int64.self, "SELECT id FROM t ORDER BY id") == [7, 8])
        #expect(try db.column(String?.self, "SELECT note FROM t ORDER BY id") == [nil, "n"])
        let wide = #expect(throws: SQLiteError.self) { try db.column(Int64.self, "SELECT id, name FROM t") }
        #expect(wide?.code == SQLITE_RANGE)
    }

    @Test func aRowBuiltFromValuesElsewhereDecodesByTheSameRulesAndItsFirstNameWins() throws {
        let row = SQLiteRow(columns: ["a", "b", "a"], values: [.integer(1), .text("x"), .integer(2)])
        #expect(try row["a"] as Int64 == 1)
        #expect(throws: SQLiteError.self) { try row["b"] as Int64 }
    }
}
