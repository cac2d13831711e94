import SQLiteDB
import Training

/// Inserts `epochs` rows for one run through one prepared statement.
struct EpochWriter {
    private let insert: Statement

    /// Prepares the insert on `db`'s main schema, bound to run `runID`.
    init(_ db: Database, runID: Int64) throws {
        let names = EpochRow.columns.map(\.name).joined(separator: ", ")
        let places = EpochRow.columns.indices.map { "?\($0 + 2)" }.joined(separator: ", ")
        insert = try db.prepare("INSERT INTO epochs(run_id, \(names)) VALUES (?1, \(places))")
        try insert.bind(runID, at: 1)
    }

    /// Writes one epoch's row.
    func write(_ summary: EpochSummary) throws {
        for (offset, column) in EpochRow.columns.enumerated() {
            try insert.bind(column.stored(summary), at: Int32(offset + 2))
        }
        try insert.run()
    }
}
