/// Why a gradient check failed, as `gradlog check` classifies it.
public enum GradientCause: String, CaseIterable, Sendable {
    /// The chain rule disagrees with the compiler's gradient, which the numeric one confirms: the
    /// backward pass is wrong.
    case wrongBackwardPass = "wrong-backward-pass"
    /// σ(t) − y computed as written for y = 1 and a large logit, losing the residual's digits.
    case cancellation
    /// The unit is saturated: its slope (or the output's residual) is tiny, so the gradient is tiny
    /// and the numeric gradient's round-off, which does not shrink with it, dominates.
    case saturation
    /// The central difference's truncation error (∝ ε²) dominates: a smaller ε does better.
    case epsTooLarge = "eps-too-large"
    /// The round-off error (∝ machine ε / ε) dominates: a larger ε does better.
    case epsTooSmall = "eps-too-small"
    /// The one-sided slopes tend to different values as ε shrinks: the loss has a kink there.
    case kink
    /// The chain rule agrees with the compiler, and no ε makes the numeric gradient agree.
    case unexplained
    /// A run logged from outside: gradlog has no model to recompute anything with.
    case notRecomputable = "not-recomputable"
}

/// The failed checks of one cause in one unit, over a range of steps, with the figures that show
/// the cause (taken at the first of them).
public struct GradientFinding: Sendable {
    /// The cause.
    public let cause: GradientCause
    /// The unit's layer and number (from 1), nil for parameters whose names do not say.
    public let layer: Int?, unit: Int?
    /// The first and last step with such a failed check, and how many there were.
    public internal(set) var firstStep, lastStep: Int64
    public internal(set) var checks: Int
    /// The parameters concerned, in the order they first failed.
    public internal(set) var parameters: [String]
    /// The first such check.
    public let example: StoredCheck
    /// Named figures at the first check: what the classification was decided on.
    public let evidence: [(name: String, value: Double)]

    /// Counts in another failed check of the same cause and unit.
    mutating func add(_ check: StoredCheck) {
        lastStep = check.step
        checks += 1
        if !parameters.contains(check.param) { parameters.append(check.param) }
    }
}
