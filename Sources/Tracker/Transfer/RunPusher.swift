import PostgresDB
import SQLiteDB

/// Copies runs of a local gradlog database to the PostgreSQL team store: `gradlog push`.
///
/// Runs are matched by uuid. Each run goes in one PostgreSQL transaction that first locks the run's
/// row there, so pushes from many machines (or many pushes of one file) take turns per run: none
/// loses or duplicates a row, and a push that is killed leaves the run as it was. Only what the store
/// lacks is sent: a run still training is pushed up to its last committed step, and the next push
/// appends the steps, gradients, epochs and blocks after those; its row, tags and parameters are
/// rewritten. The local file is only read, within one read transaction per run.
public enum RunPusher {
    /// Pushes the runs with these local ids and returns one row per run: `pushed` (new in the store),
    /// `appended` (the store had an earlier part), `updated` (only its row or tags differed: a note,
    /// a name, a tag), `unchanged`, or `skipped` (the store has more steps of it than this file:
    /// pushed from a longer copy).
    public static func push(_ ids: [Int64], from store: Store, to team: TeamStore) throws(TrackerError) -> [TransferOutcome] {
        var outcomes: [TransferOutcome] = []
        for id in ids {
            let outcome = try store.attempt {
                try store.db.transaction { try team.attempt { try pushRun(id, from: store.db, to: team.connection) } }
            }
            outcomes.append(outcome)
        }
        return outcomes
    }

    private static func pushRun(_ id: Int64, from db: Database, to connection: PostgresConnection) throws -> TransferOutcome {
        let runColumns = try TransferTable.columns(of: "runs", in: db)
        let list = runColumns.map(\.name).joined(separator: ", ")
        let row = try db.prepare("SELECT \(list) FROM runs WHERE id = ?")
        try row.bind(id, at: 1)
        guard try row.step() else { throw TrackerError.runNotFound(String(id)) }
        // Checked before the store is touched: a name or note it cannot hold sends nothing.
        let local = try (0..<Int32(runColumns.count)).map { index in
            let value = row.value(at: index)
            if case .text(let text) = value {
                try storable(text, row, at: index, column: "runs.\(runColumns[Int(index)].name)", run: id)
            }
            return value
        }
        row.reset()
        let named = SQLiteRow(columns: runColumns.map(\.name), values: local)
        let (uuid, name, status): (String, String, String) = try (named["uuid"], named["name"], named["status"])
        let localSteps = try db.scalar("SELECT coalesce(max(step), 0) FROM steps WHERE run_id = ?", [.integer(id)])?.int64Value ?? 0
        let texts = local.map(parameterText)
        return try connection.transaction {
            try StoreGuard.lockAndRefuseForeignObjects(in: connection)
            let (storeID, isNew) = try lockOrInsert(uuid, texts: texts, list: list,
                                                   count: runColumns.count, in: connection)
            let storeSteps = isNew ? 0 : try maximum("step", of: "steps", run: storeID, in: connection) ?? 0
            func result(_ action: TransferAction, _ copied: Int) -> TransferOutcome {
                TransferOutcome(action: action, uuid: uuid, sourceID: id, targetID: storeID, name: name, status: status,
                                steps: localSteps, rows: copied)
            }
            if storeSteps > localSteps { return result(.skipped, 0) }
            let assignments = runColumns.enumerated().map { "\($1.name) = $\($0 + 1)" }.joined(separator: ", ")
            let placeholders = (1...runColumns.count).map { "$\($0)" }.joined(separator: ", ")
            var changed = try connection.query(
                "UPDATE runs SET \(assignments) WHERE id = $\(runColumns.count + 1) AND (\(list)) IS DISTINCT FROM (\(placeholders))",
                texts + [String(storeID)]).affectedRows > 0
            var copied = 0
            for table in TransferTable.all {
                let (sent, rewritten) = try refresh(table, run: id, storeID: storeID, isNew: isNew, from: db, to: connection)
                copied += sent
                changed = changed || rewritten
            }
            return result(isNew ? .pushed : copied > 0 ? .appended : changed ? .updated : .unchanged, copied)
        }
    }

    /// The store's id of the run, its row locked until the transaction ends; inserted when new.
    private static func lockOrInsert(_ uuid: String, texts: [String?], list: String, count: Int,
                                     in connection: PostgresConnection) throws -> (Int64, Bool) {
        let placeholders = (1...count).map { "$\($0)" }.joined(separator: ", ")
        // ON CONFLICT waits for a concurrent push of the same run to end, then finds its row.
        let inserted = try connection.query(
            "INSERT INTO runs (\(list)) VALUES (\(placeholders)) ON CONFLICT (uuid) DO NOTHING RETURNING id", texts)
        if let id = inserted.scalar.flatMap({ Int64($0) }) { return (id, true) }
        let locked = try connection.query("SELECT id FROM runs WHERE uuid = $1 FOR UPDATE", [uuid])
        guard let id = locked.scalar.flatMap({ Int64($0) }) else {
            throw PostgresError(sqlState: nil, message: "run \(uuid) vanished from the store while it was being pushed")
        }
        return (id, false)
    }

