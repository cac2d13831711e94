import Testing
@testable import Training
@testable import Tracker

/// The kink rule of `gradlog check`: one-sided differences that stay apart as ε shrinks.
@Suite struct KinkTests {
    /// Sweep rows of a function of one parameter with the given one-sided slopes at each ε.
    func rows(_ slopes: (Double) -> (forward: Double, backward: Double), truth: Double) -> [EpsilonSweep.Row] {
        EpsilonSweep.defaultEpsilons.map { eps in
            let (forward, backward) = slopes(eps)
            let numeric = (forward + backward) / 2
            return EpsilonSweep.Row(parameter: 0, eps: eps, numeric: numeric, forward: forward, backward: backward,
                                    absoluteError: abs(numeric - truth), relativeError: 0, autodiffError: abs(numeric - truth))
        }
    }

    @Test func theSlopesOfAbsoluteValueAtZeroAreAKink() throws {
        // |x + 0.3| at x = 0 has no kink; |x| at 0 has slopes 1 and -1 on either side.
        let kinked = rows({ _ in (1, -1) }, truth: 0)
        let best = kinked.min { $0.autodiffError < $1.autodiffError }
        #expect(CheckClassifier.kink(kinked, best: best, allowed: 1e-5) != nil)
    }

    @Test func aSmoothFunctionsSlopesComeTogetherAsEpsilonShrinks() throws {
        // x² at x = 1: forward 2 + ε, backward 2 − ε.
        let smooth = rows({ eps in (2 + eps, 2 - eps) }, truth: 2)
        let best = smooth.first { $0.eps == 1e-6 }
        #expect(CheckClassifier.kink(smooth, best: best, allowed: 1e-5) == nil)
    }
}
