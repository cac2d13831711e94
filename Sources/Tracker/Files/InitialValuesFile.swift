#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials

/// A JSON file that gives a run's initial parameters in full: `{"l1.n1.w1": 0.3, "l1.n1.b": 0, ...}`.
public enum InitialValuesFile {
    /// The largest file read, in bytes.
    public static let maxBytes: Int64 = 16 << 20

    /// What is wrong with the file's contents.
    public enum Problem: Equatable, Sendable {
        /// It is not one JSON object whose values are all numbers.
        case notAnObjectOfNumbers
        /// These parameters of the model have no value.
        case missing([String])
        /// These names are no parameter of the model.
        case unknown([String])
        /// This name is given more than once.
        case duplicate(String)
    }

    /// The values of `names`, in their order, read from the file at `path`.
    public static func load(_ path: String, names: [String]) throws(TrackerError) -> [Double] {
        let size = try ReadableFile.regularFileSize(path, missing: .unreadableFile(path: path, reason: .noSuchFile),
                                                    expected: .json)
        guard size <= maxBytes else {
            throw .unreadableFile(path: path, reason: .tooLarge(limitMiB: Int(maxBytes >> 20)))
        }
        guard let file = fopen(path, "rb") else { throw .unreadableFile(path: path, reason: .system(errno: errno)) }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        guard fread(&bytes, 1, bytes.count, file) == bytes.count else { throw .unreadableFile(path: path, reason: .readError) }
        guard let values = try? JSONDecoder().decode([String: Double].self, from: Data(bytes)) else {
            throw .badInitialValues(path: path, .notAnObjectOfNumbers)
        }
        if let name = duplicateKey(in: bytes, distinctKeys: values.count) {
            throw .badInitialValues(path: path, .duplicate(name))
        }
        let missing = names.filter { values[$0] == nil }
        guard missing.isEmpty else { throw .badInitialValues(path: path, .missing(missing)) }
        let known = Set(names)
        let unknown = values.keys.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else { throw .badInitialValues(path: path, .unknown(unknown)) }
        return names.map { values[$0] ?? .nan }
    }

    /// The first key given twice in a JSON object whose values are all numbers, or nil. The decoder
    /// keeps one value per key without saying so; but every string in such a file is a key, so when
    /// there are more strings than distinct keys, they are decoded one by one to find the repeated
    /// one (escapes decoded, so `"w\u0031"` is `w1`).
    static func duplicateKey(in bytes: [UInt8], distinctKeys: Int) -> String? {
        let literals = stringLiterals(in: bytes)
        guard literals.count > distinctKeys else { return nil }
        var seen = Set<String>()
        for range in literals {
            if let key = try? JSONDecoder().decode(String.self, from: Data(bytes[range])), !seen.insert(key).inserted {
                return key
            }
        }
        return nil
    }

    /// The byte ranges of the string literals of a JSON text, quotes included.
    private static func stringLiterals(in bytes: [UInt8]) -> [ClosedRange<Int>] {
        var ranges: [ClosedRange<Int>] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\"") else { index += 1; continue }
            var end = index + 1
            while end < bytes.count && bytes[end] != UInt8(ascii: "\"") {
                end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard end < bytes.count else { break }
            ranges.append(index...end)
            index = end + 1
        }
        return ranges
    }
}
