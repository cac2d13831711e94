import Testing
@testable import Training

@Suite struct GradientTests {
    /// A random point with the logit kept moderate, where a central difference is accurate.
    func randomPoint(_ generator: inout SplitMix64, inputs: Int) -> (Dataset, [Double]) {
        let x = (0..<(inputs * 3)).map { _ in generator.nextUnitDouble() * 4 - 2 }
        let y = (0..<3).map { _ in Double(generator.nextIndex(below: 2)) }
        let parameters = (0...inputs).map { _ in generator.nextUnitDouble() * 2 - 1 }
        let data = Dataset(name: "random", featureNames: (1...inputs).map { "x\($0)" }, inputs: x, labels: y)
        return (data, parameters)
    }

    @Test(arguments: Loss.allCases)
    func analyticAndNumericGradientsAgreeAtManyRandomPoints(loss: Loss) {
        var generator = SplitMix64(seed: 7)
        for trial in 0..<500 {
            let (data, start) = randomPoint(&generator, inputs: 1 + trial % 3)
            let neuron = Neuron(inputCount: data.inputCount, loss: loss)
            var parameters = start
            var analytic = Array(repeating: 0.0, count: parameters.count)
            var numeric = analytic
            neuron.analyticGradient(parameters, on: data, batch: [0, 1, 2][...], into: &analytic)
            neuron.numericGradient(&parameters, eps: 1e-6, on: data, batch: [0, 1, 2][...], into: &numeric)
            for k in parameters.indices {
                let relative = GradientCheck.relativeError(analytic: analytic[k], numeric: numeric[k])
                #expect(relative < 1e-6 || abs(analytic[k] - numeric[k]) < 1e-9,
                        "trial \(trial) parameter \(k): \(analytic[k]) vs \(numeric[k])")
            }
        }
    }

    @Test func stableAndTextbookLossesAgreeWhereTheNeuronIsNotSaturated() {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<1000 {
            let t = generator.nextUnitDouble() * 20 - 10
            for y in [0.0, 1.0] {
                let stable = Loss.stable.value(logit: t, label: y)
                let textbook = Loss.textbook.value(logit: t, label: y)
                #expect(abs(stable - textbook) <= 1e-12 * max(1, abs(stable)), "t = \(t), y = \(y)")
            }
        }
    }

    @Test func stableLossStaysFiniteWhenTheNeuronSaturates() {
        for t in [800.0, -800.0] {
            for y in [0.0, 1.0] {
                #expect(Loss.stable.value(logit: t, label: y).isFinite)
            }
        }
        #expect(Loss.stable.value(logit: -800, label: 1) == 800)
        #expect(Loss.textbook.value(logit: -800, label: 1).isInfinite)
    }

    @Test func gradientCheckFollowsTheDocumentedRule() {
        let check = GradientCheck(atol: 1e-5, rtol: 1e-3)
        #expect(check.passes(analytic: 1.0, numeric: 1.0 + 1e-3))
        #expect(!check.passes(analytic: 1.0, numeric: 1.1))
        #expect(!check.passes(analytic: .nan, numeric: 1))
        #expect(GradientCheck.relativeError(analytic: 0, numeric: 0) == 0)
        #expect(GradientCheck.relativeError(analytic: 2, numeric: 1) == 0.5)
        #expect(GradientCheck.absoluteError(analytic: -0.0, numeric: 0.0).sign == .plus)
    }
}
