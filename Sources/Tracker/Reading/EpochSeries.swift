import Charts
import PostgresDB
import SQLiteDB

/// One per-epoch figure of a run (`EpochBlocks.figures`) read into an envelope mostly from its
/// `epoch_blocks` summaries: a block whose epochs all fall into one pixel column is merged whole,
/// and the rows of any other (straddling two columns, outside the range, missing, or not yet
/// written while the run trains) are read one by one, so the columns are those of reading every row.
struct EpochSeries {
    private let store: Store
    private var db: Database { store.db }
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
    init(_ store: Store, runID: Int64, figure: String, countsNulls: Bool, rows: Statement, range: ClosedRange<Int64>) {
        (self.store, self.runID, self.figure, self.countsNulls, self.rows, self.range) = (store, runID, figure, countsNulls, rows, range)
    }

    /// Adds every epoch of the range to `envelope`.
    func read(into envelope: inout Envelope) throws {
        let blocks = try blockRows()
        let c = try BlockColumns(blocks)
        let sides = try SideRanges(db, rows: rows, runID: runID)
        if store.fetchesRows(of: runID) {
            let plan = try plan(blocks, c, envelope)
            try store.fetch(.epochs, of: runID, .ranges(plan.rows, within: range.lowerBound, range.upperBound))
            try sides.prefetch(plan.splits, from: store, runID: runID)
            blocks.reset()
        }
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
            switch try handling(blocks, c, start: start, end: end, envelope) {
            case .merge:
                envelope.merge(try part(blocks, c), at: Double(first))
            case .split(let split):
                // A block across two columns whose values are all finite: each side is its lowest and
                // highest value, which SQLite (or the store's server) finds without handing every row over.
                envelope.merge(try sides.range(first...split - 1), at: Double(first))
                envelope.merge(try sides.range(split...last), at: Double(split))
            case .rows:
                try readRows(from: start, through: end, into: &envelope)
            }
            if end >= range.upperBound { atEnd = true } else { next = end + 1 }
        }
        if !atEnd { try readRows(from: next, through: range.upperBound, into: &envelope) }
    }

    /// The summaries of the blocks that hold epochs of the range, in order.
    private func blockRows() throws -> Statement {
        let blocks = try db.prepare(
            """
            SELECT block, first_epoch, last_epoch, \(figure)_low AS low, \(figure)_high AS high, \(figure)_nan AS nan,
                   \(figure)_plus_inf AS plus_inf, \(figure)_minus_inf AS minus_inf
            FROM epoch_blocks WHERE run_id = ?1 AND block BETWEEN ?2 AND ?3 ORDER BY block
            """)
        try blocks.bind(runID, at: 1)
        try blocks.bind(range.lowerBound <= 1 ? 0 : EpochBlocks.block(of: range.lowerBound), at: 2)
        try blocks.bind(range.upperBound < 1 ? -1 : EpochBlocks.block(of: range.upperBound), at: 3)
        return blocks
    }

    /// How `read` takes a block of epochs.
    private enum Handling {
        /// Its summary merged: its epochs lie in one column.
        case merge
        /// Its lowest and highest value before this epoch and from it: it lies across two columns.
        case split(Int64)
        /// Its rows read one by one.
        case rows
    }

    /// How `read` takes the block of the current row of `blocks`, epochs `start` through `end`.
    private func handling(_ blocks: Statement, _ c: BlockColumns, start: Int64, end: Int64, _ envelope: Envelope) throws -> Handling {
        let (first, last) = try (blocks.decode(Int64.self, at: c.first), blocks.decode(Int64.self, at: c.last))
        let column = envelope.place(of: Double(first)), lastColumn = envelope.place(of: Double(last))
        let whole = start <= first && first <= last && last <= end && range.contains(first) && range.contains(last)
        guard whole, column != nil, lastColumn != nil else { return .rows }
        if column == lastColumn { return .merge }
        if try allFinite(blocks, c), let split = Self.split(first...last, of: envelope) { return .split(split) }
        return .rows
    }

    /// What `read` takes from elsewhere than the summaries, for a run loaded on demand: the epochs
    /// whose rows it reads (those no block covers, and of the blocks it reads row by row), and the
    /// sides of the blocks it splits (`SideRanges`).
    private func plan(_ blocks: Statement, _ c: BlockColumns, _ envelope: Envelope) throws
        -> (rows: [ClosedRange<Int64>], splits: [ClosedRange<Int64>]) {
        var rows: [ClosedRange<Int64>] = [], splits: [ClosedRange<Int64>] = []
        var next = range.lowerBound
        while try blocks.step() {
            let block = try blocks.decode(Int64.self, at: c.block)
            guard (0..<Int64.max / EpochBlocks.size - 1).contains(block) else { continue }
            let start = block * EpochBlocks.size + 1, end = start + EpochBlocks.size - 1
            guard start >= next else { continue }
            if next <= start - 1 { rows.append(next...(start - 1)) }
            switch try handling(blocks, c, start: start, end: end, envelope) {
            case .merge: break
            case .split(let split):
                let (first, last) = try (blocks.decode(Int64.self, at: c.first), blocks.decode(Int64.self, at: c.last))
                splits += [first...split - 1, split...last]
            case .rows: rows.append(start...end)
            }
            if end >= range.upperBound { return (rows, splits) }
            next = end + 1
        }
        return (rows + [next...range.upperBound], splits)
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
    /// query: for epochs whose values are all finite, where that is what adding each row gives. For
    /// a run read on demand, the store's server reads them for all of a chart's ranges at once.
    private final class SideRanges {
        let statement: Statement
        private var fetched: [ClosedRange<Int64>: Envelope.Column] = [:]

        init(_ db: Database, rows: Statement, runID: Int64) throws {
            statement = try db.prepare("SELECT min(y), max(y) FROM (\(rows.sql)) AS side")
            try statement.bind(runID, at: 1)
        }

        /// The column of epochs `epochs` (empty when none has a row).
        func range(_ epochs: ClosedRange<Int64>) throws -> Envelope.Column {
            if let column = fetched[epochs] { return column }
            try statement.bind(epochs.lowerBound, at: 3)
            try statement.bind(epochs.upperBound, at: 4)
            defer { statement.reset() }
            guard try statement.step() else { return Envelope.Column() }
            return Envelope.Column(low: try statement.decode(Double?.self, at: 0), high: try statement.decode(Double?.self, at: 1))
        }

        /// Has the store's server find each range's lowest and highest value in one query, by the
        /// same rows query (its `?1` the run, `?3` and `?4` each range's ends), for a run read on demand.
        func prefetch(_ ranges: [ClosedRange<Int64>], from store: Store, runID: Int64) throws {
            guard let snapshot = store.snapshot, !ranges.isEmpty else { return }
            let sides = statement.sql.replacing("?1", with: "\(runID)").replacing("?3", with: "wanted.low")
                .replacing("?4", with: "wanted.high")
            try snapshot.rows(
                "SELECT wanted.low, wanted.high, sides.* FROM \(StoreSnapshot.table(of: ranges)) "
                    + "CROSS JOIN LATERAL (\(sides) OFFSET 0) AS sides (lowest, highest)") { row throws(PostgresError) in
                guard let low = try row.integer("low"), let high = try row.integer("high"), low <= high else { return }
                fetched[low...high] = try Envelope.Column(low: row.double("lowest"), high: row.double("highest"))
            }
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
