import SQLiteDB

extension RunCatalog {
    /// The per-epoch report's first and last `count` rows, handed over in order, with the number of
    /// epochs between them that were left out; all rows when there are at most twice `count`.
    ///
    /// Only the rows shown are computed (each costs a lookup per parameter), so a page about a long
    /// run does not pay for the epochs it leaves out.
    public func streamEpochReportEnds(
        of runID: Int64, count: Int, columns: ([String]) throws -> Void,
        row: ([SQLiteValue]) throws -> Void, leftOut: (Int) throws -> Void
    ) throws {
        let names = try reportParameters(.epochs, of: runID, matching: nil)
        let report = ReportTemplate(.epochs, parameterCount: names.count)
            .sql(parameters: names, metrics: try metricNames(.epochs, of: runID))
        let ends = try epochEnds(of: runID, count: count)
        let body = ReportTemplate.subquery(report)
        // The report's first column is its epoch (SQLite renames a later column of the same name).
        // Two ranges rather than one OR: SQLite scans every epoch for an OR of two ranges (1.4 s
        // for 10,000,000 epochs), and looks up only the rows shown for each range (5 ms).
        let sql = ends == nil ? body
            : "SELECT * FROM (\n\(body)\n) WHERE epoch <= :head\nUNION ALL\nSELECT * FROM (\n\(body)\n) WHERE epoch >= :tail\nORDER BY 1"
        let statement = try store.attempt {
            let statement = try store.db.prepare(sql)
            if let index = statement.parameterIndex(":run") { try statement.bind(runID, at: index) }
            if let ends {
                try statement.bind(ends.head, at: statement.parameterIndex(":head") ?? 0)
                try statement.bind(ends.tail, at: statement.parameterIndex(":tail") ?? 0)
            }
            return statement
        }
        try columns(statement.columnNames)
        var shown = 0
        while try store.attempt({ try statement.step() }) {
            if shown == count, let ends { try leftOut(ends.total - 2 * count) }
            try row(statement.row())
            shown += 1
        }
    }

    /// The last epoch of the first `count` and the first of the last `count`, with the number of
    /// epochs; nil when there are too few epochs to leave any out.
    private func epochEnds(of runID: Int64, count: Int) throws(TrackerError) -> (head: Int64, tail: Int64, total: Int)? {
        try store.attempt {
            guard let ends = try store.db.namedRows(
                """
                SELECT count(*) AS total,
                       (SELECT epoch FROM epochs WHERE run_id = ?1 ORDER BY epoch LIMIT 1 OFFSET ?2 - 1) AS head,
                       (SELECT epoch FROM epochs WHERE run_id = ?1 ORDER BY epoch DESC LIMIT 1 OFFSET ?2 - 1) AS tail
                FROM epochs WHERE run_id = ?1
                """, [.integer(runID), .integer(Int64(count))]).first else { return nil }
            let total: Int = try ends["total"]
            guard total > 2 * count, let head: Int64 = try ends["head"], let tail: Int64 = try ends["tail"] else { return nil }
            return (head, tail, total)
        }
    }
}
