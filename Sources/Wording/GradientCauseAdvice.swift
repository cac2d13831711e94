import Tracker

extension GradientCause {
    /// What a failed check of this cause means and what to do about it, in a few sentences.
    public var advice: String {
        switch self {
        case .wrongBackwardPass:
            "The chain rule disagrees with the compiler's gradient of the same loss, and the numeric gradient sides with the "
                + "compiler: this unit's backward pass is wrong. Check each local slope on its path (for a weight, ∂z/∂w is "
                + "the input it multiplies). A run made with --fault breaks exactly this on purpose."
        case .cancellation:
            "The residual σ(t) − 1 was computed as written for a sample labelled 1 at a large logit: σ(t) rounds towards 1 "
                + "and the difference keeps few correct digits (none from t ≈ 37). Compute it as −σ(−t), as gradlog's "
                + "exact residual does."
        case .saturation:
            "The unit is saturated: its slope (or residual) is tiny, so is the true gradient, while the numeric "
                + "gradient's round-off (about machine ε·|L|/ε) is not. The gradient is right; the relative error is "
                + "inflated. Give the check an absolute tolerance (--atol) above the round-off, or keep the unit out of "
                + "saturation (smaller initial weights or learning rate)."
        case .epsTooLarge:
            "The central difference's truncation error (∝ ε²) dominates: a smaller ε agrees better (best_eps). Use a "
                + "smaller --eps."
        case .epsTooSmall:
            "Round-off (∝ machine ε / ε) dominates: a larger ε agrees better (best_eps). Use a larger --eps; 1e-6 "
                + "suits float64 at this scale."
        case .kink:
            "The forward and backward differences tend to different slopes: the loss has a kink here (as max or |x| "
                + "at 0), where no gradient exists; the check cannot hold at this point."
        case .unexplained:
            "The chain rule agrees with the compiler, but no ε brings the numeric gradient within the tolerance: it may "
                + "be tighter than float64 allows here. See `gradlog check RUN --step N --eps-sweep`."
        case .notRecomputable:
            "Logged from outside: gradlog has no model to evaluate the step again. Run your framework's gradient "
                + "check at this step (torch.autograd.gradcheck, jax.test_util.check_grads)."
        }
    }
}
