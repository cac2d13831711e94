import SQLiteDB
import Training

/// Writes one run into the database: its row, samples and parameters up front, then every step,
/// one `epochs` row as each epoch ends, and the `gradient_blocks` rows of each block of steps and
/// the `epoch_blocks` row of each block of epochs it moves past.
///
/// Steps are written in batched transactions through statements prepared once, and committed (the
/// first at once, then at least every `commitInterval` seconds) so that other processes can watch
/// the run; a step, its gradient rows and the row of the epoch it ends always land in the same
/// transaction. After each commit the recorder pauses for `yieldMicroseconds` so that a process
/// waiting to write gets its turn, at most once every `yieldSpacing` seconds however often it commits.
public final class RunRecorder {
    /// The new run's id.
    public let runID: Int64
    private let db: Database
    private let insertStep: Statement
    /// The gradients INSERT of each of the first `statementPerParameterLimit` parameters, with
    /// the name bound once.
    private var insertGradients: [Statement] = []
    /// The gradients INSERT that the parameters after those share, binding the name per row, so
    /// that memory stays small (a prepared statement takes kilobytes).
    private var insertSharedGradients: Statement?
    private let epochWriter: EpochWriter
    private var blocks: BlockWriter
    private var epochBlocks: EpochBlockWriter
    private var parameterNames: [String]
    /// True for a run that logs the compiler's gradient (`--autodiff`); any other leaves the INSERT's
    /// `autodiff` parameter unbound, which SQLite keeps NULL from row to row.
    private let writesAutodiff: Bool
    /// The `params.position` of the next parameter a run logged from outside adds.
    private var nextPosition: Int64 = 0
    /// The accuracy of parameters on the run's samples (NaN for a run logged from outside).
    private let accuracy: ([Double]) -> Double
    private let commitInterval: Double
    /// When the recorder last committed (monotonic seconds; -∞ before the first, so that the first
    /// step commits at once: a watcher (`runs --watch`, the web app) sees the run move as soon as it
    /// does, and a kill in its first half second keeps a step).
    private var lastCommit = -Double.infinity
    private let startedAt = Timestamp.monotonicSeconds()
    private var batch: WriteBatch?
    private var epoch = EpochAccumulator()
    private var totals = RunTotals()
    /// The run's fingerprint so far: its head when it was inserted, then every row as it is written.
    let fingerprint = FingerprintHasher()
    /// The parameters' indices in the fingerprint's order (by name, in bytes), and each one's rank there.
    private var fingerprintOrder: [Int] = []
    private var fingerprintRank: [Int] = []
    /// Each parameter's name as UTF-8, for the fingerprint's gradient rows.
    private var nameBytes: [[UInt8]] = []
    /// Disk space held back while the run trains, given up when a write fails so that the run can
    /// still be marked `failed` on a full disk.
    private let reserve: SideFile?

    /// The most parameters that get a prepared INSERT each (the fast path of small models).
    static let statementPerParameterLimit = 256

    /// How much space a run holds in reserve: far more than the few pages of its final update.
    static let reserveBytes = 256 * 1024

    /// The side-file kind of a run's reserve, `.NAME.reserve-PID-RANDOM`.
    static let reserveKind = "reserve"

    /// Seconds between commits while a run trains.
    public static let defaultCommitInterval = 0.5

    /// The pause after a commit, long enough for a waiting writer (which retries every millisecond).
    static let yieldMicroseconds: UInt32 = 2_000

    /// The least time between two pauses: a waiting writer still gets its turn within it, and a run
    /// that commits every step (as tests do) does not sleep at each one.
    static let yieldSpacing = 0.1

    /// When the recorder last paused after a commit (monotonic seconds; its start before the first,
    /// so that the first commit, right after the first step, does not pause every run, short or long).
    private var lastYield: Double

