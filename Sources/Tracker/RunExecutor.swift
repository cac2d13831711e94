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
}

/// Trains a requested run and logs every step into a store.
public enum RunExecutor {
    /// Validates the request, trains, logs every step and returns how the run ended.
    ///
    /// Nothing is written when the request is invalid. When writing fails midway, the run is marked
    /// `failed` with the error, keeping the steps committed before it.
    public static func execute(
        _ request: RunRequest, in store: Store, commitInterval: Double = 1.0
    ) throws(TrackerError) -> RunOutcome {
        try request.validate()
        var trainer = Trainer(dataset: request.dataset, config: request.config)
        let recorder = try store.attempt {
            try RunRecorder(store: store, request: request, trainer: trainer, commitInterval: commitInterval)
        }
        do {
            var record = StepRecord(parameterCount: trainer.parameters.count)
            while trainer.next(into: &record) {
                try recorder.log(record)
            }
            let status: RunStatus = trainer.divergence == nil ? .finished : .diverged
            try recorder.finish(status: status, error: trainer.divergence?.description, parameters: trainer.parameters)
            return RunOutcome(runID: recorder.runID, status: status, divergence: trainer.divergence)
        } catch {
            recorder.abandon(error: "\(error)")
            throw store.wrap(error)
        }
    }
}
