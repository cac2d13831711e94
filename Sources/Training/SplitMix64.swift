/// Sebastiano Vigna's SplitMix64: a tiny, fast, fully specified 64-bit generator.
///
/// gradlog owns this code instead of using the standard library's generator so that the same
/// seed gives the same numbers on every machine and every Swift version.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose whole future is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A Double uniformly spread over [0, 1), from the top 53 bits of the next value.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// An integer in 0..<bound, by Lemire's multiply-high method (no division, no retry loop).
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Shuffles `items` in place by Fisher-Yates, drawing one value per position from the top down.
    public mutating func shuffle<T>(_ items: inout [T]) {
        var index = items.count - 1
        while index > 0 {
            items.swapAt(index, nextIndex(below: index + 1))
            index -= 1
        }
    }
}
