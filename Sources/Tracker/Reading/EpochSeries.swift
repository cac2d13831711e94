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
        var next = range.lowerBound  // every epoch before this one is in the envelope
        var atEnd = false
        while try blocks.step() {
            let block = try blocks.decode(Int64.self, named: "block")
            // A block number no epoch can have (a file edited by hand) is left out, not computed with.
            guard (0..<Int64.max / EpochBlocks.size - 1).contains(block) else { continue }
            let start = block * EpochBlocks.size + 1, end = start + EpochBlocks.size - 1
            guard !atEnd, start >= next else { continue }
            try readRows(from: next, through: start - 1, into: &envelope)
            let (first, last) = try (blocks.decode(Int64.self, named: "first_epoch"), blocks.decode(Int64.self, named: "last_epoch"))
            let column = envelope.place(of: Double(first))
            if start <= first, first <= last, last <= end, range.contains(first), range.contains(last),
               column != nil, column == envelope.place(of: Double(last)) {
                envelope.merge(try part(blocks), at: Double(first))
            } else {
                try readRows(from: start, through: end, into: &envelope)
            }
            if end >= range.upperBound { atEnd = true } else { next = end + 1 }
        }
        if !atEnd { try readRows(from: next, through: range.upperBound, into: &envelope) }
    }

    /// The block row's figures as one envelope column.
    private func part(_ blocks: Statement) throws -> Envelope.Column {
        Envelope.Column(
            low: try blocks.decode(Double?.self, named: "low"), high: try blocks.decode(Double?.self, named: "high"),
            nan: countsNulls ? try blocks.decode(Int.self, named: "nan") : 0,
            plusInfinity: try blocks.decode(Int.self, named: "plus_inf"), minusInfinity: try blocks.decode(Int.self, named: "minus_inf"))
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
