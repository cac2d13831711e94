/// The figures of groups of runs (seeds of one setting) epoch by epoch: how many runs have a
/// finite value there, their mean, sample standard deviation, lowest and highest value. The one
/// place `plot --group-by` (a mean line in a ±1 sd band) and `compare --group-by` (a table) get
/// them from, so both show the same numbers.
///
/// Runs are aligned by epoch (or step): the figures at epoch e are over the group's runs that
/// have a value at e, so a group of runs of different lengths goes on as long as its longest run,
/// over fewer runs (`n` says how many). NaN and infinite values are counted (`notFinite`), not
/// averaged.
public struct GroupPoint: Sendable, Equatable {
    /// How many of the group's runs have a finite value here.
    public let n: Int
    /// How many have a NaN or an infinite value here.
    public let notFinite: Int
    /// The mean of the finite values; nil when there is none.
    public let mean: Double?
    /// Their sample standard deviation (divided by n − 1); nil for fewer than two values.
    public let sd: Double?
    /// The lowest and highest finite value; nil when there is none.
    public let min: Double?, max: Double?

    /// The figures of `values`, one per run.
    public init(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        n = finite.count
        notFinite = values.count - finite.count
        guard !finite.isEmpty else {
            (mean, sd, min, max) = (nil, nil, nil, nil)
            return
        }
        // Each value divided before adding, and deviations halved: no finite input overflows.
        let mean = finite.reduce(0) { $0 + $1 / Double(finite.count) }
        self.mean = mean
        min = finite.min()
        max = finite.max()
        let halves = finite.map { $0 / 2 - mean / 2 }
        let scale = halves.map(abs).max() ?? 0
        if finite.count < 2 {
            sd = nil
        } else if scale == 0 {
            sd = 0
        } else {
            sd = 2 * scale * (halves.reduce(0) { $0 + ($1 / scale) * ($1 / scale) } / Double(finite.count - 1)).squareRoot()
        }
    }
}

/// Reads the figures of groups of runs, one x at a time (see `GroupPoint`).
public struct GroupStatistics {
    /// The groups, in the order their points are given.
    public let groups: [RunGroup]
    private let cursors: [ChartReader.PointCursor]
    /// Each cursor's group.
    private let owners: [Int]
    private var heads: [(x: Int64, y: Double)?]

    /// Prepares to read `quantity` of every run of `groups` (per step with `steps`).
    public init(_ quantity: ChartReader.Quantity, of groups: [RunGroup], steps: Bool, in store: Store) throws(TrackerError) {
        let reader = ChartReader(store: store)
        var cursors: [ChartReader.PointCursor] = [], owners: [Int] = []
        for (group, members) in groups.enumerated() {
            for id in members.runIDs {
                cursors.append(try reader.cursor(quantity, of: id, steps: steps))
                owners.append(group)
            }
        }
        self.groups = groups
        self.cursors = cursors
        self.owners = owners
        heads = try cursors.map { cursor throws(TrackerError) in try cursor.next() }
    }

    /// The next x that any run has, with each group's figures there (nil for a group none of
    /// whose runs has it); nil after the last.
    public mutating func next() throws(TrackerError) -> (x: Int64, points: [GroupPoint?])? {
        guard let x = heads.compactMap({ $0?.x }).min() else { return nil }
        var values = Array(repeating: [Double](), count: groups.count)
        for index in heads.indices {
            // A run that logged x twice (a file edited by hand) gives every value of it.
            while let head = heads[index], head.x == x {
                values[owners[index]].append(head.y)
                heads[index] = try cursors[index].next()
            }
        }
        return (x, values.map { $0.isEmpty ? nil : GroupPoint($0) })
    }
}
