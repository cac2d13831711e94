/// One row of a `COPY … TO STDOUT` in PostgreSQL's text format, split into its fields.
public struct CopyRow {
    /// The fields' bytes, unescaped; nil for NULL (`\N`).
    public private(set) var fields: [[UInt8]?] = []

    /// Splits `line` (one row, with or without its newline) into fields and undoes the escapes.
    public init(_ line: UnsafeBufferPointer<UInt8>) {
        var field: [UInt8] = []
        var escaped = false
        var isNull = false
        var end = line.count
        if end > 0, line[end - 1] == 0x0A { end -= 1 }
        for index in 0..<end {
            let byte = line[index]
            if escaped {
                escaped = false
                switch byte {
                case UInt8(ascii: "N"): isNull = true
                case UInt8(ascii: "t"): field.append(0x09)
                case UInt8(ascii: "n"): field.append(0x0A)
                case UInt8(ascii: "r"): field.append(0x0D)
                case UInt8(ascii: "b"): field.append(0x08)
                case UInt8(ascii: "f"): field.append(0x0C)
                case UInt8(ascii: "v"): field.append(0x0B)
                default: field.append(byte)  // `\\` and any other escaped character stand for themselves
                }
            } else if byte == 0x5C {
                escaped = true
            } else if byte == 0x09 {
                fields.append(isNull ? nil : field)
                field.removeAll(keepingCapacity: true)
                isNull = false
            } else {
                field.append(byte)
            }
        }
        fields.append(isNull ? nil : field)
    }
}
