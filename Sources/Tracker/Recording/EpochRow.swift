import SQLiteDB
import Training

/// The `epochs` table's columns and the `EpochSummary` figure each stores: the one declaration
/// that the writer (`EpochWriter`), verify's comparison and `compare`'s column list all read.
enum EpochRow {
    /// One column: its name and its figure, a count (an INTEGER, kept exact: an epoch or a step
    /// number may pass 2^53, where a Double rounds it and converting one back past 2^63 traps) or a
    /// measured number (a REAL, NaN as NULL).
    struct Column: Sendable {
        let name: String
        let figure: Figure

        /// What a column holds of an epoch's summary.
        enum Figure: Sendable {
            case count(@Sendable (EpochSummary) -> Int)
            case measure(@Sendable (EpochSummary) -> Double)
        }

        /// The figure as the column stores it.
        func stored(_ summary: EpochSummary) -> SQLiteValue {
            switch figure {
            case .count(let count): .integer(Int64(count(summary)))
            case .measure(let measure): Measured.value(measure(summary))
            }
        }

        /// A measured figure, nil for a count.
        var measure: (@Sendable (EpochSummary) -> Double)? {
            if case .measure(let measure) = figure { return measure }
            return nil
        }
    }

    /// Every column after `run_id`, in the table's order.
    static let columns: [Column] = [
        count("epoch") { $0.epoch }, count("steps") { $0.steps }, count("last_step") { $0.lastStep },
        measured("mean_loss") { $0.meanLoss }, measured("accuracy") { $0.accuracy },
        measured("worst_abs_error") { $0.worstAbsError }, measured("worst_rel_error") { $0.worstRelError },
        count("failed_checks") { $0.failedChecks },
    ]

    /// The columns that describe an epoch's figures rather than name it (what `compare` can show).
    static var figures: [String] { columns.map(\.name).filter { $0 != "epoch" && $0 != "last_step" } }

    private static func count(_ name: String, _ figure: @escaping @Sendable (EpochSummary) -> Int) -> Column {
        Column(name: name, figure: .count(figure))
    }

    private static func measured(_ name: String, _ figure: @escaping @Sendable (EpochSummary) -> Double) -> Column {
        Column(name: name, figure: .measure(figure))
    }
}
