import Testing
@testable import Training

@Suite struct TrainingConfigTests {
    func problems(_ configure: (inout TrainingConfig) -> Void, on data: Dataset = .lesson) -> [ConfigProblem.Setting] {
        var config = TrainingConfig()
        configure(&config)
        return config.problems(for: data).map(\.setting)
    }

    @Test func theDefaultsAreValid() {
        #expect(problems { _ in }.isEmpty)
    }

    @Test func eachBadValueIsNamedByItsSetting() {
        #expect(problems { $0.learningRate = 0 } == [.learningRate])
        #expect(problems { $0.learningRate = .infinity } == [.learningRate])
        #expect(problems { $0.learningRate = .nan } == [.learningRate])
        #expect(problems { $0.epochs = 0 } == [.epochs])
        #expect(problems { $0.eps = -1e-6 } == [.eps])
        #expect(problems { $0.check.atol = -1 } == [.atol])
        #expect(problems { $0.check.rtol = .nan } == [.rtol])
        #expect(problems { $0.batchSize = 2 } == [.batchSize])
        #expect(problems({ $0.batchSize = 0 }, on: .and) == [.batchSize])
        #expect(problems { $0.weights = [1, 2] } == [.weights])
        #expect(problems { $0.bias = .infinity } == [.bias])
        #expect(problems { $0.seed = UInt64.max } == [.seed])
    }

    @Test func aProblemCarriesTheRuleAndTheFactsToWordIt() {
        var config = TrainingConfig()
        config.batchSize = 5
        #expect(config.problems(for: .and) == [
            ConfigProblem(setting: .batchSize, value: "5", rule: .batchSize(samples: 4, dataset: "and")),
        ])
    }
}
