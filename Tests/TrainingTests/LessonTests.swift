import Testing
@testable import Training

/// The lesson's worked example, bit for bit: x = 2, w = 0.5, b = -1, y = 1, ε = 1e-6.
@Suite struct LessonTests {
    let batch = [0][...]

    func gradients(_ loss: Loss) -> (analytic: [Double], numeric: [Double]) {
        let neuron = Neuron(inputCount: 1, loss: loss)
        var parameters = [0.5, -1.0]
        var analytic = [0.0, 0.0]
        var numeric = [0.0, 0.0]
        neuron.analyticGradient(parameters, on: .lesson, batch: batch, into: &analytic)
        neuron.numericGradient(&parameters, eps: 1e-6, on: .lesson, batch: batch, into: &numeric)
        return (analytic, numeric)
    }

    @Test func textbookLossReproducesTheLessonsPrintedGradientsExactly() {
        let (analytic, numeric) = gradients(.textbook)
        #expect(analytic[0].bitPattern == (-1.0).bitPattern)
        #expect(numeric[0].bitPattern == (-1.0000000000842668).bitPattern)
    }

    @Test func stableLossGivesNumericGradientsWithin1e9OfTheAnalyticOnes() {
        let (analytic, numeric) = gradients(.stable)
        #expect(analytic[0] == -1.0)
        for k in 0..<2 {
            #expect(abs(analytic[k] - numeric[k]) < 1e-9)
        }
    }

    @Test func numericGradientLeavesTheParametersBitForBitUnchanged() {
        let neuron = Neuron(inputCount: 1, loss: .stable)
        var parameters = [0.1 + 0.2, -1.0 / 3.0]
        let before = parameters.map(\.bitPattern)
        var numeric = [0.0, 0.0]
        neuron.numericGradient(&parameters, eps: 1e-6, on: .lesson, batch: batch, into: &numeric)
        #expect(parameters.map(\.bitPattern) == before)
    }

    @Test func theDefaultRunStartsFromTheLessonsValues() {
        let trainer = Trainer(dataset: .lesson, config: TrainingConfig())
        #expect(trainer.initialParameters == [0.5, -1.0])
        #expect(trainer.initialSource == .lesson)
        #expect(trainer.parameterNames == ["w", "b"])
    }
}
