import Charts
import SQLiteDB

/// Every parameter's per-step series of one run (its values, or its relative errors at checked
/// steps), read into envelopes row by row, or mostly from the run's `gradient_blocks` summaries.
struct StepSeries {
    private let store: Store
    private var db: Database { store.db }
    private let runID: Int64
    private let errors: Bool
    /// SQL that turns a row's parameter name into its index in the names the series was made for.
    let index: String
    /// An envelope shaped like those read into: its columns and x domain.
    private let shape: Envelope
    /// Added to a step number to give its x (-1 when step s + 1 holds the values at the end of epoch s).
    var shift: Int64 = 0

    /// The steps whose x a clipped shape can hold (all of them for one that is not clipped): rows
    /// outside are never read, so a chart of a range of a long run reads only that range.
    private var steps: (low: Int64, high: Int64) {
        let x = ChartReader.wholeX(in: shape)
        guard shape.clipped else { return x }
        return (x.low - shift, x.high - shift)
    }

    /// Prepares to read the series of `names` of run `runID` into envelopes shaped like `shape`.
    init(_ store: Store, names: [String], runID: Int64, errors: Bool, shape: Envelope) {
        (self.store, self.runID, self.errors, self.shape) = (store, runID, errors, Envelope(shapedLike: shape))
        // One integer comparison per row instead of a string per row.
        index = "CASE param " + names.enumerated().map { "WHEN \(ReportTemplate.literal($1)) THEN \($0)" }
            .joined(separator: " ") + " END"
    }

    /// Adds the series of parameter k to group `groups[k]` of `bands`, from x = 1 on.
    ///
    /// With `useBlocks`, a block that lies in one pixel column is merged whole from its summary;
    /// for a run of a store read on demand, one across the edge of two columns from the summaries
    /// of its two sides (`BlockSides`); the rows of any other block (across two columns on a file,
    /// holding x < 1, across the domain's end, missing, or not yet written while the run trains)
    /// are read one by one.
    func read(into bands: inout GroupBands, groups: [Int], useBlocks: Bool) throws {
        let firstStep = 1 - shift
        let rows = try RowReader(self)
        guard useBlocks else {
            try store.fetch(.gradients, of: runID, .ranges([firstStep...Int64.max], within: rows.limit.low, rows.limit.high))
            return try rows.read(from: firstStep, through: .max, into: &bands, groups: groups)
        }
        var sides: BlockSides?
        if let snapshot = store.snapshot, snapshot.readsOnDemand(runID) {
            let plan = try plan(from: firstStep)
            try store.fetch(.gradients, of: runID, .ranges(plan.rows, within: rows.limit.low, rows.limit.high))
            sides = try BlockSides(plan.splits, of: runID, errors: errors, index: index, from: snapshot)
        }
        let prefix = errors ? "rel_error" : "value"
        let blocks = try db.prepare(
            """
            SELECT block, \(index) AS k, first_step, last_step, \(prefix)_low AS low, \(prefix)_high AS high,
                   \(prefix)_nan AS nan, \(prefix)_plus_inf AS plus_inf, \(prefix)_minus_inf AS minus_inf
            FROM gradient_blocks WHERE run_id = ? ORDER BY block, param
            """)
        try blocks.bind(runID, at: 1)
        let c = try BlockColumns(blocks)
        var read = firstStep - 1  // every step up to here is in the envelopes
        var merging = false
        while try blocks.step() {
            let (block, first, last) = try (blocks.decode(Int64.self, at: c.block), blocks.decode(Int64.self, at: c.first),
                                            blocks.decode(Int64.self, at: c.last))
            // A block number no step can have (a file edited by hand) is left out, not computed with.
            guard (0..<Int64.max / GradientBlocks.size - 1).contains(block) else { continue }
            let start = block * GradientBlocks.size + 1
            if start > read {  // the first row of a block: decide for all of its parameters
                try rows.read(from: read + 1, through: start - 1, into: &bands, groups: groups)
                read = start + GradientBlocks.size - 1
                let handling = handling(start: start, first: first, last: last, firstStep: firstStep, splitting: sides != nil)
                merging = handling == .merge
                switch handling {
                case .merge: break
                case .split(let split):
                    for side in sides?.sides(of: split) ?? [] where groups.indices.contains(side.k) {
                        bands.merge(side.left, at: Double(split.start + shift), group: groups[side.k])
                        bands.merge(side.right, at: Double(split.split + shift), group: groups[side.k])
                    }
                case .rows: try rows.read(from: max(start, firstStep), through: read, into: &bands, groups: groups)
                }
            }
            guard merging, let k = blocks.value(at: c.k).int64Value else { continue }
            let part = Envelope.Column(
                low: try blocks.decode(Double?.self, at: c.low), high: try blocks.decode(Double?.self, at: c.high),
                nan: try blocks.decode(Int.self, at: c.nan), plusInfinity: try blocks.decode(Int.self, at: c.plusInfinity),
                minusInfinity: try blocks.decode(Int.self, at: c.minusInfinity))
            bands.merge(part, at: Double(first) + Double(shift), group: groups[Int(k)])
        }
        try rows.read(from: read + 1, through: .max, into: &bands, groups: groups)
        bands.flush()
        try fillMedians(&bands, groups: groups)
    }