    /// The largest relative gradient-check error logged so far (NaN once one was NaN).
    public var worstRelativeError: Double? {
        let worst = EpochAccumulator.worse(totals.worstRelError, epoch.worstRel)
        return worst == -.infinity ? nil : worst
    }

    /// Inserts the run as `running` with its config, samples, parameters and tags, and commits it.
    public convenience init(
        store: Store, request: RunRequest, trainer: Trainer, commitInterval: Double = RunRecorder.defaultCommitInterval
    ) throws {
        let db = store.db
        let runID = try db.transaction(.immediate) {
            let id = try Self.insertRun(db, request: request, trainer: trainer)
            try Self.insertParams(db, runID: id, trainer: trainer)
            try Self.insertSamples(db, runID: id, dataset: request.dataset)
            try Self.insertTags(db, runID: id, tags: request.tags)
            return id
        }
        let (model, dataset) = (trainer.model, trainer.dataset)
        try self.init(store: store, runID: runID, parameterNames: trainer.parameterNames, writesAutodiff: trainer.config.autodiff,
                      accuracy: { model.accuracy($0, on: dataset) }, commitInterval: commitInterval, holdsLockBetweenCommits: true)
    }

    /// Inserts a run logged from outside gradlog's trainer as `running` and commits it; its
    /// epochs have no accuracy. Its parameters, `setup.parameterNames` and any added later, each
    /// get their `params` row with the first step that gives their value (`insertParameter`).
    convenience init(store: Store, external setup: ExternalRunSetup,
                     commitInterval: Double = RunRecorder.defaultCommitInterval) throws {
        let db = store.db
        let runID = try db.transaction(.immediate) {
            let id = try Self.insertExternalRun(db, setup: setup)
            try Self.insertTags(db, runID: id, tags: setup.tags)
            return id
        }
        // Someone else's loop may log nothing for minutes (an evaluation, a pause): between commits
        // its run leaves the lock free, or the sqlite3 shell and other programs could hardly write.
        try self.init(store: store, runID: runID, parameterNames: setup.parameterNames, writesAutodiff: false,
                      accuracy: { _ in .nan }, commitInterval: commitInterval, holdsLockBetweenCommits: false)
    }

    /// Prepares the statements for the run `runID` just inserted and begins its first batch.
    private init(store: Store, runID: Int64, parameterNames: [String], writesAutodiff: Bool,
                 accuracy: @escaping ([Double]) -> Double, commitInterval: Double, holdsLockBetweenCommits: Bool) throws {
        let db = store.db
        self.db = db
        self.commitInterval = commitInterval
        lastYield = startedAt
        reserve = Self.makeReserve(for: store.path)
        self.runID = runID
        self.parameterNames = parameterNames
        self.writesAutodiff = writesAutodiff
        self.accuracy = accuracy
        insertStep = try db.prepare(
            "INSERT INTO steps(run_id, step, epoch, batch_size, loss) VALUES (?1, ?2, ?3, ?4, ?5)")
        try insertStep.bind(runID, at: 1)
        epochWriter = try EpochWriter(db, runID: runID)
        blocks = try BlockWriter(db, runID: runID, names: parameterNames)
        epochBlocks = try EpochBlockWriter(db, runID: runID)
        // Every row the recorder writes belongs to the run it has just inserted, which no one can
        // delete while it trains: checking that for each of them would cost a tenth of the time.
        foreignKeysWereOn = try db.scalar("PRAGMA foreign_keys") == .integer(1)
        try db.execute("PRAGMA foreign_keys = OFF")
        try prepareGradientInserts(from: 0)
        // Read back as stored: the fingerprint is of the rows, whatever wrote them.
        try RunFingerprint.hashHead(runID, in: db, into: fingerprint)
        orderForFingerprint()
        batch = try db.beginBatch(.immediate, holdsLockBetweenCommits: holdsLockBetweenCommits)
    }

    /// Whether the connection enforced foreign keys before the run (the setting is restored after it).
    private var foreignKeysWereOn = false

