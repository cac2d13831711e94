/// Reads a dataset from CSV: a header row, numeric input columns and a 0/1 label column.
///
/// The label column is the one named by `label`, else the one named `y`, else the last one. A UTF-8
/// byte-order mark at the start is skipped. Blank lines are skipped; fields may be quoted as in RFC 4180. Every problem is reported with its line and column. Bytes are read in
/// chunks and turned into numbers as they come, so memory grows with the samples, never with a
/// copy of the file.
public struct CSVDataset {
    /// The most input columns a dataset may have: the per-step report shows six columns for each
    /// parameter, and SQLite returns at most 2,000 columns.
    public static let maxInputs = 300

    private let source: String
    private let label: String?
    private var reader: CSVRecordReader
    private var header: [String]?
    private var labelColumn = 0
    private var inputs: [Double] = []
    private var labels: [Double] = []

    /// Starts reading a file; `source` (usually its path) names the dataset and every error, and
    /// `label` names the label column (nil: `y`, or else the last column).
    public init(source: String, label: String? = nil) {
        self.source = source
        self.label = label
        reader = CSVRecordReader(source: source, maxHeaderFields: Self.maxInputs + 1)
    }

    /// Parses a whole text at once.
    public static func parse(_ text: String, source: String, label: String? = nil) throws(CSVError) -> Dataset {
        var parser = CSVDataset(source: source, label: label)
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer throws(CSVError) in try parser.read(UnsafeBufferPointer(buffer)) }
        return try parser.finish()
    }

    /// Reads the next chunk of the file's bytes.
    public mutating func read(_ chunk: UnsafeBufferPointer<UInt8>) throws(CSVError) {
        var records: [(line: Int, fields: [String])] = []
        try reader.feed(chunk) { records.append($0) }
        for record in records { try accept(record) }
    }

    /// Ends the file and returns its samples.
    public mutating func finish() throws(CSVError) -> Dataset {
        var records: [(line: Int, fields: [String])] = []
        try reader.finish { records.append($0) }
        for record in records { try accept(record) }
        guard let header else {
            throw CSVError(source: source, problem: .empty)
        }
        guard !labels.isEmpty else {
            throw CSVError(source: source, line: reader.firstRecordLine, problem: .noDataRows)
        }
        let features = header.indices.filter { $0 != labelColumn }.map { header[$0] }
        return Dataset(name: source, featureNames: features, inputs: inputs, labels: labels)
    }

    private mutating func accept(_ record: (line: Int, fields: [String])) throws(CSVError) {
        guard let header else { return try acceptHeader(record) }
        let (line, fields) = record
        guard fields.count == header.count else {
            throw CSVError(
                source: source, line: line, problem: .fieldCount(fields: fields.count, header: header.count))
        }
        for column in header.indices where column != labelColumn {
            inputs.append(try number(fields[column], line: line, column: column))
        }
        let label = try number(fields[labelColumn], line: line, column: labelColumn)
        guard label == 0 || label == 1 else {
            throw CSVError(
                source: source, line: line, column: labelColumn + 1, columnName: header[labelColumn],
                problem: .labelNotBinary(fields[labelColumn]))
        }
        labels.append(label)
    }

    private mutating func acceptHeader(_ record: (line: Int, fields: [String])) throws(CSVError) {
        let (line, fields) = record
        guard fields.count >= 2 else {
            throw CSVError(
                source: source, line: line,
                problem: .headerTooNarrow(columns: fields.count))
        }
        for (index, name) in fields.enumerated() {
            if name.isEmpty {
                throw CSVError(source: source, line: line, column: index + 1, problem: .unnamedColumn)
            }
            if let first = fields.firstIndex(of: name), first < index {
                throw CSVError(source: source, line: line, column: index + 1,
                               problem: .duplicateColumn(first: first + 1, second: index + 1, name: name))
            }
        }
        if let label {
            guard let column = fields.firstIndex(of: label) else {
                throw CSVError(source: source, line: line, problem: .noSuchLabelColumn(label: label, header: fields))
            }
            labelColumn = column
        } else {
            labelColumn = fields.firstIndex(of: "y") ?? fields.count - 1
        }
        header = fields
    }

    private func number(_ field: String, line: Int, column: Int) throws(CSVError) -> Double {
        guard let value = DecimalNumber.parse(field), value.isFinite else {
            throw CSVError(
                source: source, line: line, column: column + 1, columnName: header?[column], problem: .notFinite(field))
        }
        return value
    }
}

/// Splits CSV bytes into records of trimmed fields, each with its 1-based line number, as RFC 4180
/// describes (quotes, doubled quotes, line breaks inside quotes); blank lines are skipped.
struct CSVRecordReader {
    private enum State {
        case unquoted
        case quoted
        /// A quote inside a quoted field: the field's end, or the first of a doubled quote.
        case quoteInQuoted
    }

    /// The longest field accepted, in bytes: no number or column name comes near it.
    static let maxFieldBytes = 65_536

