import Foundation
import PostgresDB
import TestSupport
import Testing

/// The libpq wrapper against a real server: COPY both ways keeps every double's bits and every text.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct PostgresConnectionTests {
    let connection: PostgresConnection

    init() throws {
        // A temporary table: this connection's own, gone with it, so no test needs a database of its own.
        connection = try PostgresConnection(try PostgresTestServer.server.get(), applicationName: "tests")
        try connection.execute("CREATE TEMPORARY TABLE t (i bigint, x double precision, s text)")
    }

    static let doubles: [Double] = [
        0.1, -0.0, 0.0, 1e-308, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity,
        1.0 / 3.0, 0.7645394698658768, -8.22666379463044e-11, 123456789.0, .ulpOfOne,
    ]
    static let texts = ["plain", "tab\there", "new\nline", "back\\slash", "carriage\rreturn", "\\N", "", "ünïcødé ✓"]

    @Test func copyInAndOutKeepTheBitsOfEveryDoubleAndEveryText() throws {
        try connection.copyIn("COPY t (i, x, s) FROM STDIN") { writer in
            for (index, value) in Self.doubles.enumerated() {
                writer.integer(Int64(index))
                writer.double(value)
                writer.text(Self.texts[index % Self.texts.count])
                try writer.endRow()
            }
            writer.integer(-1)
            writer.null()
            writer.text(nil)
            try writer.endRow()
        }
        var rows: [[[UInt8]?]] = []
        try connection.copyOut("COPY (SELECT i, x, s FROM t ORDER BY i) TO STDOUT") { rows.append(CopyRow($0).fields) }
        #expect(rows.count == Self.doubles.count + 1)
        #expect(rows[0] == [Array("-1".utf8), nil, nil])
        for (index, row) in rows.dropFirst().enumerated() {
            let text = String(decoding: row[1] ?? [], as: UTF8.self)
            let parsed = text == "Infinity" ? Double.infinity : text == "-Infinity" ? -Double.infinity : Double(text)
            #expect(parsed?.bitPattern == Self.doubles[index].bitPattern, "\(text) for \(Self.doubles[index])")
            #expect(row[2].map { String(decoding: $0, as: UTF8.self) } == Self.texts[index % Self.texts.count])
        }
    }

    @Test func binaryCopyGivesEveryFieldsBytesIntegersOfEachWidthAndNulls() throws {
        try connection.copyIn("COPY t (i, x, s) FROM STDIN") { writer in
            for (index, value) in Self.doubles.enumerated() {
                writer.integer(Int64(index) - 3)
                writer.double(value)
                writer.text(Self.texts[index % Self.texts.count])
                try writer.endRow()
            }
            writer.null()
            writer.null()
            writer.text(nil)
            try writer.endRow()
        }
        var reader = BinaryCopyReader()
        var rows: [[[UInt8]?]] = []
        let sql = "COPY (SELECT i, i::int4, i::int2, x, (i / 3.0)::float4, s, i < 0 FROM t ORDER BY t.i NULLS LAST) TO STDOUT (FORMAT binary)"
        try connection.copyOut(sql) { message in
            guard try reader.read(message) else { return }
            rows.append(reader.fields.map { $0.map { Array(message[$0]) } })
        }
        #expect(reader.ended)
        #expect(rows.count == Self.doubles.count + 1)
        for (index, row) in rows.dropLast().enumerated() {
            let integers = row.prefix(3).map { field in field.flatMap { bytes in
                bytes.withUnsafeBufferPointer { BinaryCopyReader.integer($0, at: 0, size: bytes.count) }
            } }
            #expect(integers == Array(repeating: Int64(index) - 3, count: 3))
            let (double, float) = (row[3] ?? [], row[4] ?? [])
            let parsed = double.withUnsafeBufferPointer { BinaryCopyReader.double($0, in: 0..<double.count) }
            #expect(parsed?.bitPattern == Self.doubles[index].bitPattern, "\(Self.doubles[index])")
            let narrowed = float.withUnsafeBufferPointer { BinaryCopyReader.double($0, in: 0..<float.count) }
            #expect(narrowed.map(Float.init)?.bitPattern == Float(Double(index - 3) / 3).bitPattern)
            #expect(row[5].map { String(decoding: $0, as: UTF8.self) } == Self.texts[index % Self.texts.count])
            #expect(row[6] == [index < 3 ? 1 : 0])
        }
        #expect(rows.last == Array(repeating: nil, count: 7))
    }

    @Test func aMessageThatIsNotBinaryCopyIsRefused() throws {
        var reader = BinaryCopyReader()
        #expect(throws: PostgresError.self) {
            try Array("1\t2\n".utf8).withUnsafeBufferPointer { try reader.read($0) }
        }
    }

    @Test func nanIsWrittenAsPostgreSQLsOwnNaN() throws {
        try connection.copyIn("COPY t (x) FROM STDIN") { writer in
            writer.double(.nan)
            try writer.endRow()
        }
        #expect(try connection.query("SELECT x = 'NaN'::float8 FROM t").scalar == "t")
    }

    @Test func aFailedStatementKeepsTheSQLStateAndTheConnectionStaysUsable() throws {
        #expect {
            try connection.query("SELECT * FROM no_such_table")
        } throws: { error in
            let failure = error as? PostgresError
            return failure?.sqlState == "42P01" && failure?.message.contains("no_such_table") == true
                && failure?.sql == "SELECT * FROM no_such_table"
        }
        #expect(try connection.query("SELECT $1::int + 1", ["41"]).scalar == "42")
    }

    @Test func aCopyInThatFailsOnTheServerThrowsAndLeavesNothing() throws {
        #expect(throws: PostgresError.self) {
            try connection.copyIn("COPY t (i) FROM STDIN") { writer in
                writer.text("not a number")
                try writer.endRow()
            }
        }
        #expect(try connection.query("SELECT count(*) FROM t").scalar == "0")
    }

    @Test func aTransactionRollsBackWhenItsBodyThrows() throws {
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try connection.transaction {
                try connection.query("INSERT INTO t (i) VALUES (1)")
                throw Stop()
            }
        }
        #expect(try connection.query("SELECT count(*) FROM t").scalar == "0")
    }

    @Test func aPasswordInTheConnectionStringIsFoundInBothForms() throws {
        #expect(try PostgresConnection.setsPassword("postgresql://me:secret@localhost/db").get() == true)
        #expect(try PostgresConnection.setsPassword("host=x password=secret").get() == true)
        #expect(try PostgresConnection.setsPassword("postgresql://me@localhost/db").get() == false)
        #expect(throws: PostgresError.self) { try PostgresConnection.setsPassword("host='unterminated").get() }
    }

    @Test func anUnreachableServerIsAnErrorWithLibpqsMessage() {
        #expect {
            _ = try PostgresConnection("host=/nonexistent-gradlog dbname=x", applicationName: "tests")
        } throws: { error in
            (error as? PostgresError)?.message.contains("/nonexistent-gradlog") == true
        }
    }
}
