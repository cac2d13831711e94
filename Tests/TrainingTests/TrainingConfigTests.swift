import Testing
@testable import Training

@Suite struct TrainingConfigTests {
    func problems(_ configure: (inout TrainingConfig) -> Void, on data: Dataset = .lesson) -> [String] {
        var config = TrainingConfig()
        configure(&config)
        return config.problems(for: data).map(\.option)
    }

    @Test func theDefaultsAreValid() {
        #expect(problems { _ in }.isEmpty)
    }

    @Test func eachBadValueIsNamedByItsOption() {
        #expect(problems { $0.learningRate = 0 } == ["lr"])
        #expect(problems { $0.learningRate = .infinity } == ["lr"])
        #expect(problems { $0.learningRate = .nan } == ["lr"])
        #expect(problems { $0.epochs = 0 } == ["epochs"])
        #expect(problems { $0.eps = -1e-6 } == ["eps"])
        #expect(problems { $0.check.atol = -1 } == ["atol"])
        #expect(problems { $0.check.rtol = .nan } == ["rtol"])
        #expect(problems { $0.batchSize = 2 } == ["batch-size"])
        #expect(problems({ $0.batchSize = 0 }, on: .and) == ["batch-size"])
        #expect(problems { $0.weights = [1, 2] } == ["w"])
        #expect(problems { $0.bias = .infinity } == ["b"])
        #expect(problems { $0.seed = UInt64.max } == ["seed"])
    }

    @Test func aProblemSaysWhatIsAllowed() {
        var config = TrainingConfig()
        config.batchSize = 5
        let message = config.problems(for: .and).first?.description
        #expect(message == "--batch-size 5 is not allowed: expected a whole number from 1 to 4, the number of samples in and")
    }
}
