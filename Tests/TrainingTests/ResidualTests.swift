#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Training

/// The analytic gradient keeps full relative precision for confident correct positives: against a
/// 64-bit-mantissa (Float80) reference of σ(t) - 1 = -σ(-t), at logits where σ(t) - 1 cancels.
@Suite struct ResidualTests {
    /// ∂L/∂w for one sample x = 1, y = 1 at logit t (w = t, b = 0).
    func gradient(atLogit t: Double, _ residual: Residual) -> Double {
        let data = Dataset(name: "one", featureNames: ["x"], inputs: [1], labels: [1])
        var gradient = [0.0, 0.0]
        Neuron(inputCount: 1, loss: .stable, residual: residual).analyticGradient([t, 0], on: data, batch: [0], into: &gradient)
        return gradient[0]
    }

    /// -σ(-t) = -1 / (1 + e^t) with 11 more bits than a Double.
    func reference(atLogit t: Double) -> Double {
        Double(-1 / (1 + expl(Float80(t))))
    }

    @Test(arguments: [-30.0, -1, 0, 0.25, 1, 5, 17, 20, 36, 37, 40, 100, 700])
    func theExactResidualIsRightToTheLastBitsAtEveryLogit(t: Double) {
        let expected = reference(atLogit: t)
        let relative = abs(gradient(atLogit: t, .exact) - expected) / abs(expected)
        #expect(relative <= 4 * Double.ulpOfOne, "t = \(t): relative error \(relative)")
    }

    @Test func theDifferenceFormCancelsWhichIsWhyOldRunsKeepIt() {
        #expect(gradient(atLogit: 40, .difference) == 0)  // σ(40) rounds to 1
        let relative = abs(gradient(atLogit: 20, .difference) - reference(atLogit: 20)) / abs(reference(atLogit: 20))
        #expect(relative > 1e-9)
        // Where σ(t) - y does not cancel, both forms give the same bits: a label 0, or t near 0.
        let zero = Dataset(name: "zero", featureNames: ["x"], inputs: [1], labels: [0])
        var exact = [0.0, 0.0], difference = [0.0, 0.0]
        Neuron(inputCount: 1, loss: .stable, residual: .exact).analyticGradient([3, 0], on: zero, batch: [0], into: &exact)
        Neuron(inputCount: 1, loss: .stable, residual: .difference).analyticGradient([3, 0], on: zero, batch: [0], into: &difference)
        #expect(exact == difference)
        #expect(gradient(atLogit: 0, .exact) == gradient(atLogit: 0, .difference))
    }
}
