import SQLiteDB
import Training

/// The `epochs` table's columns and the `EpochSummary` figure each stores: the one declaration
/// that the writer (`EpochWriter`), verify's comparison and `compare`'s column list all read.
enum EpochRow {
    /// One column: its name, whether it counts (an INTEGER) or measures (a REAL, NaN as NULL), and
    /// its figure.
    struct Column: Sendable {
        let name: String
        let figure: @Sendable (EpochSummary) -> Double
        let isCount: Bool

        /// The figure as the column stores it.
        func stored(_ summary: EpochSummary) -> SQLiteValue {
            isCount ? .integer(Int64(figure(summary))) : Measured.value(figure(summary))
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
        Column(name: name, figure: { Double(figure($0)) }, isCount: true)
    }

    private static func measured(_ name: String, _ figure: @escaping @Sendable (EpochSummary) -> Double) -> Column {
        Column(name: name, figure: figure, isCount: false)
    }
}
