#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import Training

/// The floor: the same rows as gradlog writes (steps, gradients, and each epoch's row with its
/// accuracy), straight through the SQLite C API with one reused prepared statement per table and
/// one transaction, and no abstraction on top.
struct FloorWriter {
    /// Writes every step of `trainer` into the (already created) tables.
    static func write(_ trainer: inout Trainer, runID: Int64, to handle: OpaquePointer) {
        var step: OpaquePointer?
        var gradient: OpaquePointer?
        var epoch: OpaquePointer?
        sqlite3_prepare_v2(handle, "INSERT INTO steps(run_id, step, epoch, batch_size, loss) VALUES (?,?,?,?,?)", -1, &step, nil)
        sqlite3_prepare_v2(handle, "INSERT INTO gradients(run_id, step, param, value, analytic, numeric, passed) "
            + "VALUES (?,?,?,?,?,?,?)", -1, &gradient, nil)
        sqlite3_prepare_v2(handle, "INSERT INTO epochs(run_id, epoch, steps, last_step, mean_loss, accuracy, "
            + "worst_abs_error, worst_rel_error, failed_checks) VALUES (?,?,?,?,?,?,?,?,?)", -1, &epoch, nil)
        let names = trainer.parameterNames
        // C copies that live until the end, so SQLite may keep pointers to them (SQLITE_STATIC).
        let cNames = names.map { strdup($0) }
        defer { cNames.forEach { free($0) } }
        sqlite3_exec(handle, "BEGIN", nil, nil, nil)
        var record = StepRecord(parameterCount: names.count)
        var accumulator = EpochAccumulator()
        while trainer.next(into: &record) {
            sqlite3_bind_int64(step, 1, runID)
            sqlite3_bind_int64(step, 2, Int64(record.step))
            sqlite3_bind_int64(step, 3, Int64(record.epoch))
            sqlite3_bind_int64(step, 4, Int64(record.batchSize))
            sqlite3_bind_double(step, 5, record.loss)
            sqlite3_step(step)
            sqlite3_reset(step)
            for k in names.indices {
                sqlite3_bind_int64(gradient, 1, runID)
                sqlite3_bind_int64(gradient, 2, Int64(record.step))
                sqlite3_bind_text(gradient, 3, cNames[k], -1, nil)
                sqlite3_bind_double(gradient, 4, record.values[k])
                sqlite3_bind_double(gradient, 5, record.analytic[k])
                sqlite3_bind_double(gradient, 6, record.numeric[k])
                if record.checked { sqlite3_bind_int64(gradient, 7, record.passed[k] ? 1 : 0) } else { sqlite3_bind_null(gradient, 7) }
                sqlite3_step(gradient)
                sqlite3_reset(gradient)
            }
            accumulator.add(record)
            if trainer.epoch != record.epoch,
               let summary = accumulator.finish(accuracy: trainer.model.accuracy(trainer.parameters, on: trainer.dataset)) {
                for (index, value) in [runID, Int64(summary.epoch), Int64(summary.steps), Int64(summary.lastStep)].enumerated() {
                    sqlite3_bind_int64(epoch, Int32(index + 1), value)
                }
                for (index, value) in [summary.meanLoss, summary.accuracy, summary.worstAbsError, summary.worstRelError].enumerated() {
                    sqlite3_bind_double(epoch, Int32(index + 5), value)
                }
                sqlite3_bind_int64(epoch, 9, Int64(summary.failedChecks))
                sqlite3_step(epoch)
                sqlite3_reset(epoch)
            }
        }
        sqlite3_exec(handle, "COMMIT", nil, nil, nil)
        sqlite3_finalize(step)
        sqlite3_finalize(gradient)
        sqlite3_finalize(epoch)
    }
}
