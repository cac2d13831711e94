import PostgresDB
import TestSupport
import Testing

/// A PostgreSQL row read by column name, with the policy of SQLite's rows: a missing column throws,
/// NULL reads as nil, text that is not the number asked for throws.
@Suite struct PostgresRowTests {
    let row = PostgresRow(columns: ["k", "x", "on", "note", "k"], values: ["7", "-Infinity", "t", nil, "8"], sql: "SELECT …")

    @Test func eachColumnIsReadByNameTheFirstOfTwoWithOneNameWinning() throws {
        #expect(try row.integer("k") == 7)
        #expect(try row.double("x") == -.infinity)
        #expect(try row.bool("on") == true)
        #expect(try row["note"] == nil && row.integer("note") == nil && row.double("note") == nil)
    }

    @Test func aMissingColumnThrowsNamingItAndTheQuery() {
        let error = #expect(throws: PostgresError.self) { try row.integer("kk") }
        #expect(error?.message == "the query has no column named kk" && error?.sql == "SELECT …")
    }

    @Test func textThatIsNotTheKindAskedForThrows() {
        let error = #expect(throws: PostgresError.self) { try row.integer("x") }
        #expect(error?.message == "column \"x\" holds \"-Infinity\", not an integer")
        #expect(throws: PostgresError.self) { try row.bool("k") }
        #expect(throws: PostgresError.self) { try PostgresRow(columns: ["x"], values: ["1.5e"]).double("x") }
    }

    @Test func theServersSpecialDoublesReadAsTheirValues() throws {
        let special = PostgresRow(columns: ["a", "b", "c"], values: ["Infinity", "NaN", "-0"])
        #expect(try special.double("a") == .infinity)
        #expect(try special.double("b")?.isNaN == true)
        #expect(try special.double("c")?.sign == .minus)
    }
}

/// Named rows and one-column reads of a real server's results.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresResultTests {
    let connection: PostgresConnection

    init() throws {
        connection = try PostgresConnection(try PostgresTestServer.server.get(), applicationName: "tests")
    }

    @Test func aResultsRowsReadByTheirColumnNames() throws {
        let rows = try connection.query("SELECT 3::int8 AS id, 0.5::float8 AS x, true AS on, NULL::text AS note").namedRows
        #expect(rows.count == 1)
        #expect(try rows[0].integer("id") == 3 && rows[0].double("x") == 0.5 && rows[0].bool("on") == true && rows[0]["note"] == nil)
        let error = #expect(throws: PostgresError.self) { try rows[0]["idd"] }
        #expect(error?.sql?.hasPrefix("SELECT 3::int8") == true)
    }

    @Test func aOneColumnReadGivesIntegersAndRefusesMoreColumnsOrNull() throws {
        #expect(try connection.query("SELECT * FROM (VALUES (2), (1)) AS t (id)").integers() == [2, 1])
        #expect(try connection.query("SELECT 1 WHERE false").integers() == [])
        let wide = #expect(throws: PostgresError.self) { try connection.query("SELECT 1, 2").integers() }
        #expect(wide?.message == "a one-column read of 2 columns")
        #expect(throws: PostgresError.self) { try connection.query("SELECT NULL::int8 AS id").integers() }
        #expect(throws: PostgresError.self) { try connection.query("SELECT 'x' AS id").integers() }
    }
}
