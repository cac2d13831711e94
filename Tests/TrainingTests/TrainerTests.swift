import Testing
@testable import Training

@Suite struct TrainerTests {
    func train(_ data: Dataset, _ configure: (inout TrainingConfig) -> Void) -> (Trainer, [StepRecord]) {
        var config = TrainingConfig()
        configure(&config)
        var trainer = Trainer(dataset: data, config: config)
        var record = StepRecord(parameterCount: trainer.parameters.count)
        var records: [StepRecord] = []
        while trainer.next(into: &record) { records.append(record) }
        return (trainer, records)
    }

    @Test(arguments: [Dataset.and, Dataset.or])
    func trainingLowersTheLossAndLearnsLinearlySeparableData(data: Dataset) {
        let (trainer, records) = train(data) { $0.learningRate = 1; $0.epochs = 2000 }
        #expect(records.last!.loss < records.first!.loss / 10)
        #expect(trainer.model.accuracy(trainer.parameters, on: data) == 1)
        #expect(trainer.divergence == nil)
    }

    @Test func oneNeuronCannotLearnXor() {
        let (trainer, _) = train(.xor) { $0.learningRate = 1; $0.epochs = 2000 }
        #expect(trainer.model.accuracy(trainer.parameters, on: .xor) < 1)
    }

    @Test func eachStepLogsTheValuesBeforeItsUpdate() {
        let (_, records) = train(.lesson) { $0.epochs = 3 }
        for (previous, next) in zip(records, records.dropFirst()) {
            for k in 0..<2 {
                let updated = previous.values[k] - 0.1 * previous.analytic[k]
                #expect(next.values[k].bitPattern == updated.bitPattern)
            }
        }
        #expect(records.map(\.step) == [1, 2, 3])
        #expect(records.map(\.epoch) == [1, 2, 3])
    }

    @Test func miniBatchesVisitEverySampleOncePerEpochInASeededOrder() {
        let data = Dataset(
            name: "ten", featureNames: ["x"], inputs: (0..<10).map(Double.init),
            labels: (0..<10).map { Double($0 % 2) })
        let (trainer, records) = train(data) { $0.batchSize = 3; $0.epochs = 4 }
        #expect(trainer.stepsPerEpoch == 4)
        #expect(records.count == 16)
        #expect(records.map(\.batchSize) == Array(repeating: [3, 3, 3, 1], count: 4).flatMap { $0 })
        #expect(records.map(\.epoch) == [1, 2, 3, 4].flatMap { Array(repeating: $0, count: 4) })
        let (_, again) = train(data) { $0.batchSize = 3; $0.epochs = 4 }
        #expect(again.map(\.loss) == records.map(\.loss))
        let (_, otherSeed) = train(data) { $0.batchSize = 3; $0.epochs = 4; $0.seed = 43 }
        #expect(otherSeed.map(\.loss) != records.map(\.loss))
    }

    @Test func aHugeLearningRateStopsTheRunAsDiverged() {
        let (trainer, records) = train(.and) { $0.learningRate = 1e308; $0.epochs = 50; $0.loss = .textbook }
        #expect(trainer.divergence != nil)
        #expect(records.count < 50)
        #expect(trainer.isFinished)
    }

    @Test func datasetsOtherThanTheLessonStartFromSmallSeededWeights() {
        let first = Trainer(dataset: .and, config: TrainingConfig())
        let second = Trainer(dataset: .and, config: TrainingConfig())
        #expect(first.initialParameters == second.initialParameters)
        #expect(first.initialSource == .random)
        #expect(first.initialParameters.dropLast().allSatisfy { (-0.1..<0.1).contains($0) })
        #expect(first.initialParameters.last == 0)
        var config = TrainingConfig()
        config.weights = [0.25, -0.5]
        config.bias = 2
        let given = Trainer(dataset: .and, config: config)
        #expect(given.initialParameters == [0.25, -0.5, 2])
        #expect(given.initialSource == .given)
    }
}
