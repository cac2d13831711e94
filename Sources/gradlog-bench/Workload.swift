import Training

/// One benchmark workload: a dataset, a batch size, hidden layers and a number of steps.
struct Workload {
    let label: String
    let dataset: Dataset
    let batchSize: Int
    let steps: Int
    var hidden: [Int] = []

    /// The lesson: 2 parameters, 1 sample, one step per epoch.
    static func lesson(steps: Int) -> Workload {
        Workload(label: "lesson", dataset: .lesson, batchSize: 1, steps: steps)
    }

    /// `and` in mini-batches of 2: 3 parameters, 2 steps per epoch.
    static func miniBatch(steps: Int) -> Workload {
        Workload(label: "and/2", dataset: .and, batchSize: 2, steps: steps)
    }

    /// `xor` through one hidden layer of 4 units: 17 parameters, full batch.
    static func layered(steps: Int) -> Workload {
        Workload(label: "xor/h4", dataset: .xor, batchSize: 4, steps: steps, hidden: [4])
    }

    var stepsPerEpoch: Int { (dataset.sampleCount + batchSize - 1) / batchSize }

    var config: TrainingConfig {
        var config = TrainingConfig()
        config.epochs = steps / stepsPerEpoch
        config.batchSize = batchSize
        config.hidden = hidden
        return config
    }

    /// The `gradlog run` arguments for the same workload.
    var runArguments: [String] {
        ["run", "--dataset", dataset.name, "--batch-size", "\(batchSize)", "--epochs", "\(config.epochs)", "--csv"]
            + (hidden.isEmpty ? [] : ["--hidden", hidden.map(String.init).joined(separator: ",")])
    }
}
