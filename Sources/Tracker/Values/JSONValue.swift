import FoundationEssentials

/// A JSON value that gradlog writes (a run's `config`, its `command_line`, a cell of `--json`
/// output), turned into text by FoundationEssentials' `JSONEncoder`.
///
/// A double is written in the shortest form that reads back to the same double (`0.1`, `1e-06`;
/// `JSONEncoder` drops the `.0` of an integral one: `-1`); JSON has no NaN or infinity, so those
/// are the strings "NaN", "Infinity" and "-Infinity". Object keys are sorted by their UTF-8 bytes,
/// and `/` is not escaped (paths in command lines stay readable).
public enum JSONValue: Encodable, Equatable, Sendable {
    /// A double, written as a number, or as a string when it is NaN or infinite.
    case real(Double)
    /// An integer, written as its digits.
    case integer(Int64)
    /// Text, escaped as JSON requires.
    case string(String)
    /// JSON's null.
    case null
    /// An array, in the order given.
    case array([JSONValue])
    /// An object, written with its keys sorted.
    case object([String: JSONValue])

    /// The value as compact JSON text, e.g. `{"b":-1,"features":["x"],"lr":0.1}`.
    public var text: String {
        do {
            return String(decoding: try Self.encoder.encode(self), as: UTF8.self)
        } catch {
            // JSONEncoder refuses only NaN and infinities (converted to strings here) and nesting
            // deeper than 512 levels, which gradlog's values never have.
            preconditionFailure("JSONEncoder refused \(self): \(error)")
        }
    }

    /// Writes the value into `encoder` as the JSON value it stands for.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .real(let number): try container.encode(number)
        case .integer(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .null: try container.encodeNil()
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }

    /// One encoder for every value: configured once, it is only read afterwards.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }()
}
