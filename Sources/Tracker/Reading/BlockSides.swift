import Charts
import PostgresDB
import SQLiteDB

/// The two sides of blocks of steps that lie across the edge between two pixel columns: each
/// parameter's lowest and highest value (or relative error), with its NaN and infinities counted,
/// on either side of the edge. For a run of a store read on demand, a chart merges the two where
/// it would add the block's rows one by one (the same columns), summed up by the store's server for
/// all of a chart's blocks in one query, so that none of those rows is copied. (A file's rows are
/// at hand: reading them is quicker than having SQLite sum up each block's sides.)
struct BlockSides {
    /// Steps `start` through `end`, whose left side ends before step `split`.
    struct Split: Equatable {
        let start, split, end: Int64
    }

    /// One parameter's sides: k is its index among the names the series reads.
    struct Sides {
        let k: Int
        var left = Envelope.Column(), right = Envelope.Column()
    }

    private var fetched: [Int64: [Sides]] = [:]

    /// The sides of `splits` of run `runID`'s values (errors: its relative errors at checked
    /// steps), with `index` the SQL that numbers a row's parameter, summed up by the store's server.
    init(_ splits: [Split], of runID: Int64, errors: Bool, index: String, from snapshot: StoreSnapshot) throws {
        guard !splits.isEmpty else { return }
        let (column, when) = errors ? ("rel_error", "passed IS NOT NULL") : ("value", "true")
        var sides: [Int64: [Int: Sides]] = [:]
        try snapshot.rows(
            """
            SELECT wanted.low AS start, sides.* FROM \(StoreSnapshot.table(["low": splits.map(\.start), "split": splits.map(\.split),
                                                                  "high": splits.map(\.end)]))
            CROSS JOIN LATERAL (SELECT \(index) AS k, step >= wanted.split AS right_side, \
            \(GradientBlocks.ranges(of: column, when: when, infinity: "'Infinity'::float8")) FROM gradients
                WHERE run_id = \(runID) AND step BETWEEN wanted.low AND wanted.high GROUP BY param, 2 OFFSET 0)
                AS sides (k, right_side, low, high, nan, plus_inf, minus_inf)
            """) { row throws(PostgresError) in
            guard let start = try row.integer("start"), let k = try row.integer("k").map({ Int($0) }) else { return }
            let part = try Envelope.Column(low: row.double("low"), high: row.double("high"), nan: Int(row.integer("nan") ?? 0),
                                           plusInfinity: Int(row.integer("plus_inf") ?? 0),
                                           minusInfinity: Int(row.integer("minus_inf") ?? 0))
            // Each row is one side of its split.
            if try row.bool("right_side") == true { sides[start, default: [:]][k, default: Sides(k: k)].right = part }
            else { sides[start, default: [:]][k, default: Sides(k: k)].left = part }
        }
        fetched = sides.mapValues { $0.values.sorted { $0.k < $1.k } }
    }

    /// The sides of each parameter that has rows in `split`, one of those summed up.
    func sides(of split: Split) -> [Sides] {
        fetched[split.start] ?? []
    }
}
