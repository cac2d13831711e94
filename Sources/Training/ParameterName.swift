/// The grammar of the parameter names gradlog writes: `w` (one input) or `w1`…`wn`, then `b`; and,
/// for layered networks, `l{layer}.n{unit}.w{input}` and `l{layer}.n{unit}.b`, numbered from 1.
///
/// Names read back from a file are checked against it before they go anywhere near SQL text or a
/// terminal: a file changed outside gradlog could hold any text there.
public enum ParameterName {
    /// True when `name` is one gradlog could have written.
    public static func isValid(_ name: String) -> Bool {
        var rest = Substring(name)
        if rest.hasPrefix("l") {
            rest.removeFirst()
            guard takeNumber(&rest), rest.hasPrefix(".n") else { return false }
            rest.removeFirst(2)
            guard takeNumber(&rest), rest.hasPrefix(".") else { return false }
            rest.removeFirst()
        }
        if rest == "b" || rest == "w" && !name.hasPrefix("l") { return true }
        guard rest.hasPrefix("w") else { return false }
        rest.removeFirst()
        return takeNumber(&rest) && rest.isEmpty
    }

    /// The unit a name gradlog writes belongs to: `l2.n3.w1` to layer 2, unit 3; the single neuron's
    /// `w`, `w4` and `b` to layer 1, unit 1; nil for any other name (one logged from outside).
    public static func unit(of name: String) -> FaultyUnit? {
        guard isValid(name) else { return nil }
        guard name.hasPrefix("l") else { return FaultyUnit(layer: 1, unit: 1) }
        return FaultyUnit(name.split(separator: ".").prefix(2).joined(separator: "."))
    }

    /// Removes a whole number from 1 up (no leading zero, at most nine digits) from the front.
    private static func takeNumber(_ text: inout Substring) -> Bool {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard (1...9).contains(digits.count), digits.first != "0" else { return false }
        text.removeFirst(digits.count)
        return true
    }

    /// The most characters a name from outside gradlog may have.
    public static let maxExternalLength = 100

    /// True for a name that code outside gradlog may give a parameter or metric: a letter or `_`,
    /// then letters, digits, `_`, `.`, `[` and `]` (`fc1.weight[0]`), at most `maxExternalLength`
    /// ASCII characters. Every name gradlog writes is one; none needs quoting in a terminal, and
    /// none can close a quoted SQL identifier or string.
    public static func isSafe(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maxExternalLength, isLetter(first) || first == UInt8(ascii: "_") else {
            return false
        }
        // A loop of comparisons rather than ranges' `contains` in a closure, which a debug build
        // calls through generics per byte: a run's million names are checked at once.
        for byte in bytes where !(isLetter(byte) || byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") || isPunctuation(byte)) {
            return false
        }
        return true
    }

    /// True for the punctuation a safe name may hold besides its letters and digits: `_ . [ ]`.
    private static func isPunctuation(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") || byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }
}
