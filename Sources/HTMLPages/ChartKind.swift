import Training

/// A chart of a run: gradlog's own four, or one of its metrics by name.
public enum ChartKind: Equatable, Sendable {
    case loss, accuracy, params, gradcheck
    case metric(String)

    /// gradlog's own charts, which win over a metric of the same name.
    public static let builtIn: [ChartKind] = [.loss, .accuracy, .params, .gradcheck]

    /// The chart a name gives: one of gradlog's own, else a metric with a safe name.
    public init?(argument: String) {
        if let kind = Self.builtIn.first(where: { $0.name == argument }) {
            self = kind
        } else if ParameterName.isSafe(argument) {
            self = .metric(argument)
        } else {
            return nil
        }
    }

    /// The name given to --chart.
    public var name: String {
        switch self {
        case .loss: "loss"
        case .accuracy: "accuracy"
        case .params: "params"
        case .gradcheck: "gradcheck"
        case .metric(let name): name
        }
    }
}
