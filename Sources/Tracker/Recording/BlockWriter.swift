import Charts
import SQLiteDB
import Training

/// Keeps a training run's `gradient_blocks` as it logs: each parameter's figures over the current
/// block of steps, counted in memory step by step, and written as one row per parameter that has
/// rows in the block, once a step of a later block arrives or the run ends.
///
/// Counting here costs a few comparisons a value; summarising the block's rows in SQL would cost
/// a quarter of the logging time. `GradientBlocks.summary` defines the same figures in SQL (for the
/// rows of runs logged otherwise), and `verify` checks that the two agree.
struct BlockWriter {
    /// The steps of one parameter's rows in the block: the first and last of them, and how many were checked.
    struct Span {
        var firstStep: Int64 = 0, lastStep: Int64 = 0, checks = 0

        /// Whether any row was counted.
        var isEmpty: Bool { firstStep == 0 }

        mutating func add(_ step: Int64, checked: Bool) {
            if firstStep == 0 { firstStep = step }
            lastStep = step
            if checked { checks += 1 }
        }
    }

    private let insert: Statement
    private var names: [String]
    private var block: Int64?
    /// The span of every parameter, while each step of the block gave all of them (as a training
    /// loop does): one count per step instead of one per parameter.
    private var span = Span()
    /// Each parameter's span, once a step of the block gave only some of them (or a parameter
    /// was added in the middle of it).
    private var spans: [Span]?
    private var values: [Envelope.Column]
    private var errors: [Envelope.Column]

    /// Prepares the insert on `db`'s main schema for run `runID` and parameters `names`.
    init(_ db: Database, runID: Int64, names: [String]) throws {
        insert = try db.prepare("INSERT OR REPLACE INTO gradient_blocks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)")
        try insert.bind(runID, at: 1)
        self.names = names
        values = Array(repeating: .init(), count: names.count)
        errors = values
    }

    /// Adds parameters after the last ones, without rows in the current block yet.
    mutating func addParameters(_ added: [String]) {
        guard !added.isEmpty else { return }
        if spans == nil && !span.isEmpty { spans = Array(repeating: span, count: names.count) }
        spans?.append(contentsOf: Array(repeating: Span(), count: added.count))
        names.append(contentsOf: added)
        values.append(contentsOf: Array(repeating: .init(), count: added.count))
        errors.append(contentsOf: Array(repeating: .init(), count: added.count))
    }

    /// Counts in one logged step's rows of the parameters at `positions` (nil: every parameter),
    /// first writing the previous block if `record` starts a new one.
    mutating func add(_ record: StepRecord, positions: [Int]? = nil) throws {
        let step = Int64(record.step)
        let block = GradientBlocks.block(of: step)
        if block != self.block {
            try flush()
            self.block = block
        }
        if let positions {
            if spans == nil { spans = Array(repeating: span, count: names.count) }
            for k in positions { add(record, k, step) }
        } else if spans != nil {
            for k in names.indices { add(record, k, step) }
        } else {
            span.add(step, checked: record.checked)
            for k in names.indices { values[k].add(record.values[k]) }
            guard record.checked else { return }
            for k in names.indices { errors[k].add(Self.relativeError(record, k)) }
        }
    }

    /// Counts in parameter `k`'s row of the step.
    private mutating func add(_ record: StepRecord, _ k: Int, _ step: Int64) {
        spans![k].add(step, checked: record.checked)
        values[k].add(record.values[k])
        if record.checked { errors[k].add(Self.relativeError(record, k)) }
    }

    /// As the stored generated column computes it; SQL's NULL for NaN counts as NaN.
    private static func relativeError(_ record: StepRecord, _ k: Int) -> Double {
        GradientCheck.relativeError(analytic: record.analytic[k], numeric: record.numeric[k])
    }

    /// Writes the current block's rows, one per parameter with rows in it, and starts empty.
    mutating func flush() throws {
        guard let block else { return }
        try insert.bind(block, at: 2)
        for (k, name) in names.enumerated() {
            let span = spans?[k] ?? span
            if span.isEmpty { continue }
            try insert.bind(name, at: 3)
            try insert.bind(span.firstStep, at: 4)
            try insert.bind(span.lastStep, at: 5)
            try insert.bind(Int64(span.checks), at: 11)
            try bind(values[k], from: 6)
            try bind(errors[k], from: 12)
            try insert.run()
        }
        self.block = nil
        span = Span()
        spans = nil
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
