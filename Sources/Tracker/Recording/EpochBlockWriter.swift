import Charts
import SQLiteDB
import Training

/// Keeps a training run's `epoch_blocks` as it logs: the figures of the current block of epochs,
/// counted in memory epoch by epoch, and written as one row once an epoch of a later block ends
/// or the run ends.
///
/// Counting here costs a few comparisons an epoch, where summarising the block's rows in SQL would
/// cost a query per block; `EpochBlocks.blockSummary` defines the same figures in SQL (for the
/// migration, killed and merged runs), and `verify` checks that the two agree.
struct EpochBlockWriter {
    private let insert: Statement
    private var block: Int64?
    private var firstEpoch: Int64 = 0, lastEpoch: Int64 = 0, epochs: Int64 = 0
    private var figures = Array(repeating: Envelope.Column(), count: EpochBlocks.figures.count)

    /// How each of `EpochBlocks.figures` is read from an epoch's summary, as `EpochRow` stores it.
    private static let figureOf: [@Sendable (EpochSummary) -> Double] = EpochBlocks.figures.map { name in
        // The names are constants of this module, each a column of `EpochRow`: a test checks it.
        EpochRow.columns.first { $0.name == name }?.measure ?? { _ in .nan }
    }

    /// Prepares the insert on `db`'s main schema for run `runID`.
    init(_ db: Database, runID: Int64) throws {
        let places = (2...(5 + 5 * EpochBlocks.figures.count)).map { "?\($0)" }.joined(separator: ", ")
        insert = try db.prepare("INSERT OR REPLACE INTO epoch_blocks VALUES (?1, \(places))")
        try insert.bind(runID, at: 1)
    }

    /// Counts in one epoch's row as `EpochWriter` stored it (NaN as NULL, counted as NaN), first
    /// writing the previous block if the epoch starts a new one.
    mutating func add(_ summary: EpochSummary) throws {
        let epoch = Int64(summary.epoch)
        // Epoch numbers start at 1 (the trainer's and `ExternalRun`'s rule); no block holds another.
        guard epoch >= 1 else { return }
        let block = EpochBlocks.block(of: epoch)
        if block != self.block {
            try flush()
            self.block = block
            firstEpoch = epoch
        }
        lastEpoch = epoch
        epochs += 1
        for k in figures.indices { figures[k].add(Self.figureOf[k](summary)) }
    }

    /// Writes the current block's row, if it has epochs, and starts empty.
    mutating func flush() throws {
        guard let block, epochs > 0 else { return }
        try insert.bind(block, at: 2)
        try insert.bind(firstEpoch, at: 3)
        try insert.bind(lastEpoch, at: 4)
        try insert.bind(epochs, at: 5)
        for (k, column) in figures.enumerated() {
            let index = Int32(6 + 5 * k)
            try insert.bind(column.low.map { .real($0) } ?? .null, at: index)
            try insert.bind(column.high.map { .real($0) } ?? .null, at: index + 1)
            try insert.bind(Int64(column.nan), at: index + 2)
            try insert.bind(Int64(column.plusInfinity), at: index + 3)
            try insert.bind(Int64(column.minusInfinity), at: index + 4)
        }
        try insert.run()
        self.block = nil
        epochs = 0
        figures = Array(repeating: Envelope.Column(), count: EpochBlocks.figures.count)
    }
}
