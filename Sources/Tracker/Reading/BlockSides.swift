import Charts
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
        let rows = try snapshot.rows(
            """
            SELECT wanted.low, sides.* FROM \(StoreSnapshot.table(["low": splits.map(\.start), "split": splits.map(\.split),
                                                                  "high": splits.map(\.end)]))
            CROSS JOIN LATERAL (SELECT \(index) AS k, step >= wanted.split AS right_side, \
            \(GradientBlocks.ranges(of: column, when: when, infinity: "'Infinity'::float8")) FROM gradients
                WHERE run_id = \(runID) AND step BETWEEN wanted.low AND wanted.high GROUP BY param, 2 OFFSET 0) AS sides
            """)
        var sides: [Int64: [Int: Sides]] = [:]
        for row in rows {
            guard row.count == 8, let start = row[0].flatMap({ Int64($0) }), let k = row[1].flatMap({ Int($0) }) else { continue }
            let part = Envelope.Column(low: row[3].flatMap { Double($0) }, high: row[4].flatMap { Double($0) },
                                       nan: row[5].flatMap { Int($0) } ?? 0, plusInfinity: row[6].flatMap { Int($0) } ?? 0,
                                       minusInfinity: row[7].flatMap { Int($0) } ?? 0)
            // Each row is one side (PostgreSQL's text for true is "t").
            if row[2] == "t" { sides[start, default: [:]][k, default: Sides(k: k)].right = part }
            else { sides[start, default: [:]][k, default: Sides(k: k)].left = part }
        }
        fetched = sides.mapValues { $0.values.sorted { $0.k < $1.k } }
    }

    /// The sides of each parameter that has rows in `split`, one of those summed up.
    func sides(of split: Split) -> [Sides] {
        fetched[split.start] ?? []
    }
}
