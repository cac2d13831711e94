import CLibPQ

/// Builds the rows of a `COPY … FROM STDIN` in PostgreSQL's text format and sends them in chunks.
///
/// Fields are separated by tabs and rows end with a newline; NULL is `\N`; a backslash, tab,
/// newline or carriage return in text is escaped. A double is written so that it reads back as the
/// same bits (Swift's shortest round-trip form; ±Infinity and NaN spelled as PostgreSQL spells them).
public final class CopyInWriter {
    private let handle: OpaquePointer
    private var buffer: [UInt8] = []
    private var atRowStart = true
    /// Sent when this much is buffered: large enough for few calls, small enough to stay flat in memory.
    static let chunkBytes = 1 << 18

    init(handle: OpaquePointer) {
        self.handle = handle
        buffer.reserveCapacity(Self.chunkBytes + 4096)
    }

    /// Appends a text field (nil is NULL).
    public func text(_ value: String?) {
        separate()
        guard var value else { return buffer.append(contentsOf: Self.nullMarker) }
        value.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(contentsOf: [0x5C, 0x5C])
                case UInt8(ascii: "\t"): buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case UInt8(ascii: "\n"): buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                default: buffer.append(byte)
                }
            }
        }
    }

    /// Appends an integer field.
    public func integer(_ value: Int64) {
        separate()
        ascii(String(value))
    }

    /// Appends a double precision field, exactly.
    public func double(_ value: Double) {
        separate()
        ascii(Self.text(of: value))
    }

    /// A double as PostgreSQL reads it back to the same bits, in COPY or as a query parameter.
    public static func text(of value: Double) -> String {
        value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-Infinity" : "Infinity") : value.description
    }

    /// Appends a NULL field.
    public func null() {
        separate()
        buffer.append(contentsOf: Self.nullMarker)
    }

    private static let nullMarker: [UInt8] = [0x5C, UInt8(ascii: "N")]

    /// Ends the current row; sends the buffer when it is full.
    public func endRow() throws(PostgresError) {
        buffer.append(0x0A)
        atRowStart = true
        if buffer.count >= Self.chunkBytes { try flush() }
    }

    /// Sends what is buffered.
    func flush() throws(PostgresError) {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else { throw PostgresError(sqlState: nil, message: PostgresConnection.trimmed(PQerrorMessage(handle))) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func separate() {
        if atRowStart { atRowStart = false } else { buffer.append(0x09) }
    }

    private func ascii(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }
}
