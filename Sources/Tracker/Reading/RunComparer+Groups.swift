import SQLiteDB

extension RunComparer {
    /// The columns of `compare --group-by`.
    public static let groupColumns = ["field", "epoch", "group", "n", "not_finite", "mean", "sd", "min", "max"]

    /// `compare --group-by`: for each of `columns` (then each metric the runs logged), each epoch
    /// and each group of `groups`, the figures of the group's runs there (`GroupPoint`); a group
    /// none of whose runs has the epoch has no row. Handed over row by row, in constant memory.
    public func compare(
        _ groups: [RunGroup], columns: [String] = ["mean_loss"],
        begin: ([String]) throws -> Void, row: ([SQLiteValue]) throws -> Void
    ) throws {
        try begin(Self.groupColumns)
        var metrics: [String] = []
        for id in groups.flatMap(\.runIDs) {
            for name in try RunCatalog(store: store).metricNames(of: id) where !metrics.contains(name) { metrics.append(name) }
        }
        let fields = columns.map { ($0, Self.quantity(ofColumn: $0)) } + metrics.map { ($0, ChartReader.Quantity.metric($0)) }
        for (field, quantity) in fields {
            var statistics = try GroupStatistics(quantity, of: groups, steps: false, in: store)
            while let (epoch, points) = try statistics.next() {
                for (group, point) in zip(groups, points) {
                    guard let point else { continue }
                    try row([.text(field), .integer(epoch), .text(group.label), .integer(Int64(point.n)),
                             .integer(Int64(point.notFinite))] + [point.mean, point.sd, point.min, point.max].map { $0.map(Measured.value) ?? .null })
                }
            }
        }
    }

    /// The chart quantity that reads an epoch column: the loss and accuracy as their charts read
    /// them (a run logged from outside has no accuracy rather than a NaN one), any other as stored.
    static func quantity(ofColumn column: String) -> ChartReader.Quantity {
        switch column {
        case "mean_loss": .loss
        case "accuracy": .accuracy
        default: .figure(column)
        }
    }
}
