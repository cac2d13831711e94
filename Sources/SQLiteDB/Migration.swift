/// One numbered schema change: SQL that is never edited once released, and optionally a step in
/// code that fills new tables from the old rows (in the same transaction, after the SQL).
public struct Migration<Connection>: Sendable, Equatable {
    /// The migration's number; migrations apply in increasing order.
    public let version: Int
    /// A short name, e.g. "init".
    public let name: String
    /// The SQL script, run as one transaction together with its bookkeeping row.
    public let sql: String
    /// Runs after `sql`, inside the same transaction: for values only code can compute.
    public let backfill: (@Sendable (Connection) throws -> Void)?

    /// Creates a migration from its parts.
    public init(version: Int, name: String, sql: String, backfill: (@Sendable (Connection) throws -> Void)? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        self.backfill = backfill
    }

    /// A migration from its file, `NNNN_name.sql` (in any folder): numbered NNNN; nil when the
    /// name does not start with a number.
    public init?(file: String, sql: String) {
        let stem = file.split(separator: "/").last?.split(separator: ".").first ?? ""
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard let version = parts.first.flatMap({ Int($0) }) else { return nil }
        self.init(version: version, name: parts.count > 1 ? String(parts[1]) : "", sql: sql)
    }

    /// Two migrations are the same when their number, name and SQL are (code cannot be compared).
    public static func == (lhs: Migration, rhs: Migration) -> Bool {
        lhs.version == rhs.version && lhs.name == rhs.name && lhs.sql == rhs.sql
            && (lhs.backfill == nil) == (rhs.backfill == nil)
    }
}
