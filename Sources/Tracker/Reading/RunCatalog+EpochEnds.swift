import PostgresDB
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
        // A run of a store read on demand: the server counts its epochs, and the rows the report's
        // query reads for the epochs shown are copied (a run with metrics is copied whole).
        let onDemand = store.fetchesRows(of: runID) ? store.snapshot : nil
        let ends = try epochEnds(of: runID, count: count, on: onDemand)
        if onDemand != nil { try fetchRowsOfEpochs(of: runID, shownAt: ends) }
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

    /// Copies what the per-epoch report's query reads for the epochs shown (all when `ends` is nil):
    /// their rows, the values the steps after them started from, and the last step (whether any
    /// step followed an epoch, for the final values).
    private func fetchRowsOfEpochs(of runID: Int64, shownAt ends: (head: Int64, tail: Int64, total: Int)?) throws(TrackerError) {
        let epochs = ends.map { [Int64.min...$0.head, $0.tail...Int64.max] } ?? [Int64.min...Int64.max]
        try store.fetch(.epochs, of: runID, .ranges(epochs))
        let shown = ends.map { "AND (epoch <= \($0.head) OR epoch >= \($0.tail))" } ?? ""
        try store.fetch(.gradients, of: runID, .selectedBy(
            "SELECT last_step + 1 FROM epochs WHERE run_id = \(runID) \(shown) AND last_step < \(Int64.max)"))
        try store.fetch(.steps, of: runID, .selectedBy("SELECT max(step) FROM steps WHERE run_id = \(runID)"))
    }

    /// The last epoch of the first `count` and the first of the last `count`, with the number of
    /// epochs; nil when there are too few epochs to leave any out. Counted by the store's server
    /// when it is given (a run read on demand), by the same query.
    private func epochEnds(of runID: Int64, count: Int, on server: StoreSnapshot?) throws -> (head: Int64, tail: Int64, total: Int)? {
        let sql = """
            SELECT count(*) AS total,
                   (SELECT epoch FROM epochs WHERE run_id = \(runID) ORDER BY epoch LIMIT 1 OFFSET \(count - 1)) AS head,
                   (SELECT epoch FROM epochs WHERE run_id = \(runID) ORDER BY epoch DESC LIMIT 1 OFFSET \(count - 1)) AS tail
            FROM epochs WHERE run_id = \(runID)
            """
        typealias Ends = (total: Int64?, head: Int64?, tail: Int64?)
        let ends: Ends? = if let server {
            try server.row(sql) { row throws(PostgresError) in try (row.integer("total"), row.integer("head"), row.integer("tail")) }
        } else {
            try store.attempt { try store.db.namedRows(sql).first.map { row in try (row["total"], row["head"], row["tail"]) as Ends } }
        }
        guard case let (total?, head?, tail?)? = ends, total > 2 * count else { return nil }
        return (head, tail, Int(total))
    }
}
