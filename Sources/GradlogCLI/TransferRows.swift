import SQLiteDB
import Tracker

/// The rows push, pull and merge print, one per run in each command's columns: the command line's
/// rendering of the tracker's typed outcomes.
enum TransferRows {
    case push, pull, merge

    /// The column names, in order.
    var columns: [String] {
        switch self {
        case .push: ["action", "uuid", "id", "store_id", "name", "status", "steps", "rows"]
        case .pull: ["action", "uuid", "store_id", "id", "name", "status", "steps", "rows"]
        case .merge: ["action", "uuid", "from_id", "id", "name", "status", "steps"]
        }
    }

    /// The outcomes as a table.
    func table(_ outcomes: [TransferOutcome]) -> Table {
        Table(columns: columns, rows: outcomes.map { outcome in
            let target: SQLiteValue = outcome.targetID.map { .integer($0) } ?? .null
            let row: [SQLiteValue] = [.text(outcome.action.rawValue), .text(outcome.uuid), .integer(outcome.sourceID), target,
                                      .text(outcome.name), .text(outcome.status), .integer(outcome.steps)]
            return self == .merge ? row : row + [.integer(Int64(outcome.rows ?? 0))]
        })
    }
}
