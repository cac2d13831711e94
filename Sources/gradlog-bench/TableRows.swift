import CSQLite

/// The per-step tables of a gradlog file, counted and compared between two files through the C API.
enum TableRows {
    /// The tables a logged step writes rows into.
    static let tables = ["steps", "step_metrics", "gradients", "epochs", "gradient_blocks"]

    /// Rows of each of `tables` in the file at `path` (nil when it cannot be read).
    static func count(in path: String) -> [String: Int]? {
        reading(path) { db in
            var counts: [String: Int] = [:]
            for table in tables {
                guard let rows = scalar(db, "SELECT count(*) FROM \(table)") else { return nil }
                counts[table] = rows
            }
            return counts
        }
    }

    /// Rows of `tables` in one file and not in the other, both ways (0: the two hold the same rows).
    static func differing(_ path: String, _ other: String) -> Int? {
        reading(path) { db in
            guard sqlite3_exec(db, "ATTACH '\(other)' AS other", nil, nil, nil) == SQLITE_OK else { return nil }
            var total = 0
            for table in tables {
                let sql = "SELECT (SELECT count(*) FROM (SELECT * FROM main.\(table) EXCEPT SELECT * FROM other.\(table)))"
                    + " + (SELECT count(*) FROM (SELECT * FROM other.\(table) EXCEPT SELECT * FROM main.\(table)))"
                guard let rows = scalar(db, sql) else { return nil }
                total += rows
            }
            return total
        }
    }

    private static func reading<T>(_ path: String, _ body: (OpaquePointer) -> T?) -> T? {
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else { return nil }
        return body(db)
    }

    private static func scalar(_ db: OpaquePointer, _ sql: String) -> Int? {
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK,
              sqlite3_step(statement) == SQLITE_ROW else { return nil }
        return Int(sqlite3_column_int64(statement, 0))
    }
}
