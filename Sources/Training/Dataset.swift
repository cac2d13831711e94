/// Labelled training samples: n numeric inputs per sample and a label of 0 or 1.
public struct Dataset: Equatable, Sendable {
    /// Where the samples came from: a built-in name or a file path.
    public let name: String
    /// One name per input, e.g. `x` for the lesson or a CSV file's header names.
    public let featureNames: [String]
    /// The inputs, row by row: sample i's input j is `inputs[i * inputCount + j]`.
    public let inputs: [Double]
    /// One label per sample, 0 or 1.
    public let labels: [Double]

    /// Creates a dataset; the inputs are row by row and must hold `labels.count * featureNames.count` values.
    public init(name: String, featureNames: [String], inputs: [Double], labels: [Double]) {
        precondition(inputs.count == labels.count * featureNames.count, "inputs do not fill the rows")
        self.name = name
        self.featureNames = featureNames
        self.inputs = inputs
        self.labels = labels
    }

    /// The number of inputs of each sample.
    public var inputCount: Int { featureNames.count }

    /// The number of samples.
    public var sampleCount: Int { labels.count }

    /// The inputs of one sample.
    public func inputs(ofSample sample: Int) -> ArraySlice<Double> {
        inputs[(sample * inputCount)..<((sample + 1) * inputCount)]
    }

    /// The share of samples whose prediction (1 when `logit(sample)` is ≥ 0, that is a ≥ 0.5)
    /// equals the label: the neuron's and the network's accuracy alike.
    @inlinable
    public func accuracy(logit: (Int) -> Double) -> Double {
        var correct = 0
        for sample in 0..<sampleCount {
            let predicted: Double = logit(sample) >= 0 ? 1 : 0
            if predicted == labels[sample] { correct += 1 }
        }
        return Double(correct) / Double(sampleCount)
    }
}

extension Dataset {
    /// The lesson's single sample: x = 2 with label 1.
    public static let lesson = Dataset(name: "lesson", featureNames: ["x"], inputs: [2], labels: [1])

    /// Logical AND of two inputs.
    public static let and = truthTable(name: "and") { $0 && $1 }
    /// Logical OR of two inputs.
    public static let or = truthTable(name: "or") { $0 || $1 }
    /// Exclusive OR of two inputs: not linearly separable, so one neuron cannot learn it.
    public static let xor = truthTable(name: "xor") { $0 != $1 }

    /// The datasets that can be named instead of a file.
    public static let builtIns: [Dataset] = [.lesson, .and, .or, .xor]

    /// The built-in dataset with this name, if there is one.
    public static func builtIn(named name: String) -> Dataset? {
        builtIns.first { $0.name == name }
    }

    private static func truthTable(name: String, _ rule: (Bool, Bool) -> Bool) -> Dataset {
        var inputs: [Double] = []
        var labels: [Double] = []
        for (a, b) in [(false, false), (false, true), (true, false), (true, true)] {
            inputs += [a ? 1 : 0, b ? 1 : 0]
            labels.append(rule(a, b) ? 1 : 0)
        }
        return Dataset(name: name, featureNames: ["x1", "x2"], inputs: inputs, labels: labels)
    }
}
