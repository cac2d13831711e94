/// The numeric gradient of one step recomputed for a range of ε, beside the chain rule's and the
/// compiler's, to show the V that the error of a central difference draws against ε: truncation
/// (∝ ε²) on the right, round-off (∝ machine ε / ε) on the left.
///
/// Every figure is the plain float64 formula: numeric = (L(θ + εeₖ) − L(θ − εeₖ)) / 2ε with the
/// run's own loss and summation order (`CentralDifference`), so an independent implementation of
/// the same formula reproduces each one to the last bit.
public struct EpsilonSweep: Sendable {
    /// One parameter at one ε.
    public struct Row: Equatable, Sendable {
        /// The parameter's index in storage order.
        public let parameter: Int
        /// The step of the difference.
        public let eps: Double
        /// The central difference at this ε.
        public let numeric: Double
        /// The forward difference (L(θ + εeₖ) − L(θ)) / ε and the backward one (L(θ) − L(θ − εeₖ)) / ε:
        /// at a kink they tend to different slopes as ε shrinks.
        public let forward, backward: Double
        /// |analytic − numeric|.
        public let absoluteError: Double
        /// |analytic − numeric| / max(|analytic|, |numeric|) (`GradientCheck.relativeError`).
        public let relativeError: Double
        /// |autodiff − numeric|, NaN without automatic differentiation.
        public let autodiffError: Double
    }

    /// The powers of ten from 1e-1 to 1e-13, the default range.
    public static let defaultEpsilons = powersOfTen(from: -1, through: -13)

    /// The chain-rule gradient at the step's parameters.
    public let analytic: [Double]
    /// The compiler's gradient there (NaN everywhere without automatic differentiation).
    public let autodiff: [Double]
    /// One row per parameter asked for and ε, parameters in the order asked, ε as given.
    public let rows: [Row]

    /// What the differences are measured against at one point: the loss there and both exact gradients.
    public struct Exact: Sendable {
        /// The mean loss over the batch.
        public let loss: Double
        /// The chain rule's gradient and the compiler's (NaN without automatic differentiation).
        public let analytic, autodiff: [Double]

        /// Evaluates `model` at `parameters` over `batch`.
        public init(_ model: Model, at parameters: [Double], on data: Dataset, batch: ArraySlice<Int>) {
            loss = model.meanLoss(parameters, on: data, batch: batch)
            analytic = model.analyticGradient(parameters, on: data, batch: batch)
            var compiled = Array(repeating: Double.nan, count: parameters.count)
            AutodiffGradient.compute(model, parameters, on: data, batch: batch, into: &compiled)
            autodiff = compiled
        }
    }

    /// Sweeps `epsilons` for the parameters at `indices` of `model` at `parameters` over `batch`,
    /// against `exact` when the point was evaluated already.
    public init(_ model: Model, at parameters: [Double], exact: Exact? = nil, on data: Dataset, batch: ArraySlice<Int>,
                epsilons: [Double], indices: [Int]) {
        let exact = exact ?? Exact(model, at: parameters, on: data, batch: batch)
        (analytic, autodiff) = (exact.analytic, exact.autodiff)
        let (center, analytic, compiled) = (exact.loss, exact.analytic, exact.autodiff)
        var theta = parameters
        var rows: [Row] = []
        for k in indices {
            for eps in epsilons {
                let original = theta[k]
                theta[k] = original + eps
                let above = model.meanLoss(theta, on: data, batch: batch)
                theta[k] = original - eps
                let below = model.meanLoss(theta, on: data, batch: batch)
                theta[k] = original
                // The same expression as CentralDifference, so the run's own ε gives the stored number.
                let numeric = (above - below) / (2 * eps)
                rows.append(Row(parameter: k, eps: eps, numeric: numeric, forward: (above - center) / eps,
                                backward: (center - below) / eps,
                                absoluteError: GradientCheck.absoluteError(analytic: analytic[k], numeric: numeric),
                                relativeError: GradientCheck.relativeError(analytic: analytic[k], numeric: numeric),
                                autodiffError: abs(compiled[k] - numeric)))
            }
        }
        self.rows = rows
    }

    /// The ε with the smallest error against the analytic gradient (or, with `autodiff`, against the
    /// compiler's) for parameter `k`; nil when no error is a number.
    public func bestEpsilon(of k: Int, againstAutodiff: Bool = false) -> Double? {
        rows.filter { $0.parameter == k }.min { a, b in
            let (x, y) = againstAutodiff ? (a.autodiffError, b.autodiffError) : (a.absoluteError, b.absoluteError)
            return x.isNaN ? false : (y.isNaN || x < y)
        }.flatMap { row in (againstAutodiff ? row.autodiffError : row.absoluteError).isNaN ? nil : row.eps }
    }

    /// 10^k for k from `first` through `last` (either direction), each the double nearest to its
    /// decimal form (`1e-7` as written, not 0.1 multiplied seven times).
    public static func powersOfTen(from first: Int, through last: Int) -> [Double] {
        stride(from: first, through: last, by: first <= last ? 1 : -1).map { Double("1e\($0)")! }
    }
}
