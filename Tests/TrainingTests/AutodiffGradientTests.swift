import Testing
@testable import Training

@Suite struct AutodiffGradientTests {
    /// The bound the chain rule and automatic differentiation are held to: 4 units in the last place
    /// of the larger of 1 and the two gradients (docs/computed.md states it).
    static func agree(_ chainRule: Double, _ autodiff: Double) -> Bool {
        abs(chainRule - autodiff) <= 4 * Swift.max(1, abs(chainRule), abs(autodiff)).ulp
    }

    @Test func theCompilersGradientOfTheLessonIsMinusOneAndMinusOneHalf() {
        for loss in Loss.allCases {
            var gradient = [0.0, 0.0]
            AutodiffGradient.compute(.neuron(Neuron(inputCount: 1, loss: loss)), [0.5, -1], on: .lesson, batch: [0][...],
                                     into: &gradient)
            #expect(gradient == [-1.0, -0.5], "\(loss)")
        }
    }

    /// Trains `config` on `data` and compares the two gradients at every step.
    func worstDisagreement(_ data: Dataset, _ config: TrainingConfig) -> (steps: Int, failures: [String]) {
        var config = config
        config.autodiff = true
        var trainer = Trainer(dataset: data, config: config)
        var record = StepRecord(parameterCount: trainer.parameters.count)
        var failures: [String] = []
        while trainer.next(into: &record) {
            // The textbook loss of a saturated sample is NaN or infinite (log 0), and so is its derivative.
            guard record.loss.isFinite else {
                if record.autodiff.contains(where: \.isFinite) && config.loss == .textbook { failures.append("step \(record.step): finite autodiff") }
                continue
            }
            for k in record.analytic.indices where !Self.agree(record.analytic[k], record.autodiff[k]) {
                failures.append("step \(record.step) \(trainer.parameterNames[k]): \(record.analytic[k]) vs \(record.autodiff[k])")
            }
        }
        return (trainer.stepCount, failures)
    }

    @Test(arguments: Loss.allCases)
    func theChainRuleAgreesWithAutodiffOnEveryBuiltInWorkload(loss: Loss) {
        let workloads: [(Dataset, [Int], Activation, Int?)] = [
            (.lesson, [], .sigmoid, nil), (.and, [], .sigmoid, nil), (.or, [], .sigmoid, 2),
            (.xor, [4], .sigmoid, nil), (.xor, [4], .tanh, 1), (.xor, [3, 2], .tanh, nil), (.xor, [2, 3], .sigmoid, 3),
        ]
        for (data, hidden, activation, batch) in workloads {
            for residual in Residual.allCases {
                var config = TrainingConfig()
                (config.loss, config.residual, config.hidden, config.activation) = (loss, residual, hidden, activation)
                (config.epochs, config.learningRate, config.batchSize) = (150, 0.5, batch)
                let (steps, failures) = worstDisagreement(data, config)
                #expect(steps >= 150 && failures.isEmpty, "\(data.name) \(hidden) \(activation) \(residual): \(failures.prefix(3))")
            }
        }
    }

    @Test func theChainRuleAgreesWithAutodiffOnDataWithManyInputsAndASaturatedNeuron() {
        var generator = SplitMix64(seed: 11)
        let inputs = (0..<(5 * 40)).map { _ in generator.nextUnitDouble() * 20 - 10 }
        let labels = (0..<40).map { _ in Double(generator.nextIndex(below: 2)) }
        let data = Dataset(name: "random", featureNames: (1...5).map { "x\($0)" }, inputs: inputs, labels: labels)
        for loss in Loss.allCases {
            var config = TrainingConfig()
            // A large rate drives the logits far from 0, where the sigmoid saturates.
            (config.loss, config.epochs, config.learningRate, config.batchSize) = (loss, 200, 5, 8)
            let (steps, failures) = worstDisagreement(data, config)
            #expect(steps > 0 && failures.isEmpty, "\(loss): \(failures.prefix(3))")
        }
    }

    @Test func aStepWithoutACheckHasNoAutodiffGradient() {
        var config = TrainingConfig()
        (config.autodiff, config.checkEvery, config.epochs) = (true, 3, 4)
        var trainer = Trainer(dataset: .lesson, config: config)
        var record = StepRecord(parameterCount: 2)
        var checked: [Int] = []
        while trainer.next(into: &record) {
            if record.autodiff.allSatisfy(\.isFinite) { checked.append(record.step) }
            #expect(record.autodiff.allSatisfy(\.isNaN) == !record.checked)
        }
        #expect(checked == [1, 4])
    }
}
