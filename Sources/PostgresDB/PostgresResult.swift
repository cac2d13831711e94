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

    init(_ result: OpaquePointer) {
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
}
