#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Training
import Wording

/// Reads JSON values from one line of bytes in place, without building a tree: `gradlog log`
/// decodes each line straight into a step, at the speed of the recorder that writes it.
///
/// Beyond RFC 8259 it takes `NaN`, `Infinity` and `-Infinity` as numbers, as Python's `json`
/// writes them. Numbers are converted by the C library's `strtod`, so each is the double nearest
/// to its decimal text, as every JSON writer that prints doubles to round-trip expects (gradlog
/// never calls `setlocale`, so the decimal point is the C locale's '.').
package struct JSONScanner {
    /// Why a line is not the JSON it should be, in words.
    package struct Failure: Error, Sendable {
        let message: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index = 0

    /// A scanner over `bytes`, which must be followed in memory by a byte that no number contains
    /// (the line's newline or a 0): `strtod` reads up to the first byte that cannot continue one.
    package init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The byte at the cursor after any whitespace, nil at the end.
    package mutating func peek() -> UInt8? {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D { index += 1 }
        return index < bytes.count ? bytes[index] : nil
    }

    /// True at the end of the line (whitespace aside).
    package mutating func atEnd() -> Bool { peek() == nil }

    /// Consumes `byte` (after whitespace) or fails saying what was expected.
    package mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(Failure) {
        guard peek() == byte else { throw fail("expected \(what())") }
        index += 1
    }

    /// Consumes `byte` if it comes next.
    package mutating func take(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// A key of an object as it stands in the line: its bytes between the quotes, and whether it
    /// holds escapes (then `text` decodes them).
    package struct Key {
        let bytes: UnsafeBufferPointer<UInt8>
        let escaped: Bool

        /// The key as text.
        var text: String {
            guard escaped else { return String(decoding: bytes, as: UTF8.self) }
            // The quotes around the bytes are in the same line: scan the string with them.
            var scanner = JSONScanner(UnsafeBufferPointer(start: bytes.baseAddress! - 1, count: bytes.count + 2))
            return (try? scanner.string()) ?? ""
        }

        /// True when the key is exactly `name` (written with escapes or without).
        func `is`(_ name: StaticString) -> Bool {
            if escaped { return text == name.description }
            return bytes.count == name.utf8CodeUnitCount && memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0
        }

        /// True when the key is exactly the bytes of `name` (an escaped key is looked up by its text).
        func `is`(_ name: [UInt8]) -> Bool {
            !escaped && bytes.elementsEqual(name)
        }
    }

    /// Opens an object: `nextKey` then gives its keys.
    package mutating func beginObject(_ what: @autoclosure () -> String) throws(Failure) {
        guard take(UInt8(ascii: "{")) else { throw fail("expected \(what()) to be an object") }
    }

    /// The next key of the object opened last (the cursor then at its value, which the caller
    /// must read), or nil after its closing brace; `first` is true for its first key. Keys given
    /// twice are the caller's to notice.
    package mutating func nextKey(_ what: @autoclosure () -> String, first: Bool) throws(Failure) -> Key? {
        if take(UInt8(ascii: "}")) { return nil }
        if !first {
            guard take(UInt8(ascii: ",")) else { throw fail("expected ',' or '}' in \(what())") }
        }
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a key in quotes in \(what())") }
        let key = try rawString()
        guard take(UInt8(ascii: ":")) else { throw fail("expected ':' after \(quoted(key.text))") }
        return key
    }

    /// The string at the cursor as its raw bytes, the cursor after its closing quote.
    private mutating func rawString() throws(Failure) -> Key {
        index += 1  // the opening quote
        let start = index
        var escaped = false
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return Key(bytes: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), escaped: escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                index += 2
            case 0..<0x20: throw fail("a control character inside a string")
            default: index += 1
            }
        }
        throw fail("a string without its closing quote")
    }

    /// A string, its escapes decoded.
    package mutating func string() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""), "a string")
        var output: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: output, as: UTF8.self) else { throw fail("a string is not UTF-8") }
                return text
            case UInt8(ascii: "\\"): try escape(into: &output)
            case 0..<0x20: throw fail("a control character inside a string")
            default: output.append(byte)
            }
        }
        throw fail("a string without its closing quote")
    }

    /// The one-letter escapes: \" \\ \/ \b \f \n \r \t and the bytes they stand for.
    private static let simpleEscapes: [UInt8: UInt8] = [
        0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09,
    ]

    private mutating func escape(into output: inout [UInt8]) throws(Failure) {
        guard index < bytes.count else { throw fail("a string without its closing quote") }
        let byte = bytes[index]
        index += 1
        if let plain = Self.simpleEscapes[byte] { output.append(plain); return }
        guard byte == UInt8(ascii: "u") else { throw fail("an unknown escape in a string") }
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
           bytes[index + 1] == UInt8(ascii: "u") {
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("a broken surrogate pair in a string") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let character = Unicode.Scalar(scalar) else { throw fail("a lone surrogate in a string") }
        output.append(contentsOf: Array(String(Character(character)).utf8))
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw fail("a \\u escape without four hex digits") }
        index += 4
        return value
    }

    /// A number, `null` (NaN), `NaN`, `Infinity` or `-Infinity`.
    package mutating func number(_ what: @autoclosure () -> String) throws(Failure) -> Double {
        guard peek() != nil else { throw fail("expected \(what()) to be a number") }
        // Only a number that starts with a letter or -I is a word.
        let first = bytes[index]
        if first >= UInt8(ascii: "A") || first == UInt8(ascii: "-") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "I") {
            for (word, value) in Self.words where matches(word) {
                index += word.utf8CodeUnitCount
                return value
            }
        }
        let end = try numberEnd(what)
        let value = bytes.baseAddress.map { base in
            (base + index).withMemoryRebound(to: CChar.self, capacity: end - index) { strtod($0, nil) }
        } ?? .nan
        index = end
        return value
    }

    /// The words that stand for numbers.
    private static let words: [(StaticString, Double)] = [("null", .nan), ("NaN", .nan), ("Infinity", .infinity), ("-Infinity", -.infinity)]

    /// A whole number in JSON's integer form (no fraction or exponent) that fits an Int.
    package mutating func integer(_ what: @autoclosure () -> String) throws(Failure) -> Int {
        guard peek() != nil else { throw fail("expected \(what()) to be a whole number") }
        let start = index
        let end = try numberEnd(what)
        var i = start
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var value = 0
        var fits = true
        while i < end, let digit = Int(exactly: bytes[i] &- UInt8(ascii: "0")), digit < 10 {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(negative ? -digit : digit)
            fits = fits && !overflow1 && !overflow2
            value = sum
            i += 1
        }
        guard i == end, fits else {
            throw Failure(message: "\(what()) must be written as a whole number, without a decimal point or exponent "
                + "(such as 3), not \(MessageText.shown(String(decoding: bytes[start..<end], as: UTF8.self), limit: 30))")
        }
        index = end
        return value
    }

    /// Where the JSON number at the cursor ends; fails when there is none.
    private func numberEnd(_ what: () -> String) throws(Failure) -> Int {
        var i = index
        func digits() -> Bool {
            let start = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            return i > start
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let leadingZero = i < bytes.count && bytes[i] == UInt8(ascii: "0")
        guard digits(), !leadingZero || i == index + (bytes[index] == UInt8(ascii: "-") ? 2 : 1) else {
            throw fail("expected \(what()) to be a number")
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { throw fail("expected digits after the decimal point of \(what())") }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { throw fail("expected digits in the exponent of \(what())") }
        }
        return i
    }

    /// How deep arrays and objects may nest in a value read whole (a config): far beyond any
    /// configuration, and shallow enough that reading it cannot exhaust the stack.
    package static let maxDepth = 256

    /// Skips any value, checking its syntax; returns its text.
    package mutating func rawValue(_ what: String) throws(Failure) -> String {
        _ = peek()  // the text starts after the whitespace before the value
        let start = index
        try skipValue(what, depth: 0)
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func skipValue(_ what: String, depth: Int) throws(Failure) {
        guard let first = peek() else { throw fail("expected \(what)") }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "["), depth >= Self.maxDepth {
            throw fail("\(what) nests arrays and objects deeper than \(Self.maxDepth) levels")
        }
        switch first {
        case UInt8(ascii: "{"):
            try beginObject(what)
            var first = true
            while let key = try nextKey(what, first: first) {
                try skipValue(quoted(key.text), depth: depth + 1)
                first = false
            }
        case UInt8(ascii: "["):
            index += 1
            if !take(UInt8(ascii: "]")) {
                repeat { try skipValue("an array element", depth: depth + 1) } while take(UInt8(ascii: ","))
                try expect(UInt8(ascii: "]"), "',' or ']' in an array")
            }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t") where matches("true"): index += 4
        case UInt8(ascii: "f") where matches("false"): index += 5
        default: _ = try number(what)
        }
    }

    /// Consumes `null` if it comes next.
    package mutating func takeNull() -> Bool {
        guard peek() != nil, matches("null") else { return false }
        index += 4
        return true
    }

    private func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        return index + count <= bytes.count && memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0
    }

    /// A failure that says what came instead, with a few of the bytes at the cursor.
    package func fail(_ expectation: String) -> Failure {
        guard index < bytes.count else { return Failure(message: "\(expectation), but the line ends") }
        let near = String(decoding: bytes[index..<min(index + 12, bytes.count)], as: UTF8.self)
        return Failure(message: "\(expectation) at column \(index + 1), near \(MessageText.quoted(near))")
    }
}

/// `text` in double quotes, for messages about JSON keys.
package func quoted(_ text: String) -> String { MessageText.quoted(text) }
