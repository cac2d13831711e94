/// A query string read strictly: `name=value` pairs joined by `&`, `+` for a space, `%XX` escapes
/// of valid UTF-8; anything else is refused, never guessed at.
enum QueryString {
    /// Why a query was refused, for a 400 answer.
    struct Invalid: Error, Equatable {
        let reason: String
    }

    /// The pairs, in order; an empty query has none.
    static func parse(_ query: String) throws(Invalid) -> [(name: String, value: String)] {
        guard !query.isEmpty else { return [] }
        guard query.utf8.count <= 4_096 else { throw Invalid(reason: "the query is longer than 4096 bytes") }
        var pairs: [(name: String, value: String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: false) {
            guard let equals = part.firstIndex(of: "=") else { throw Invalid(reason: "'\(part)' has no '='") }
            pairs.append((try decode(part[..<equals]), try decode(part[part.index(after: equals)...])))
        }
        return pairs
    }

    /// One name or value with its escapes undone.
    static func decode(_ text: Substring) throws(Invalid) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first < utf8.endIndex, utf8.index(after: first) < utf8.endIndex,
                      let high = hexValue(utf8[first]), let low = hexValue(utf8[utf8.index(after: first)]) else {
                    throw Invalid(reason: "a '%' not followed by two hexadecimal digits")
                }
                bytes.append(high << 4 | low)
                index = utf8.index(index, offsetBy: 3)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = utf8.index(after: index)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw Invalid(reason: "an escape that is not UTF-8") }
        guard !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw Invalid(reason: "a control character")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Percent-encodes a value for a link (everything but unreserved characters).
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
            }
        }
        return out
    }

    /// A whole number from 0 to `max`, written in plain decimal digits (no sign, no leading zero).
    static func number(_ text: String, max: Int64) -> Int64? {
        guard !text.isEmpty, text.count <= 19, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              text == "0" || !text.hasPrefix("0"), let value = Int64(text), value <= max else { return nil }
        return value
    }
}