    /// Sends the rows of `table` the store lacks; returns how many were new (rows replaced in a run
    /// the store had do not count) and whether rows it had were rewritten because they differed.
    private static func refresh(_ table: TransferTable, run id: Int64, storeID: Int64, isNew: Bool,
                                from db: Database, to connection: PostgresConnection) throws -> (Int, Bool) {
        let store = String(storeID)
        switch table.refresh {
        case .replace, .replaceWhenChanged:
            if !isNew, case .replaceWhenChanged = table.refresh, try sameTextRows(table.name, run: id, storeID: storeID, db, connection) {
                return (0, false)
            }
            if !isNew { try connection.query("DELETE FROM \(table.name) WHERE run_id = $1", [store]) }
            let sent = try copy(table.name, run: id, after: nil, storeID: storeID, from: db, to: connection)
            return isNew ? (sent, false) : (0, table.refresh.isCompared)
        case .once:
            let present = try !isNew && connection.query(
                "SELECT EXISTS (SELECT 1 FROM \(table.name) WHERE run_id = $1)", [store]).scalar == "t"
            return (present ? 0 : try copy(table.name, run: id, after: nil, storeID: storeID, from: db, to: connection), false)
        case .appendAfter(let key):
            let last = isNew ? nil : try maximum(key, of: table.name, run: storeID, in: connection)
            return (try copy(table.name, run: id, after: last.map { (key, $0) }, storeID: storeID, from: db, to: connection), false)
        }
    }

    /// Whether the store holds exactly this file's rows of a table of text columns (tags).
    private static func sameTextRows(_ table: String, run id: Int64, storeID: Int64, _ db: Database,
                                     _ connection: PostgresConnection) throws -> Bool {
        let columns = try TransferTable.columns(of: table, in: db).map(\.name).joined(separator: ", ")
        let local = try db.rows("SELECT \(columns) FROM \(table) WHERE run_id = ? ORDER BY \(columns)", [.integer(id)])
            .map { $0.map(\.stringValue) }
        // Compared in Swift, byte for byte: the two databases' collations need not agree.
        let remote = try connection.query("SELECT \(columns) FROM \(table) WHERE run_id = $1", [String(storeID)]).rows
        return local.sorted(by: Self.textOrder) == remote.sorted(by: Self.textOrder)
    }

    private static func textOrder(_ a: [String?], _ b: [String?]) -> Bool {
        a.map { $0 ?? "" }.lexicographicallyPrecedes(b.map { $0 ?? "" })
    }

    /// Streams the run's rows of `table` (those with `key` above a value, when given) into COPY.
    private static func copy(_ table: String, run id: Int64, after: (key: String, value: Int64)?, storeID: Int64,
                             from db: Database, to connection: PostgresConnection) throws -> Int {
        let columns = try TransferTable.columns(of: table, in: db).map(\.name)
        let list = columns.joined(separator: ", ")
        let filter = after.map { " AND \($0.key) > ?2 ORDER BY \($0.key)" } ?? ""
        let statement = try db.prepare("SELECT \(list) FROM \(table) WHERE run_id = ?1\(filter)")
        try statement.bind(id, at: 1)
        if let after { try statement.bind(after.value, at: 2) }
        guard try statement.step() else { return 0 }
        var count = 0
        try connection.copyIn("COPY \(table) (run_id, \(list)) FROM STDIN") { writer in
            repeat {
                writer.integer(storeID)
                for index in 0..<Int32(columns.count) {
                    switch statement.value(at: index) {
                    case .null: writer.null()
                    case .integer(let value): writer.integer(value)
                    case .real(let value): writer.double(value)
                    case .text(let value):
                        try storable(value, statement, at: index, column: "\(table).\(columns[Int(index)])", run: id)
                        writer.text(value)
                    case .blob: throw TrackerError.inconsistentRun(
                        path: db.path, runID: id, problem: .blob(table: table, column: columns[Int(index)]))
                    }
                }
                try writer.endRow()
                count += 1
            } while try statement.step()
        }
        return count
    }

    /// Refuses text of the current row that PostgreSQL would not store as it is: bytes that are not
    /// UTF-8 (read here as U+FFFD) or a NUL byte (which libpq would cut the text at, or COPY refuse).
    private static func storable(_ text: String, _ statement: Statement, at index: Int32, column: String,
                                 run id: Int64) throws(TrackerError) {
        guard statement.isValidUTF8(at: index) else {
            throw .textNotStorable(runID: id, column: column, problem: .notUTF8)
        }
        if let nul = text.utf8.firstIndex(of: 0) {
            let offset = text.utf8.distance(from: text.utf8.startIndex, to: nul)
            throw .textNotStorable(runID: id, column: column, problem: .nulByte(offset: offset))
        }
    }

    /// The largest value of `key` among the store's rows of the run; nil when it has none.
    private static func maximum(_ key: String, of table: String, run storeID: Int64, in connection: PostgresConnection) throws -> Int64? {
        try connection.query("SELECT max(\(key)) FROM \(table) WHERE run_id = $1", [String(storeID)]).scalar.flatMap { Int64($0) }
    }

    /// A value as the text of a query parameter that PostgreSQL reads back exactly.
    static func parameterText(_ value: SQLiteValue) -> String? {
        switch value {
        case .null: nil
        case .integer(let value): String(value)
        case .real(let value): CopyInWriter.text(of: value)
        case .text(let value): value
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        }
    }
}
