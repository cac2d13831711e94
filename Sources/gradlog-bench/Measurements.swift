#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import Tracker
import Training

/// The three ways of running one workload that the benchmark compares.
enum Measurements {
    /// (1) Training alone, every step computed and nothing written; returns seconds.
    static func trainingOnly(_ workload: Workload) -> Double {
        let start = Timestamp.monotonicSeconds()
        var trainer = Trainer(dataset: workload.dataset, config: workload.config)
        var record = StepRecord(parameterCount: trainer.parameters.count)
        var checksum = 0.0
        while trainer.next(into: &record) { checksum += record.loss }
        let seconds = Timestamp.monotonicSeconds() - start
        if checksum.isNaN { print("unexpected NaN") }  // keeps the loop from being optimised away
        return seconds
    }

    /// (2) gradlog's own path, as `gradlog run` takes it: a new database, migrations, the run's
    /// rows, every step through RunRecorder with its commit cadence, and the final summary.
    static func gradlog(_ workload: Workload, path: String) throws -> Double {
        removeDatabase(path)
        let start = Timestamp.monotonicSeconds()
        let store = try Store(path: path)
        _ = try RunExecutor.execute(RunRequest(dataset: workload.dataset, config: workload.config), in: store)
        return Timestamp.monotonicSeconds() - start
    }

    /// (3) The floor: the same schema and rows through raw CSQLite calls in one transaction.
    static func floor(_ workload: Workload, path: String) throws -> Double {
        removeDatabase(path)
        _ = try Store(path: path)  // the same schema and pragmas; closed again at once
        var handle: OpaquePointer?
        sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil)
        sqlite3_exec(handle, "PRAGMA synchronous = NORMAL", nil, nil, nil)
        var trainer = Trainer(dataset: workload.dataset, config: workload.config)
        let start = Timestamp.monotonicSeconds()
        FloorWriter.write(&trainer, runID: 1, to: handle!)
        let seconds = Timestamp.monotonicSeconds() - start
        sqlite3_close_v2(handle)
        return seconds
    }

    /// The database's size once its write-ahead log is folded in, in bytes.
    static func databaseBytes(_ path: String) -> Int {
        var status = stat()
        let main = stat(path, &status) == 0 ? Int(status.st_size) : 0
        let wal = stat(path + "-wal", &status) == 0 ? Int(status.st_size) : 0
        return main + wal
    }

    static func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    }
}
