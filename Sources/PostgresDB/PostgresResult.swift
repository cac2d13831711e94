import CLibPQ

/// The rows of a query, every value as the server's text (NULL as nil), copied out of libpq.
public struct PostgresResult: Sendable {
    /// The column names, in order.
    public let columns: [String]
    /// Each column's type, as the server's type OID (`pg_type.oid`: 20 for bigint, 701 for double precision, …).
    public let columnTypes: [UInt32]
    /// The rows, each with one optional text per column.
    public let rows: [[String?]]
    /// How many rows an INSERT, UPDATE or DELETE changed (0 for other statements).
    public let affectedRows: Int
    /// The statement, for the errors of reading its rows by name.
    private let sql: String?

    init(_ result: OpaquePointer, sql: String?) {
        self.sql = sql
        affectedRows = Int(String(cString: PQcmdTuples(result))) ?? 0
        let columnCount = PQnfields(result)
        columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        columnTypes = (0..<columnCount).map { UInt32(PQftype(result, $0)) }
        rows = (0..<PQntuples(result)).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }

    /// The first column of the first row, when there is one and it is not NULL.
    public var scalar: String? { rows.first?.first ?? nil }

    /// The values of a one-column query as integers (`SELECT id FROM runs`); throws for more than
    /// one column, a NULL or text that is not an integer.
    public func integers() throws(PostgresError) -> [Int64] {
        guard columns.count == 1 else {
            throw PostgresError(sqlState: nil, message: "a one-column read of \(columns.count) columns", sql: sql)
        }
        var values: [Int64] = []
        for row in namedRows {
            guard let value = try row.integer(columns[0]) else {
                throw PostgresError(sqlState: nil, message: "column \"\(columns[0])\" holds NULL, not an integer", sql: sql)
            }
            values.append(value)
        }
        return values
    }

    /// The columns, each found by name (`index(of:)`) once for all the rows.
    public var namedColumns: PostgresColumns { PostgresColumns(columns, sql: sql) }

    /// The rows, each read by column name.
    public var namedRows: [PostgresRow] {
        let named = namedColumns
        return rows.map { PostgresRow(columns: named, values: $0) }
    }
}
