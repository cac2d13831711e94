#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLiteDB
import Training

/// Writes one run into the database: its row, samples and parameters up front, then every step.
///
/// Steps are written in batched transactions through statements prepared once, and committed at
/// least every `commitInterval` seconds so that other processes can watch the run; a step and its
/// gradient rows always land in the same transaction. After each commit the recorder pauses for
/// `yieldMicroseconds` so that another process waiting for the write lock gets its turn.
public final class RunRecorder {
    /// The new run's id.
    public let runID: Int64
    private let db: Database
    private let insertStep: Statement
    private let insertGradients: [Statement]
    private let parameterNames: [String]
    private let commitInterval: Double
    private var lastCommit: Double
    private let startedAt = Timestamp.monotonicSeconds()
    private var summary = Summary()
    /// Disk space held back while the run trains, given up when a write fails so that the run can
    /// still be marked `failed` on a full disk.
    private let reserve: SideFile?

    /// How much space a run holds in reserve: far more than the few pages of its final update.
    static let reserveBytes = 256 * 1024

    /// The side-file kind of a run's reserve, `.NAME.reserve-PID-RANDOM`.
    static let reserveKind = "reserve"

    /// The largest relative gradient-check error logged so far (NaN once one was NaN).
    public var worstRelativeError: Double? { summary.worstRelError }

    /// Seconds between commits while a run trains.
    public static let defaultCommitInterval = 0.5

    /// The pause after a commit, long enough for a waiting writer (which retries every millisecond).
    static let yieldMicroseconds: UInt32 = 2_000

    /// The figures kept in the run's row while it trains, so that listing runs never scans steps.
    struct Summary {
        var steps = 0
        var epochs = 0
        var worstAbsError: Double?
        var worstRelError: Double?
        var failedChecks = 0
    }

