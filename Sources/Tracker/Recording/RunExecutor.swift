import SQLiteDB
import Training

/// What happened to a run: its id, how it ended and its summary figures.
public struct RunOutcome: Sendable {
    /// The run's id in the database.
    public let runID: Int64
    /// How the run ended.
    public let status: RunStatus
    /// Why it diverged, when it did.
    public let divergence: Trainer.Divergence?
    /// The signal that stopped it, when one did.
    public let signal: Int32?
    /// How many steps were logged.
    public let steps: Int
}

/// How far a run has come, for a progress display.
public struct RunProgress: Sendable {
    /// Steps logged so far.
    public let steps: Int
    /// Steps the run will take if it neither diverges nor is stopped.
    public let plannedSteps: Int
    /// The loss of the last step.
    public let loss: Double
    /// The largest relative gradient-check error so far (NaN once one was NaN), nil before the first.
    public let worstRelativeError: Double?
}

/// A signal's usual name, e.g. SIGINT for 2.
public func signalName(_ number: Int32) -> String {
    switch number {
    case 1: "SIGHUP"
    case 2: "SIGINT"
    case 15: "SIGTERM"
    default: "signal \(number)"
    }
}

/// Trains a requested run and logs every step into a store.
public enum RunExecutor {
    /// Validates the request, trains, logs every step and returns how the run ended.
    ///
    /// Nothing is written when the request is invalid. When writing fails midway, the run is marked
    /// `failed` with the error, keeping the steps committed before it. `stopRequested` is asked
    /// after every step; when it names a signal, the run commits and ends as `interrupted`.
    /// `progress` is told how far the run has come every `progressInterval` steps.
    public static func execute(
        _ request: RunRequest, in store: Store, commitInterval: Double = RunRecorder.defaultCommitInterval,
        stopRequested: () -> Int32? = { nil }, progress: ((RunProgress) -> Void)? = nil
    ) throws(TrackerError) -> RunOutcome {
        try request.validate()
        var trainer = Trainer(dataset: request.dataset, config: request.config)
        let recorder = try store.attempt {
            try RunRecorder(store: store, request: request, trainer: trainer, commitInterval: commitInterval)
        }
        do {
            var record = StepRecord(parameterCount: trainer.parameters.count)
            var signal: Int32?
            while signal == nil && trainer.next(into: &record) {
                // The trainer moved on to the next epoch: its parameters are the epoch's end values.
                try recorder.log(record, endOfEpoch: trainer.epoch != record.epoch ? trainer.parameters : nil)
                signal = stopRequested()
                // Every few hundred steps, so that the hot path pays next to nothing for it.
                if let progress, record.step % progressInterval == 0 {
                    progress(RunProgress(steps: record.step, plannedSteps: trainer.plannedSteps, loss: record.loss,
                                         worstRelativeError: recorder.worstRelativeError))
                }
            }
            let (status, error) = ending(trainer, signal: signal)
            try recorder.finish(status: status, error: error, parameters: trainer.parameters)
            return RunOutcome(
                runID: recorder.runID, status: status, divergence: trainer.divergence, signal: signal,
                steps: trainer.stepCount)
        } catch {
            recorder.abandon(error: "\(error)")
            throw store.wrap(error)
        }
    }

    /// How many steps pass between two calls of `execute`'s `progress`.
    public static let progressInterval = 256

    private static func ending(_ trainer: Trainer, signal: Int32?) -> (RunStatus, String?) {
        if let divergence = trainer.divergence { return (.diverged, divergence.description) }
        if let signal { return (.interrupted, "stopped by \(signalName(signal)) after step \(trainer.stepCount)") }
        return (.finished, nil)
    }
}
