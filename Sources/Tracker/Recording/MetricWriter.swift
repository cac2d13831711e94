import SQLiteDB

/// Inserts one run's `step_metrics` rows: an INSERT per metric name with the name bound once (up to
/// `statementPerNameLimit` names, past it one shared INSERT binds the name per row), and the previous
/// step's names, so that a step that gives the same names in the same order is written by position.
final class MetricWriter {
    private let db: Database
    private let runID: Int64
    private var shared: Statement?
    private var byName: [String: Statement] = [:]
    /// The previous step's metric names, in order, and the INSERT of each (nil: the shared one).
    private(set) var lastNames: [String] = []
    private var lastInserts: [Statement?] = []
    /// The run's fingerprint, which takes a step's metrics by name (in bytes) after its gradients.
    private let fingerprint: FingerprintHasher
    /// The previous step's names as UTF-8, and their indices in the fingerprint's order.
    private var lastNameBytes: [[UInt8]] = []
    private var lastOrder: [Int] = []

    /// The most metric names that get a prepared INSERT each (a prepared statement takes kilobytes).
    static let statementPerNameLimit = 256

    /// A writer of run `runID`'s metrics on `db`, adding each row to the run's `fingerprint`.
    init(_ db: Database, runID: Int64, fingerprint: FingerprintHasher) {
        self.db = db
        self.runID = runID
        self.fingerprint = fingerprint
    }

    /// True when `metrics` have the previous step's names, in the same order.
    func hasLastNames(_ metrics: [(name: String, value: Double)]) -> Bool {
        guard metrics.count == lastNames.count else { return false }
        for k in lastNames.indices where metrics[k].name != lastNames[k] { return false }
        return true
    }

    /// Writes the rows of step `step`'s `metrics`; `sameNames` is `hasLastNames(metrics)`, asked by the caller.
    func write(_ metrics: [(name: String, value: Double)], at step: Int, sameNames: Bool) throws {
        if !sameNames { try useNames(metrics.map(\.name)) }
        for k in metrics.indices {
            let insert = try lastInserts[k] ?? sharedInsert()
            if lastInserts[k] == nil { try insert.bind(metrics[k].name, at: 3) }
            try insert.bind(step, at: 2)
            try Measured.bind(metrics[k].value, to: insert, at: 4)
            try insert.run()
        }
        for k in lastOrder {
            fingerprint.tag(.metric)
            lastNameBytes[k].withUnsafeBytes { fingerprint.encoded(text: $0) }
            fingerprint.real(metrics[k].value)
        }
    }

    private func useNames(_ names: [String]) throws {
        lastInserts = try names.map { name in
            if let insert = byName[name] { return insert }
            guard byName.count < Self.statementPerNameLimit else { return nil }
            let insert = try prepare()
            try insert.bind(name, at: 3)
            byName[name] = insert
            return insert
        }
        lastNames = names
        lastNameBytes = names.map { Array($0.utf8) }
        lastOrder = lastNameBytes.indices.sorted { lastNameBytes[$0].lexicographicallyPrecedes(lastNameBytes[$1]) }
    }

    private func sharedInsert() throws -> Statement {
        if let shared { return shared }
        let insert = try prepare()
        shared = insert
        return insert
    }

    private func prepare() throws -> Statement {
        let insert = try db.prepare("INSERT INTO step_metrics(run_id, step, name, value) VALUES (?1, ?2, ?3, ?4)")
        try insert.bind(runID, at: 1)
        return insert
    }
}
