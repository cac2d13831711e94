import Charts
import SQLiteDB
import Training

/// Keeps a training run's `gradient_blocks` as it logs: each parameter's figures over the current
/// block of steps, counted in memory step by step, and written as one row per parameter once a
/// step of a later block arrives or the run ends.
///
/// Counting here costs a few comparisons a value; summarising the block's rows in SQL would cost
/// a quarter of the logging time. `GradientBlocks.summary` defines the same figures in SQL (for the
/// rows of runs logged otherwise), and `verify` checks that the two agree.
struct BlockWriter {
    private let insert: Statement
    private let names: [String]
    private var block: Int64?
    private var firstStep: Int64 = 0, lastStep: Int64 = 0
    private var values: [Envelope.Column]
    private var errors: [Envelope.Column]
    private var checks = 0

    /// Prepares the insert on `db`'s main schema for run `runID` and parameters `names`.
    init(_ db: Database, runID: Int64, names: [String]) throws {
        insert = try db.prepare("INSERT OR REPLACE INTO gradient_blocks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)")
        try insert.bind(runID, at: 1)
        self.names = names
        values = Array(repeating: .init(), count: names.count)
        errors = values
    }

    /// Counts in one logged step, first writing the previous block if `record` starts a new one.
    mutating func add(_ record: StepRecord) throws {
        let step = Int64(record.step)
        let block = GradientBlocks.block(of: step)
        if block != self.block {
            try flush()
            (self.block, firstStep) = (block, step)
        }
        lastStep = step
        for k in names.indices {
            values[k].add(record.values[k])
        }
        guard record.checked else { return }
        checks += 1
        for k in names.indices {
            // As the stored generated column computes it; SQL's NULL for NaN counts as NaN.
            errors[k].add(GradientCheck.relativeError(analytic: record.analytic[k], numeric: record.numeric[k]))
        }
    }

    /// Writes the current block's rows, if it has any, and starts empty.
    mutating func flush() throws {
        guard let block else { return }
        try insert.bind(block, at: 2)
        try insert.bind(firstStep, at: 4)
        try insert.bind(lastStep, at: 5)
        try insert.bind(Int64(checks), at: 11)
        for (k, name) in names.enumerated() {
            try insert.bind(name, at: 3)
            try bind(values[k], from: 6)
            try bind(errors[k], from: 12)
            try insert.run()
        }
        self.block = nil
        checks = 0
        values = Array(repeating: .init(), count: names.count)
        errors = values
    }

    private func bind(_ column: Envelope.Column, from index: Int32) throws {
        try insert.bind(column.low.map { .real($0) } ?? .null, at: index)
        try insert.bind(column.high.map { .real($0) } ?? .null, at: index + 1)
        try insert.bind(Int64(column.nan), at: index + 2)
        try insert.bind(Int64(column.plusInfinity), at: index + 3)
        try insert.bind(Int64(column.minusInfinity), at: index + 4)
    }
}
