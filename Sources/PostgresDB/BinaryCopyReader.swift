/// Reads the messages of `COPY … TO STDOUT (FORMAT binary)` as `copyOut` hands them over: the
/// header before the first row, then one row per message, then the trailer. Each row's fields are
/// ranges of the message's bytes, so reading a row copies nothing.
public struct BinaryCopyReader {
    /// The ranges of the last row's fields in its message; nil for NULL.
    public private(set) var fields: [Range<Int>?] = []
    /// Whether the trailer (a field count of -1) has been read.
    public private(set) var ended = false
    private var headerRead = false

    /// The eleven bytes every binary COPY starts with.
    private static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    /// A reader before the first message.
    public init() {}

    /// Reads one message: true when it held a row (in `fields`), false for the header alone or the
    /// trailer. Throws when the bytes are not binary COPY.
    public mutating func read(_ message: UnsafeBufferPointer<UInt8>) throws(PostgresError) -> Bool {
        var offset = 0
        if !headerRead {
            offset = try Self.headerLength(message)
            headerRead = true
        }
        guard offset < message.count else { return false }
        guard !ended, let count = Self.integer(message, at: offset, size: 2) else { throw Self.malformed }
        offset += 2
        if count == -1 {
            ended = true
            return false
        }
        fields.removeAll(keepingCapacity: true)
        for _ in 0..<max(count, 0) {
            guard let length = Self.integer(message, at: offset, size: 4) else { throw Self.malformed }
            offset += 4
            if length < 0 {
                fields.append(nil)
                continue
            }
            guard offset + Int(length) <= message.count else { throw Self.malformed }
            fields.append(offset..<offset + Int(length))
            offset += Int(length)
        }
        guard count >= 0, offset == message.count else { throw Self.malformed }
        return true
    }

    /// The length of the header at the start of the first message: signature, flags, extension.
    private static func headerLength(_ message: UnsafeBufferPointer<UInt8>) throws(PostgresError) -> Int {
        guard message.count >= 19, message.prefix(11).elementsEqual(signature),
              let flags = integer(message, at: 11, size: 4), flags & (1 << 16) == 0,
              let extensionLength = integer(message, at: 15, size: 4), extensionLength >= 0,
              19 + Int(extensionLength) <= message.count else { throw malformed }
        return 19 + Int(extensionLength)
    }

    /// The signed big-endian integer of `size` bytes at `offset`, or nil past the end.
    public static func integer(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, size: Int) -> Int64? {
        guard offset >= 0, offset + size <= bytes.count else { return nil }
        let raw = UnsafeRawBufferPointer(bytes)
        switch size {
        case 8: return Int64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
        case 4: return Int64(Int32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        case 2: return Int64(Int16(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        case 1: return Int64(Int8(bitPattern: bytes[offset]))
        default: return nil
        }
    }

    /// The big-endian IEEE double (8 bytes) or float (4 bytes) in `range`, or nil for another size.
    public static func double(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Double? {
        guard let bits = integer(bytes, at: range.lowerBound, size: range.count) else { return nil }
        switch range.count {
        case 8: return Double(bitPattern: UInt64(bitPattern: bits))
        case 4: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        default: return nil
        }
    }

    private static let malformed = PostgresError(sqlState: nil, message: "the server's binary COPY output is malformed")
}
