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

    /// Removes a whole number from 1 up (no leading zero, at most nine digits) from the front.
    private static func takeNumber(_ text: inout Substring) -> Bool {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard (1...9).contains(digits.count), digits.first != "0" else { return false }
        text.removeFirst(digits.count)
        return true
    }
}
