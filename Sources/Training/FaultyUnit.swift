/// A unit whose chain-rule gradient is wrong on purpose (`gradlog run --fault l1.n2`): a teaching aid
/// that shows a broken backward pass caught by the gradient check in that unit only.
///
/// The fault drops the input factor of the unit's weight gradients: ∂L/∂w is taken as δ instead of
/// δ·input, as if ∂z/∂w were 1, a slip a hand-written backward pass can make. The unit's bias
/// gradient (whose factor is 1 anyway) and every other unit stay right, the slope passed back to the
/// layer below is untouched, and the numeric and automatic gradients, which never use the chain
/// rule, stay right too. Units are named as their parameters are: `l{layer}.n{unit}`, from 1; the
/// single neuron is `l1.n1`.
public struct FaultyUnit: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The layer, from 1 (the first hidden layer; the output layer for the single neuron).
    public let layer: Int
    /// The unit within its layer, from 1.
    public let unit: Int

    /// The unit at `layer` and `unit`.
    public init(layer: Int, unit: Int) {
        self.layer = layer
        self.unit = unit
    }

    /// Reads `l{layer}.n{unit}`, each number a whole number from 1 without a leading zero (at most nine
    /// digits, as `ParameterName`'s); nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].hasPrefix("l"), parts[1].hasPrefix("n"),
              let layer = Self.number(parts[0].dropFirst()), let unit = Self.number(parts[1].dropFirst()) else { return nil }
        self.init(layer: layer, unit: unit)
    }

    /// `l{layer}.n{unit}`.
    public var description: String { "l\(layer).n\(unit)" }

    /// True when the unit holds parameter `place` (as `Model.parameterPlaces` gives it).
    public func holds(_ place: (layer: Int, unit: Int, input: Int?)) -> Bool {
        place.layer == layer && place.unit == unit
    }

    private static func number(_ digits: Substring) -> Int? {
        guard (1...9).contains(digits.count), digits.first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}