    /// Inserts the run as `running` with its config, samples, parameters and tags, and commits it.
    public init(
        store: Store, request: RunRequest, trainer: Trainer, commitInterval: Double = RunRecorder.defaultCommitInterval
    ) throws {
        let db = store.db
        self.db = db
        self.commitInterval = commitInterval
        reserve = Self.makeReserve(for: store.path)
        let runID = try db.transaction(.immediate) {
            let id = try Self.insertRun(db, request: request, trainer: trainer)
            try Self.insertParams(db, runID: id, trainer: trainer)
            try Self.insertSamples(db, runID: id, dataset: request.dataset)
            for tag in request.tags {
                try db.run("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES (?, ?, ?)",
                           [.integer(id), .text(tag.key), .text(tag.value)])
            }
            return id
        }
        self.runID = runID
        parameterNames = trainer.parameterNames
        insertStep = try db.prepare(
            "INSERT INTO steps(run_id, step, epoch, batch_size, loss) VALUES (?1, ?2, ?3, ?4, ?5)")
        insertGradients = try trainer.parameterNames.map { param in
            let statement = try db.prepare(
                "INSERT INTO gradients(run_id, step, param, value, analytic, numeric, passed) "
                    + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            try statement.bind(runID, at: 1)
            try statement.bind(param, at: 3)
            return statement
        }
        try insertStep.bind(runID, at: 1)
        lastCommit = Timestamp.monotonicSeconds()
        try db.execute("BEGIN IMMEDIATE")
    }

    /// Logs one step with its gradient rows; commits when the commit interval has passed.
    public func log(_ record: StepRecord) throws {
        try insertStep.bind(Int64(record.step), at: 2)
        try insertStep.bind(Int64(record.epoch), at: 3)
        try insertStep.bind(Int64(record.batchSize), at: 4)
        try insertStep.bindLossless(record.loss, at: 5)
        try insertStep.run()
        for (k, statement) in insertGradients.enumerated() {
            try statement.bind(Int64(record.step), at: 2)
            try statement.bindLossless(record.values[k], at: 4)
            try statement.bindLossless(record.analytic[k], at: 5)
            try statement.bindLossless(record.numeric[k], at: 6)
            try statement.bind(Int64(record.passed[k] ? 1 : 0), at: 7)
            try statement.run()
            summary.note(analytic: record.analytic[k], numeric: record.numeric[k], passed: record.passed[k])
        }
        summary.steps = record.step
        summary.epochs = record.epoch
        if Timestamp.monotonicSeconds() - lastCommit >= commitInterval {
            try writeSummary(status: nil, error: nil, parameters: nil)
            try db.execute("COMMIT")
            usleep(Self.yieldMicroseconds)
            try db.execute("BEGIN IMMEDIATE")
            lastCommit = Timestamp.monotonicSeconds()
        }
    }

    deinit { reserve?.remove() }

    /// Commits the last steps and records how the run ended, its final parameters and summary.
    public func finish(status: RunStatus, error: String?, parameters: [Double]) throws {
        try writeSummary(status: status, error: error, parameters: parameters)
        try db.execute("COMMIT")
    }

    /// After a failure: drops the uncommitted steps and marks the run failed, as far as the database
    /// allows; the reserved space is freed first, for the case that the disk is full.
    public func abandon(error: String) {
        if db.isInTransaction { try? db.execute("ROLLBACK") }
        reserve?.remove()
        try? db.run("UPDATE runs SET status = ?, error = ?, ended_at = ? WHERE id = ?",
                    [.text(RunStatus.failed.rawValue), .text(error), .text(Timestamp.now()), .integer(runID)])
    }

    private func writeSummary(status: RunStatus?, error: String?, parameters: [Double]?) throws {
        try db.run(
            """
            UPDATE runs SET step_count = ?2, epoch_count = ?3, worst_abs_error = ?4, worst_rel_error = ?5,
                failed_checks = ?6, status = coalesce(?7, status), error = ?8, heartbeat_at = ?9,
                ended_at = CASE WHEN ?7 IS NULL THEN ended_at ELSE ?9 END
            WHERE id = ?1
            """,
            [.integer(runID), .integer(Int64(summary.steps)), .integer(Int64(summary.epochs)),
             summary.worstAbsError.map(SQLiteValue.init(lossless:)) ?? .null,
             summary.worstRelError.map(SQLiteValue.init(lossless:)) ?? .null,
             .integer(Int64(summary.failedChecks)), status.map { .text($0.rawValue) } ?? .null,
             error.map { .text($0) } ?? .null, .text(Timestamp.now())])
        guard let parameters else { return }
        try db.run("UPDATE runs SET duration_seconds = ? WHERE id = ?",
                   [.real(Timestamp.monotonicSeconds() - startedAt), .integer(runID)])
        for (name, value) in zip(parameterNames, parameters) {
            try db.run("UPDATE params SET final = ? WHERE run_id = ? AND param = ?",
                       [SQLiteValue(lossless: value), .integer(runID), .text(name)])
        }
        try RunFinals.recordLossAndAccuracy(db, runID: runID)
    }
}

extension RunRecorder {
    /// Takes `reserveBytes` beside the database (opening the store removed what killed runs left);
    /// nil for an in-memory database or when the disk has not even that much room.
    static func makeReserve(for path: String) -> SideFile? {
        guard path != ":memory:" else { return nil }
        let file = SideFile(besideDatabase: path, kind: reserveKind)
        return file.allocate(bytes: reserveBytes) ? file : nil
    }
}

extension RunRecorder.Summary {
    /// Folds one gradient check into the worst errors seen (a NaN error counts as the worst).
    mutating func note(analytic: Double, numeric: Double, passed: Bool) {
        let absError = GradientCheck.absoluteError(analytic: analytic, numeric: numeric)
        let relError = GradientCheck.relativeError(analytic: analytic, numeric: numeric)
        worstAbsError = worse(worstAbsError, absError)
        worstRelError = worse(worstRelError, relError)
        if !passed { failedChecks += 1 }
    }

    /// The larger of the two; NaN, once seen, stays (SQLite stores it as NULL).
    private func worse(_ worst: Double?, _ candidate: Double) -> Double {
        guard let worst, !worst.isNaN else { return worst ?? candidate }
        return candidate > worst || candidate.isNaN ? candidate : worst
    }
}