    /// Ends the batch's transaction first: the setting cannot change inside one.
    private func restoreForeignKeys() {
        if foreignKeysWereOn && !db.isInTransaction { try? db.execute("PRAGMA foreign_keys = ON") }
    }

    /// Logs one step with its gradient rows; when the step ended its epoch, `endOfEpoch` holds the
    /// parameters after it and the epoch's row is written too. Commits when the interval has passed.
    public func log(_ record: StepRecord, endOfEpoch: [Double]?) throws {
        try write(record, endOfEpoch: endOfEpoch)
        try commitIfDue()
    }

    /// Commits what was logged when the interval has passed: called between whole steps only, so
    /// that a step commits together with every row that belongs to it.
    func commitIfDue() throws {
        if Timestamp.monotonicSeconds() - lastCommit >= commitInterval { try commit() }
    }

    /// Prepares the gradients INSERTs of the parameters from index `first` on.
    private func prepareGradientInserts(from first: Int) throws {
        func prepare(boundTo param: String?) throws -> Statement {
            let statement = try db.prepare(
                "INSERT INTO gradients(run_id, step, param, value, analytic, numeric, passed, autodiff) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
            try statement.bind(runID, at: 1)
            if let param { try statement.bind(param, at: 3) }
            return statement
        }
        for name in parameterNames[first..<min(parameterNames.count, Self.statementPerParameterLimit)] {
            insertGradients.append(try prepare(boundTo: name))
        }
        if parameterNames.count > Self.statementPerParameterLimit && insertSharedGradients == nil {
            insertSharedGradients = try prepare(boundTo: nil)
        }
    }

    /// Adds parameters after the last ones (a run logged from outside names a new one at a later
    /// step); each gets its `params` row from `insertParameter`.
    func addParameters(_ names: [String]) throws {
        guard !names.isEmpty else { return }
        let first = parameterNames.count
        parameterNames.append(contentsOf: names)
        blocks.addParameters(names)
        try prepareGradientInserts(from: first)
        orderForFingerprint()
    }

    /// Sorts the parameters by name in bytes (SQLite's BINARY order), as the fingerprint takes a step's gradients.
    private func orderForFingerprint() {
        nameBytes = parameterNames.map { Array($0.utf8) }
        fingerprintOrder = nameBytes.indices.sorted { nameBytes[$0].lexicographicallyPrecedes(nameBytes[$1]) }
        fingerprintRank = Array(repeating: 0, count: fingerprintOrder.count)
        for (rank, k) in fingerprintOrder.enumerated() { fingerprintRank[k] = rank }
    }

    /// Writes the `params` row of parameter `k` of a run logged from outside, at the next position,
    /// starting from `initial`: its value at the first step that gave one.
    func insertParameter(_ k: Int, initial: Double) throws {
        try db.run("INSERT INTO params(run_id, param, position, initial) VALUES (?, ?, ?, ?)",
                   [.integer(runID), .text(parameterNames[k]), .integer(nextPosition), Measured.value(initial)])
        nextPosition += 1
    }

    /// Writes one step's rows (as `log`) without committing: its gradient rows of every parameter,
    /// or (a step logged from outside) of `parameters`.
    func write(_ record: StepRecord, endOfEpoch: [Double]?, parameters: ParameterRows = .all) throws {
        try insertStep.bind(record.step, at: 2)
        try insertStep.bind(record.epoch, at: 3)
        // A run logged from outside may not know its batch size (0): NULL.
        try insertStep.bind(record.batchSize > 0 ? .integer(Int64(record.batchSize)) : .null, at: 4)
        try Measured.bind(record.loss, to: insertStep, at: 5)
        try insertStep.run()
        epoch.addStep(record.step, epoch: record.epoch, loss: record.loss)
        totals.steps = record.step
        fingerprint.tag(.step)
        fingerprint.integer(Int64(record.step))
        fingerprint.integer(Int64(record.epoch))
        if record.batchSize > 0 { fingerprint.integer(Int64(record.batchSize)) } else { fingerprint.null() }
        fingerprint.real(record.loss)
        switch parameters {
        case .all:
            try writeGradients(record, of: parameterNames.indices)
            try blocks.add(record)
            hashGradients(record, of: fingerprintOrder)
        case .some(let positions):
            try writeGradients(record, of: positions)
            try blocks.add(record, positions: positions)
            let rank = fingerprintRank
            hashGradients(record, of: positions.sorted { rank[$0] < rank[$1] })
        case .none:
            break
        }
        if let endOfEpoch { try writeEpoch(parameters: endOfEpoch) }
    }

    /// Writes the step's row of each parameter in `indices` and counts its checks into the epoch.
    private func writeGradients(_ record: StepRecord, of indices: some Collection<Int>) throws {
        // Read once: a stored property read in the loop would be checked for exclusive access each time.
        let (statements, shared, autodiff) = (insertGradients, insertSharedGradients, writesAutodiff)
        for k in indices {
            let statement: Statement
            if k < statements.count {
                statement = statements[k]
            } else {
                statement = shared!
                try statement.bind(parameterNames[k], at: 3)
            }
            try statement.bind(record.step, at: 2)
            try Measured.bind(record.values[k], to: statement, at: 4)
            try Measured.bind(record.analytic[k], to: statement, at: 5)
            try Measured.bind(record.numeric[k], to: statement, at: 6)
            // A step without a check has no verdict: NULL, as its numeric gradient.
            try statement.bind(record.checked ? .integer(record.passed[k] ? 1 : 0) : .null, at: 7)
            if autodiff { try Measured.bind(record.autodiff[k], to: statement, at: 8) }
            try statement.run()
            if record.checked {
                epoch.addCheck(analytic: record.analytic[k], numeric: record.numeric[k], passed: record.passed[k])
            }
        }
    }

    /// Adds the step's gradient rows of the parameters at `indices` (in the fingerprint's order) to
    /// the fingerprint, each value as `writeGradients` binds it.
    private func hashGradients(_ record: StepRecord, of indices: [Int]) {
        let (hasher, names, autodiff) = (fingerprint, nameBytes, writesAutodiff)
        for k in indices {
            hasher.tag(.gradient)
            names[k].withUnsafeBytes { hasher.encoded(text: $0) }
            hasher.real(record.values[k])
            hasher.real(record.analytic[k])
            hasher.real(record.numeric[k])
            if record.checked { hasher.integer(record.passed[k] ? 1 : 0) } else { hasher.null() }
            if autodiff { hasher.real(record.autodiff[k]) } else { hasher.null() }
        }
    }

    /// Seconds until the next commit is due (0: due now).
    var secondsToNextCommit: Double { max(0, commitInterval - (Timestamp.monotonicSeconds() - lastCommit)) }

    /// Opens the batch's next transaction if it is closed: before writing, for a run that leaves
    /// the lock free between commits.
    func resume() throws {
        try batch?.resume()
    }

    /// Commits what was logged so far with the run's summary, and goes on in a new transaction.
    func commit() throws {
        if batch?.isOpen == false {
            // Nothing waits but the heartbeat: another program holding the lock past the busy
            // timeout delays it to the next interval instead of failing an idle run.
            do {
                try resume()
            } catch let error as SQLiteError where error.isBusy {
                lastCommit = Timestamp.monotonicSeconds()
                return
            }
        }
        try writeSummary(status: nil, error: nil)
        let yields = Timestamp.monotonicSeconds() - lastYield >= Self.yieldSpacing
        try batch?.commitAndContinue(pauseMicroseconds: yields ? Self.yieldMicroseconds : 0)
        lastCommit = Timestamp.monotonicSeconds()
        if yields { lastYield = lastCommit }
    }

    /// Writes the row of the epoch accumulated so far, with the accuracy of `parameters`.
    func writeEpoch(parameters: [Double]) throws {
        // The run's worst errors fold in the epoch's checks as made: an epoch without any (with
        // `checkEvery` > 1) has no worst error, and must not turn the run's into one.
        let (worstAbs, worstRel) = (epoch.worstAbs, epoch.worstRel)
        guard let summary = epoch.finish(accuracy: accuracy(parameters)) else { return }
        try epochWriter.write(summary)
        try epochBlocks.add(summary)
        totals.add(summary, worstAbs: worstAbs, worstRel: worstRel)
    }

    deinit {
        batch?.rollback()
        restoreForeignKeys()
        reserve?.remove()
    }

    /// Writes the row of an epoch the run stopped in the middle of, commits the last steps and
    /// records how the run ended, its final parameters and summary.
    public func finish(status: RunStatus, error: String?, parameters: [Double]) throws {
        try resume()
        try writeEpoch(parameters: parameters)
        try blocks.flush()
        try epochBlocks.flush()
        try writeSummary(status: status, error: error)
        try db.run("UPDATE runs SET duration_seconds = ?, final_loss = ?, final_accuracy = ? WHERE id = ?",
                   [.real(Timestamp.monotonicSeconds() - startedAt), totals.last.map { Measured.value($0.meanLoss) } ?? .null,
                    totals.last.map { Measured.value($0.accuracy) } ?? .null, .integer(runID)])
        for (name, value) in zip(parameterNames, parameters) {
            try db.run("UPDATE params SET final = ? WHERE run_id = ? AND param = ?",
                       [Measured.value(value), .integer(runID), .text(name)])
        }
        try batch?.commit()
        restoreForeignKeys()
        // A finished run lives in the database file itself, not only in its write-ahead log, as
        // soon as no reader holds the log: a copy of the `.db` alone is then the whole run.
        _ = db.checkpointWithoutWaiting()
    }

    /// After a failure: drops the uncommitted steps and marks the run failed, as far as the database
    /// allows; the reserved space is freed first, for the case that the disk is full.
    public func abandon(error: String) {
        batch?.rollback()
        restoreForeignKeys()
        reserve?.remove()
        try? db.run("UPDATE runs SET status = ?, error = ?, ended_at = ? WHERE id = ?",
                    [.text(RunStatus.failed.rawValue), .text(error), .text(Timestamp.now()), .integer(runID)])
    }

    private func writeSummary(status: RunStatus?, error: String?) throws {
        let worstAbs = EpochAccumulator.worse(totals.worstAbsError, epoch.worstAbs)
        let worstRel = EpochAccumulator.worse(totals.worstRelError, epoch.worstRel)
        try db.run(
            """
            UPDATE runs SET step_count = ?2, epoch_count = ?3, worst_abs_error = ?4, worst_rel_error = ?5,
                failed_checks = ?6, status = coalesce(?7, status), error = ?8, heartbeat_at = ?9,
                ended_at = CASE WHEN ?7 IS NULL THEN ended_at ELSE ?9 END, fingerprint = ?10
            WHERE id = ?1
            """,
            [.integer(runID), .integer(Int64(totals.steps)), .integer(Int64(max(totals.epochs, epoch.epoch ?? 0))),
             RunTotals.stored(worstAbs), RunTotals.stored(worstRel),
             .integer(Int64(totals.failedChecks + epoch.failed)), status.map { .text($0.rawValue) } ?? .null,
             error.map { .text($0) } ?? .null, .text(Timestamp.now()), .text(fingerprint.hexDigest())])
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

extension RunRecorder {
    /// The parameters a step writes gradient rows of.
    enum ParameterRows {
        /// Every parameter: each of gradlog's own steps, and a step logged from outside with them all.
        case all
        /// The parameters at these indices, each once.
        case some([Int])
        /// None: a step logged from outside without parameter values.
        case none
    }
}
