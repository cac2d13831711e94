import Testing
@testable import Training

@Suite struct AutodiffGradientTests {
    @Test func theCompilersGradientOfTheLessonIsMinusOneAndMinusOneHalf() {
        for loss in Loss.allCases {
            var gradient = [0.0, 0.0]
            AutodiffGradient.compute(.neuron(Neuron(inputCount: 1, loss: loss)), [0.5, -1], on: .lesson, batch: [0][...],
                                     into: &gradient)
            #expect(gradient == [-1.0, -0.5], "\(loss)")
        }
    }

    /// Trains `config` on `data` and compares the two gradients at every step; also counts the
    /// steps whose loss says a sample was saturated on the wrong side (a loss above 10, or log 0).
    func worstDisagreement(_ data: Dataset, _ config: TrainingConfig) -> (steps: Int, failures: [String], saturated: Int) {
        var config = config
        config.autodiff = true
        var trainer = Trainer(dataset: data, config: config)
        var record = StepRecord(parameterCount: trainer.parameters.count)
        var failures: [String] = []
        var saturated = 0
        while trainer.next(into: &record) {
            if !(record.loss <= 10) { saturated += 1 }
            // The trainer's textbook loss of a saturated sample is NaN or infinite (log 0), where the
            // compiler's, written with σ(−t) for 1 − σ(t), still has a slope: nothing to compare.
            guard record.loss.isFinite else { continue }
            let scale = AutodiffBound.inputScale(of: data)
            for k in record.analytic.indices where !AutodiffBound.agrees(record.analytic[k], record.autodiff[k], inputScale: scale) {
                failures.append("step \(record.step) \(trainer.parameterNames[k]): \(record.analytic[k]) vs \(record.autodiff[k])")
            }
        }
        return (trainer.stepCount, failures, saturated)
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
                // 50 epochs, every step compared; the saturated neuron below covers weights far from their start.
                (config.epochs, config.learningRate, config.batchSize) = (50, 0.5, batch)
                let (steps, failures, _) = worstDisagreement(data, config)
                #expect(steps >= 50 && failures.isEmpty, "\(data.name) \(hidden) \(activation) \(residual): \(failures.prefix(3))")
            }
        }
    }

    @Test(arguments: [10.0, 1_000.0])
    func theChainRuleAgreesWithAutodiffOnDataWithManyInputsAndASaturatedNeuron(inputScale: Double) {
        var generator = SplitMix64(seed: 11)
        let inputs = (0..<(5 * 40)).map { _ in (generator.nextUnitDouble() * 2 - 1) * inputScale }
        let labels = (0..<40).map { _ in Double(generator.nextIndex(below: 2)) }
        let data = Dataset(name: "random", featureNames: (1...5).map { "x\($0)" }, inputs: inputs, labels: labels)
        for loss in Loss.allCases {
            for hidden in [[], [3]] {
                var config = TrainingConfig()
                // A large rate drives the logits far from 0, where the sigmoid saturates within a
                // few steps: 25 epochs (125 steps) spend most of their steps there.
                (config.loss, config.epochs, config.learningRate, config.batchSize, config.hidden) = (loss, 25, 50 / inputScale, 8, hidden)
                let (steps, failures, saturated) = worstDisagreement(data, config)
                #expect(steps > 0 && failures.isEmpty, "\(loss) \(hidden): \(failures.prefix(3))")
                // The neuron saturates on the wrong side of some samples (the hidden units of the network
                // saturate without the loss showing it).
                if hidden.isEmpty { #expect(saturated > steps / 4, "\(loss): \(saturated) of \(steps) steps saturated") }
            }
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
