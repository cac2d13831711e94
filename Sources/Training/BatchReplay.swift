/// The batches of a run replayed without training: which samples any step used, found by drawing
/// the same shuffles as the trainer, without a forward or backward pass.
public struct BatchReplay: Sendable {
    private let start: SplitMix64
    private var generator: SplitMix64
    private var order: [Int]
    private let batchSize: Int
    private let sampleCount: Int
    /// The epoch whose order `order` holds (0 before the first).
    private var epoch = 0

    init(generator: SplitMix64, sampleCount: Int, batchSize: Int) {
        start = generator
        self.generator = generator
        order = Array(0..<sampleCount)
        self.batchSize = batchSize
        self.sampleCount = sampleCount
    }

    /// Steps in each epoch.
    public var stepsPerEpoch: Int { (sampleCount + batchSize - 1) / batchSize }

    /// The samples of step `step` (from 1), in the order the trainer took them. Cheapest when the
    /// steps asked for never decrease: each epoch's shuffle is drawn once.
    public mutating func batch(ofStep step: Int) -> ArraySlice<Int> {
        let target = (step - 1) / stepsPerEpoch + 1
        if target < epoch {
            generator = start
            order = Array(0..<sampleCount)
            epoch = 0
        }
        // The trainer shuffles at the start of every epoch when a batch is smaller than the data.
        while epoch < target {
            if batchSize < sampleCount { generator.shuffle(&order) }
            epoch += 1
        }
        let first = ((step - 1) % stepsPerEpoch) * batchSize
        return order[first..<min(first + batchSize, sampleCount)]
    }
}

extension Trainer {
    /// The replay of this run's batches; meaningful before the first step.
    public func batchReplay() -> BatchReplay {
        BatchReplay(generator: startGenerator, sampleCount: dataset.sampleCount, batchSize: config.effectiveBatchSize(for: dataset))
    }
}
