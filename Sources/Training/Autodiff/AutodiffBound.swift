/// How close the chain rule and the compiler's gradient must be: 4 units in the last place of
/// max(1, |chain rule|, |autodiff|) × max(1, the largest |input| of the data). Both compute the same
/// derivative in another order of operations, so they differ by the rounding of sums whose terms
/// scale with the inputs; the tests hold every workload gradlog trains to it.
public enum AutodiffBound {
    /// True when `chainRule` and `autodiff` agree within the bound, for data whose largest |input| is `inputScale`.
    public static func agrees(_ chainRule: Double, _ autodiff: Double, inputScale: Double = 1) -> Bool {
        abs(chainRule - autodiff) <= 4 * (Swift.max(1, abs(chainRule), abs(autodiff)) * Swift.max(1, inputScale)).ulp
    }

    /// The largest |input| of `data` (0 for none).
    public static func inputScale(of data: Dataset) -> Double {
        data.inputs.reduce(0) { Swift.max($0, abs($1)) }
    }
}