    /// How `read` takes a block of steps.
    private enum Handling: Equatable {
        /// Each parameter's summary merged: the rows lie in one column.
        case merge
        /// The summaries of its two sides merged: the block lies across the edge of two columns.
        case split(BlockSides.Split)
        /// Its rows read one by one.
        case rows
    }

    /// How `read` takes the block of steps `start` through start + 255, decided by its first row
    /// (`first` and `last`, its first and last steps); with `splitting` (a run read on demand), a
    /// block that lies whole inside the domain, across the edge of two columns, is split.
    private func handling(start: Int64, first: Int64, last: Int64, firstStep: Int64, splitting: Bool) -> Handling {
        let column = shape.place(of: Double(first) + Double(shift))
        if first >= firstStep, column != nil, column == shape.place(of: Double(last) + Double(shift)) { return .merge }
        guard splitting else { return .rows }
        let end = start + GradientBlocks.size - 1
        let (low, high) = (Double(start + shift), Double(end + shift))
        guard start >= firstStep, shape.xDomain.contains(low), shape.xDomain.contains(high),
              let left = shape.place(of: low), shape.place(of: high) == left + 1 else { return .rows }
        // The first step in the right-hand column, by bisection (columns grow with x).
        var (below, above) = (start + 1, end)
        while below < above {
            let middle = below + (above - below) / 2
            if shape.column(of: Double(middle + shift)) > left { above = middle } else { below = middle + 1 }
        }
        return .split(BlockSides.Split(start: start, split: below, end: end))
    }

    /// What `read` with blocks takes from elsewhere than the summaries, for a run loaded on demand:
    /// the steps whose rows it reads (those no block covers, and of the blocks it reads row by
    /// row), and the blocks whose sides it merges.
    private func plan(from firstStep: Int64) throws -> (rows: [ClosedRange<Int64>], splits: [BlockSides.Split]) {
        let blocks = try db.prepare("SELECT block, first_step, last_step FROM gradient_blocks WHERE run_id = ? ORDER BY block, param")
        try blocks.bind(runID, at: 1)
        var rows: [ClosedRange<Int64>] = [], splits: [BlockSides.Split] = []
        var read = firstStep - 1
        while try blocks.step() {
            let (block, first, last) = try (blocks.decode(Int64.self, at: 0), blocks.decode(Int64.self, at: 1), blocks.decode(Int64.self, at: 2))
            guard (0..<Int64.max / GradientBlocks.size - 1).contains(block) else { continue }
            let start = block * GradientBlocks.size + 1
            guard start > read else { continue }
            if read + 1 <= start - 1 { rows.append((read + 1)...(start - 1)) }
            read = start + GradientBlocks.size - 1
            switch handling(start: start, first: first, last: last, firstStep: firstStep, splitting: true) {
            case .merge: break
            case .split(let split): splits.append(split)
            case .rows: rows.append(max(start, firstStep)...read)
            }
        }
        if read < .max { rows.append((read + 1)...Int64.max) }
        return (rows, splits)
    }

