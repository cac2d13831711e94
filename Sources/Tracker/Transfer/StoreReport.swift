import PostgresDB
import SQLiteDB

/// A report's table read from the team store itself, streamed by COPY row by row with each value
/// typed as SQLite would give it, so the output library writes the same bytes as from a file and
/// memory stays flat however long the run.
///
/// A per-step or per-epoch report without metrics is read as one stream of the run's rows in step
/// order, which the server gives as it reads them (a merge of its primary-key indexes), and joined
/// here (`StepReportAssembler`, `EpochReportAssembler`): the server's own plan for the report's
/// joins (hash joins, then a sort of the whole table) sends nothing until it has done all of it.
/// Any other report runs the same query as on a file, on the server.
enum StoreReport {
    /// Streams the rows of `sql` (a report with its run id filled in) from the store.
    static func stream(_ sql: String, from team: TeamStore,
                       columns: ([String]) throws -> Void, row: ([SQLiteValue]) throws -> Void) throws {
        try reading(team) { connection, caller in
            let query = ReportTemplate.subquery(sql)
            let shape = try connection.query("SELECT * FROM (\(query)) AS report LIMIT 0")
            try caller.relay { try columns(shape.columns) }
            if shape.columnTypes.allSatisfy(StoreRows.readsBinary(oid:)) {
                try StoreRows.streamBinary(query, from: connection, columns: shape.columns, types: shape.columnTypes,
                                           table: "report") { values in try caller.relay { try row(values) } }
            } else {
                let typed = zip(shape.columns, shape.columnTypes).map { name, oid in
                    TransferTable.Column(name: name, type: StoreRows.type(ofOID: oid))
                }
                try StoreRows.stream(query, from: connection, columns: typed, table: "report") { values in
                    try caller.relay { try row(values) }
                }
            }
        }
    }

    /// Streams the per-step report (`sql`, the same report as the server would run it, gives the
    /// columns' names) of run `runID`, which has no metrics, for these parameters.
    static func streamSteps(_ sql: String, of runID: Int64, parameters: [String], autodiff: Bool, from team: TeamStore,
                            columns: ([String]) throws -> Void, row: ([SQLiteValue]) throws -> Void) throws {
        let gradient = StepReportAssembler.gradientColumns(autodiff: autodiff)
        let merged = """
            SELECT \(StepReportAssembler.stepColumns.joined(separator: ", ")), param, \(gradient.joined(separator: ", ")) FROM (
                SELECT run_id, step, epoch, batch_size, loss, NULL::text AS param, \
            \(gradient.map { "NULL::\($0 == "passed" ? "bigint" : "float8") AS \($0)" }.joined(separator: ", ")) FROM steps
                UNION ALL
                SELECT run_id, step, NULL, NULL, NULL, param, \(gradient.joined(separator: ", ")) FROM gradients
            ) AS run WHERE run_id = \(runID) ORDER BY run_id, step
            """
        try streamMerged(merged, named: sql, from: team, columns: columns, row: row) { _, streamed in
            try StepReportAssembler(columns: streamed, parameters: parameters, autodiff: autodiff)
        }
    }

    /// Streams the per-epoch report (`sql` gives the columns' names) of run `runID`, which has no
    /// metrics, for these parameters.
    static func streamEpochs(_ sql: String, of runID: Int64, parameters: [String], from team: TeamStore,
                             columns: ([String]) throws -> Void, row: ([SQLiteValue]) throws -> Void) throws {
        let merged = """
            SELECT step, epoch, steps, mean_loss, worst_rel_error, accuracy, param, value FROM (
                SELECT run_id, last_step AS step, epoch, steps, mean_loss, worst_rel_error, accuracy, NULL::text AS param,
                       NULL::float8 AS value FROM epochs
                UNION ALL
                SELECT run_id, step, NULL, NULL, NULL, NULL, NULL, param, value FROM gradients
            ) AS run WHERE run_id = \(runID) ORDER BY run_id, step
            """
        try streamMerged(merged, named: sql, from: team, columns: columns, row: row) { connection, streamed in
            let (lastStep, finals) = try lastStepAndFinals(of: runID, connection)
            return try EpochReportAssembler(columns: streamed, runID: runID, parameters: parameters, lastLoggedStep: lastStep,
                                            finals: finals)
        }
    }

    /// The run's last logged step and its parameters' final values, as SQLite would give them.
    private static func lastStepAndFinals(of runID: Int64, _ connection: PostgresConnection)
        throws -> (Int64?, [String: SQLiteValue]) {
        var lastStep: Int64?
        try StoreRows.streamBinary("SELECT max(step) FROM steps WHERE run_id = \(runID)", from: connection,
                                   columns: ["step"], types: [20], table: "steps") { values in
            if case .integer(let step) = values[0] { lastStep = step }
        }
        var finals: [String: SQLiteValue] = [:]
        try StoreRows.streamBinary("SELECT param, final FROM params WHERE run_id = \(runID)", from: connection,
                                   columns: ["param", "final"], types: [25, 701], table: "params") { values in
            if case .text(let name) = values[0] { finals[name] = values[1] }
        }
        return (lastStep, finals)
    }

    /// Streams `merged` (a run's rows in step order) through the assembler `make` returns, which
    /// hands the report's rows to `row`, in one snapshot of the store, after handing `columns` the
    /// names of `named`'s columns.
    private static func streamMerged<Assembler: ReportAssembler>(
        _ merged: String, named sql: String, from team: TeamStore, columns: ([String]) throws -> Void,
        row: ([SQLiteValue]) throws -> Void, make: (PostgresConnection, PostgresColumns) throws -> Assembler
    ) throws {
        try reading(team) { connection, caller in
            let names = try connection.query("SELECT * FROM (\(ReportTemplate.subquery(sql))) AS report LIMIT 0").columns
            let shape = try connection.query("\(merged) LIMIT 0")
            var assembler = try make(connection, shape.namedColumns)
            try caller.relay { try columns(names) }
            try StoreRows.streamBinary(merged, from: connection, columns: shape.columns, types: shape.columnTypes,
                                       table: "report") { values in
                try assembler.add(values) { report in try caller.relay { try row(report) } }
            }
            try assembler.finish { report in try caller.relay { try row(report) } }
        }
    }

    /// Runs `body` in one read-only snapshot of the store; an error of the caller's own (a closed
    /// pipe, say) passes through as it was thrown, the store's are worded as the store's.
    private static func reading(_ team: TeamStore, _ body: (PostgresConnection, CallerErrors) throws -> Void) throws {
        let connection = team.connection
        let caller = CallerErrors()
        do {
            try team.attempt {
                try team.reading { try body(connection, caller) }
            }
        } catch {
            throw caller.first ?? error
        }
    }

    /// The first error thrown by the caller's closures, kept apart from the store's own errors.
    private final class CallerErrors {
        private(set) var first: (any Error)?

        func relay<T>(_ body: () throws -> T) throws -> T {
            do {
                return try body()
            } catch {
                if first == nil { first = error }
                throw error
            }
        }
    }
}