    private let source: String
    private var field: [UInt8] = []
    private var fields: [String] = []
    /// The most fields a record may have: the header's count once it is read, so that a malformed
    /// line is refused as soon as it is too long, before it fills memory.
    private var maxFields: Int
    private var surplusFields = 0
    private var state = State.unquoted
    private var previous: UInt8 = 0
    private var line = 1
    private var recordLine = 1
    /// The line of the first record (the header), for messages about the file as a whole.
    private(set) var firstRecordLine: Int?

    init(source: String, maxHeaderFields: Int) {
        self.source = source
        maxFields = maxHeaderFields
    }

    /// The UTF-8 byte-order mark that Excel's "CSV UTF-8" and pandas' `utf-8-sig` put first.
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    /// The first bytes, held until it is known whether they are a byte-order mark.
    private var opening: [UInt8]? = []

    /// Reads a chunk, handing over every record it completes.
    mutating func feed(
        _ chunk: UnsafeBufferPointer<UInt8>, _ record: ((line: Int, fields: [String])) -> Void
    ) throws(CSVError) {
        var rest = chunk[...]
        if var held = opening {
            while held.count < Self.byteOrderMark.count, let byte = rest.first {
                held.append(byte)
                rest = rest.dropFirst()
            }
            guard held.count == Self.byteOrderMark.count else {
                opening = held
                return
            }
            opening = nil
            if held != Self.byteOrderMark { try consume(held, record) }
        }
        try consume(rest, record)
    }

    private mutating func consume<Bytes: Sequence<UInt8>>(
        _ bytes: Bytes, _ record: ((line: Int, fields: [String])) -> Void
    ) throws(CSVError) {
        for byte in bytes {
            if byte == 0 {
                throw CSVError(source: source, line: line, problem: .notText)
            }
            try read(byte, record)
            previous = byte
        }
    }

    private mutating func read(_ byte: UInt8, _ record: ((line: Int, fields: [String])) -> Void) throws(CSVError) {
        switch state {
        case .quoted:
            if byte == UInt8(ascii: "\"") {
                state = .quoteInQuoted
            } else {
                if byte == UInt8(ascii: "\r") || (byte == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r")) { line += 1 }
                field.append(byte)
                if field.count > Self.maxFieldBytes {
                    throw CSVError(source: source, line: recordLine, column: fields.count + 1,
                                   problem: .fieldTooLong(limit: Self.maxFieldBytes))
                }
            }
            return
        case .quoteInQuoted:
            state = .unquoted
            if byte == UInt8(ascii: "\"") {
                field.append(byte)
                state = .quoted
                return
            }
        case .unquoted:
            break
        }
        switch byte {
        case UInt8(ascii: "\"") where field.allSatisfy(Self.isBlank):
            field.removeAll(keepingCapacity: true)
            state = .quoted
        case UInt8(ascii: ","):
            try endField()
        case UInt8(ascii: "\n") where previous == UInt8(ascii: "\r"):
            break  // the second half of CRLF
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            line += 1
            try endRecord(record)
        default:
            field.append(byte)
        }
        if field.count > Self.maxFieldBytes {
            throw CSVError(source: source, line: recordLine, column: fields.count + 1,
                           problem: .fieldTooLong(limit: Self.maxFieldBytes))
        }
    }

    /// Ends the input, handing over the last record.
    mutating func finish(_ record: ((line: Int, fields: [String])) -> Void) throws(CSVError) {
        if let held = opening, held != Self.byteOrderMark {
            opening = nil
            try consume(held, record)
        }
        if state == .quoted {
            throw CSVError(source: source, line: recordLine, problem: .unclosedQuote)
        }
        if !field.isEmpty || !fields.isEmpty { try endRecord(record) }
    }

    private mutating func endField() throws(CSVError) {
        guard let text = String(validating: field, as: UTF8.self) else {
            throw CSVError(source: source, line: recordLine, problem: .notUTF8)
        }
        // Fields past the most a record may have are only counted, for the message.
        if fields.count < maxFields {
            fields.append(Self.trimmed(text))
        } else {
            surplusFields += 1
        }
        field.removeAll(keepingCapacity: true)
    }

    private mutating func endRecord(_ record: ((line: Int, fields: [String])) -> Void) throws(CSVError) {
        try endField()
        if surplusFields > 0 {
            let count = fields.count + surplusFields
            throw CSVError(source: source, line: recordLine, problem: firstRecordLine == nil
                ? .tooManyInputs(count: count - 1, limit: maxFields - 1) : .fieldCount(fields: count, header: maxFields))
        }
        if !(fields.count == 1 && fields[0].isEmpty) {
            if firstRecordLine == nil {
                firstRecordLine = recordLine
                maxFields = fields.count
            }
            record((recordLine, fields))
        }
        fields.removeAll(keepingCapacity: true)
        recordLine = line
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func trimmed(_ text: String) -> String {
        guard let first = text.first, let last = text.last, first.isWhitespace || last.isWhitespace else { return text }
        return String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
