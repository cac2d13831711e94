import Charts
import SQLiteDB

/// One per-epoch figure of a run (`EpochBlocks.figures`) read into an envelope mostly from its
/// `epoch_blocks` summaries: a block whose epochs all fall into one pixel column is merged whole,
/// and the rows of any other (straddling two columns, outside the range, missing, or not yet
/// written while the run trains) are read one by one, so the columns are those of reading every row.
struct EpochSeries {
    private let db: Database
    private let runID: Int64
    /// The figure's column prefix in `epoch_blocks` (`mean_loss`).
    private let figure: String
    /// Whether a stored NULL is drawn (counted as NaN); an accuracy a run logged from outside did not
    /// give is unknown, not NaN, and its rows query leaves it out.
    private let countsNulls: Bool
    /// The figure's rows over epochs `?3` through `?4`, as `x` and `y`, in epoch order.
    private let rows: Statement
    /// The epochs asked for.
    private let range: ClosedRange<Int64>

    /// Prepares to read `figure` of run `runID` over `range`; `rows` reads the rows of a range of epochs.
    init(_ db: Database, runID: Int64, figure: String, countsNulls: Bool, rows: Statement, range: ClosedRange<Int64>) {
        (self.db, self.runID, self.figure, self.countsNulls, self.rows, self.range) = (db, runID, figure, countsNulls, rows, range)
    }

    /// Adds every epoch of the range to `envelope`.
    func read(into envelope: inout Envelope) throws {
        let blocks = try db.prepare(
            """
            SELECT block, first_epoch, last_epoch, \(figure)_low AS low, \(figure)_high AS high, \(figure)_nan AS nan,
                   \(figure)_plus_inf AS plus_inf, \(figure)_minus_inf AS minus_inf
            FROM epoch_blocks WHERE run_id = ?1 AND block BETWEEN ?2 AND ?3 ORDER BY block
            """)
        try blocks.bind(runID, at: 1)
        try blocks.bind(range.lowerBound <= 1 ? 0 : EpochBlocks.block(of: range.lowerBound), at: 2)
        try blocks.bind(range.upperBound < 1 ? -1 : EpochBlocks.block(of: range.upperBound), at: 3)
        let c = try BlockColumns(blocks)
        var sides: SideRanges?  // prepared when a block first needs it
        var next = range.lowerBound  // every epoch before this one is in the envelope
        var atEnd = false
        while try blocks.step() {
            let block = try blocks.decode(Int64.self, at: c.block)
            // A block number no epoch can have (a file edited by hand) is left out, not computed with.
            guard (0..<Int64.max / EpochBlocks.size - 1).contains(block) else { continue }
            let start = block * EpochBlocks.size + 1, end = start + EpochBlocks.size - 1
            guard !atEnd, start >= next else { continue }
            try readRows(from: next, through: start - 1, into: &envelope)
            let (first, last) = try (blocks.decode(Int64.self, at: c.first), blocks.decode(Int64.self, at: c.last))
            let column = envelope.place(of: Double(first)), lastColumn = envelope.place(of: Double(last))
            let whole = start <= first && first <= last && last <= end && range.contains(first) && range.contains(last)
            if whole, let column, column == lastColumn {
                envelope.merge(try part(blocks, c), at: Double(first))
            } else if whole, column != nil, lastColumn != nil, try allFinite(blocks, c),
                      let split = Self.split(first...last, of: envelope) {
                // A block across two columns whose values are all finite: each side is its lowest and
                // highest value, which SQLite finds without handing every row over.
                let ranges = try sides ?? SideRanges(db, rows: rows, runID: runID)
                sides = ranges
                envelope.merge(try ranges.range(first...split - 1), at: Double(first))
                envelope.merge(try ranges.range(split...last), at: Double(split))
            } else {
                try readRows(from: start, through: end, into: &envelope)
            }
            if end >= range.upperBound { atEnd = true } else { next = end + 1 }
        }
        if !atEnd { try readRows(from: next, through: range.upperBound, into: &envelope) }
    }

    /// The first epoch of `epochs` in the column after the first one's, found by bisection; nil
    /// unless the epochs fall into exactly two columns (side by side).
    static func split(_ epochs: ClosedRange<Int64>, of envelope: Envelope) -> Int64? {
        guard let left = envelope.place(of: Double(epochs.lowerBound)),
              envelope.place(of: Double(epochs.upperBound)) == left + 1 else { return nil }
        var (low, high) = (epochs.lowerBound + 1, epochs.upperBound)
        while low < high {
            let middle = low + (high - low) / 2
            if envelope.column(of: Double(middle)) > left { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Whether the block row counts no value that is not finite (a NULL the rows query leaves out aside).
    private func allFinite(_ blocks: Statement, _ c: BlockColumns) throws -> Bool {
        let nan = countsNulls ? try blocks.decode(Int.self, at: c.nan) : 0
        return try nan == 0 && blocks.decode(Int.self, at: c.plusInfinity) == 0 && blocks.decode(Int.self, at: c.minusInfinity) == 0
    }

    /// The block row's figures as one envelope column.
    private func part(_ blocks: Statement, _ c: BlockColumns) throws -> Envelope.Column {
        Envelope.Column(
            low: try blocks.decode(Double?.self, at: c.low), high: try blocks.decode(Double?.self, at: c.high),
            nan: countsNulls ? try blocks.decode(Int.self, at: c.nan) : 0,
            plusInfinity: try blocks.decode(Int.self, at: c.plusInfinity), minusInfinity: try blocks.decode(Int.self, at: c.minusInfinity))
    }

    /// The columns of a block row, resolved by name once for all rows.
    private struct BlockColumns {
        let block, first, last, low, high, nan, plusInfinity, minusInfinity: Int32

        init(_ s: Statement) throws {
            (block, first, last) = try (s.column(named: "block"), s.column(named: "first_epoch"), s.column(named: "last_epoch"))
            (low, high, nan) = try (s.column(named: "low"), s.column(named: "high"), s.column(named: "nan"))
            (plusInfinity, minusInfinity) = try (s.column(named: "plus_inf"), s.column(named: "minus_inf"))
        }
    }

    /// The lowest and highest value of the rows of a range of epochs, read by SQLite from the rows
    /// query: for epochs whose values are all finite, where that is what adding each row gives.
    private struct SideRanges {
        let statement: Statement

        init(_ db: Database, rows: Statement, runID: Int64) throws {
            statement = try db.prepare("SELECT min(y), max(y) FROM (\(rows.sql))")
            try statement.bind(runID, at: 1)
        }

        /// The column of epochs `epochs` (empty when none has a row).
        func range(_ epochs: ClosedRange<Int64>) throws -> Envelope.Column {
            try statement.bind(epochs.lowerBound, at: 3)
            try statement.bind(epochs.upperBound, at: 4)
            defer { statement.reset() }
            guard try statement.step() else { return Envelope.Column() }
            return Envelope.Column(low: try statement.decode(Double?.self, at: 0), high: try statement.decode(Double?.self, at: 1))
        }
    }

    /// Adds the rows of epochs `from` through `through` (none when `from` is past `through`).
    private func readRows(from: Int64, through: Int64, into envelope: inout Envelope) throws {
        let (from, through) = (max(from, range.lowerBound), min(through, range.upperBound))
        guard from <= through else { return }
        try rows.bind(from, at: 3)
        try rows.bind(through, at: 4)
        defer { rows.reset() }
        let (x, y) = try (rows.column(named: "x"), rows.column(named: "y"))
        while try rows.step() {
            envelope.add(x: Double(try rows.decode(Int64.self, at: x)), y: try rows.measured(at: y))
        }
    }
}