    /// The median of each column, read from the rows of the last step (the last checked one, for
    /// errors) that falls into it: where summaries were merged, that step's rows were not read.
    private func fillMedians(_ bands: inout GroupBands, groups: [Int]) throws {
        let columns = bands.columnsWithRange
        guard !columns.isEmpty else { return }
        if store.fetchesRows(of: runID) {
            try store.fetch(.gradients, of: runID, .lastIn(columns.compactMap(stepRange(ofColumn:)),
                                                           condition: errors ? "t.passed IS NOT NULL" : nil))
        }
        let last = try db.prepare("SELECT max(step) AS step FROM gradients WHERE run_id = ?1 AND step BETWEEN ?2 AND ?3"
                                  + (errors ? " AND passed IS NOT NULL" : ""))
        let rows = try db.prepare("SELECT \(index) AS k, \(errors ? "rel_error" : "value") AS y FROM gradients "
                                  + "WHERE run_id = ?1 AND step = ?2")
        try last.bind(runID, at: 1)
        try rows.bind(runID, at: 1)
        let (k, y) = try (rows.column(named: "k"), rows.column(named: "y"))
        for target in columns {
            guard let steps = stepRange(ofColumn: target) else { continue }
            try last.bind(steps.lowerBound, at: 2)
            try last.bind(steps.upperBound, at: 3)
            let step = try last.step() ? last.value(at: 0).int64Value : nil
            last.reset()
            guard let step else { continue }
            var values = Array(repeating: [Double](), count: (groups.max() ?? -1) + 1)
            try rows.bind(step, at: 2)
            while try rows.step() {
                guard let k = rows.value(at: k).int64Value, groups.indices.contains(Int(k)) else { continue }
                values[groups[Int(k)]].append(try rows.measured(at: y))
            }
            rows.reset()
            for group in values.indices { bands.setMedian(of: values[group], at: Double(step + shift), group: group) }
        }
    }

    /// The steps whose x falls into pixel column `target`, found by bisection (x = step + shift),
    /// and inside the x domain when the envelopes leave out what lies outside it.
    private func stepRange(ofColumn target: Int) -> ClosedRange<Int64>? {
        /// The first step from 1 whose column is at least `wanted` (columns grow with x).
        func firstStep(reaching wanted: Int) -> Int64 {
            var (low, high) = (Int64(1) - shift, Int64.max / 2)
            while low < high {
                let middle = low + (high - low) / 2
                if shape.column(of: Double(middle + shift)) >= wanted { high = middle } else { low = middle + 1 }
            }
            return low
        }
        var first = firstStep(reaching: target), last = firstStep(reaching: target + 1) - 1
        if shape.clipped {
            // Both ends are whole steps or epochs: the domain's ends are, and a clipped domain holds them.
            first = max(first, Int64(exactly: shape.xDomain.lowerBound.rounded(.up)).map { $0 - shift } ?? first)
            last = min(last, Int64(exactly: shape.xDomain.upperBound.rounded(.down)).map { $0 - shift } ?? last)
        }
        return first <= last ? first...last : nil
    }

    /// The columns of a block row, resolved by name once for all rows.
    private struct BlockColumns {
        let block, k, first, last, low, high, nan, plusInfinity, minusInfinity: Int32

        init(_ s: Statement) throws {
            (block, k, first, last) = try (s.column(named: "block"), s.column(named: "k"), s.column(named: "first_step"),
                                           s.column(named: "last_step"))
            (low, high, nan) = try (s.column(named: "low"), s.column(named: "high"), s.column(named: "nan"))
            (plusInfinity, minusInfinity) = try (s.column(named: "plus_inf"), s.column(named: "minus_inf"))
        }
    }

    /// Reads the gradient rows of a range of steps.
    private struct RowReader {
        let statement: Statement
        let shift: Int64
        let step, k, y: Int32

        /// The steps any read is held to (`StepSeries.steps`).
        let limit: (low: Int64, high: Int64)

        init(_ series: StepSeries) throws {
            limit = series.steps
            statement = try series.db.prepare(
                "SELECT step, \(series.index) AS k, \(series.errors ? "rel_error" : "value") AS y FROM gradients "
                    + "WHERE run_id = ?1 AND step BETWEEN ?2 AND ?3" + (series.errors ? " AND passed IS NOT NULL" : "")
                    + " ORDER BY step")
            try statement.bind(series.runID, at: 1)
            shift = series.shift
            (step, k, y) = try (statement.column(named: "step"), statement.column(named: "k"), statement.column(named: "y"))
        }

        /// Adds the rows of steps `from` through `through` (none when `from` is past `through`).
        func read(from: Int64, through: Int64, into bands: inout GroupBands, groups: [Int]) throws {
            let (from, through) = (max(from, limit.low), min(through, limit.high))
            guard from <= through else { return }
            try statement.bind(from, at: 2)
            try statement.bind(through, at: 3)
            defer { statement.reset() }
            while try statement.step() {
                guard let k = statement.value(at: k).int64Value else { continue }
                bands.add(x: Double(try statement.decode(Int64.self, at: step)) + Double(shift),
                          y: try statement.measured(at: y), group: groups[Int(k)])
            }
        }
    }
}
