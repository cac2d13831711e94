/// Reads a dataset from CSV text: a header row, numeric input columns and a 0/1 label column.
///
/// The label column is the one named `y`, or else the last one. Blank lines are skipped; fields may
/// be quoted as in RFC 4180. Every problem is reported with its line and column.
public enum CSVDataset {
    /// Parses `text`, naming `source` (usually the file path) in the dataset and in any error.
    public static func parse(_ text: String, source: String) throws(CSVError) -> Dataset {
        let lines = try records(of: text, source: source)
        guard let (headerLine, header) = lines.first else {
            throw CSVError(source: source, problem: "the file is empty; expected a header row such as `x1,x2,y`")
        }
        guard header.count >= 2 else {
            throw CSVError(
                source: source, line: headerLine,
                problem: "the header has \(header.count) column; expected input columns and a label column, such as `x1,x2,y`")
        }
        let labelColumn = header.firstIndex(of: "y") ?? header.count - 1
        let featureColumns = header.indices.filter { $0 != labelColumn }
        var inputs: [Double] = []
        var labels: [Double] = []
        for (lineNumber, fields) in lines.dropFirst() {
            guard fields.count == header.count else {
                throw CSVError(
                    source: source, line: lineNumber,
                    problem: "this row has \(fields.count) fields but the header has \(header.count)")
            }
            for column in featureColumns {
                inputs.append(try number(fields[column], source, lineNumber, column, header[column]))
            }
            let label = try number(fields[labelColumn], source, lineNumber, labelColumn, header[labelColumn])
            guard label == 0 || label == 1 else {
                throw CSVError(
                    source: source, line: lineNumber, column: labelColumn + 1, columnName: header[labelColumn],
                    problem: "the label '\(fields[labelColumn])' is not 0 or 1")
            }
            labels.append(label)
        }
        guard !labels.isEmpty else {
            throw CSVError(source: source, line: headerLine, problem: "the file has a header but no data rows")
        }
        return Dataset(name: source, featureNames: featureColumns.map { header[$0] }, inputs: inputs, labels: labels)
    }

    private static func number(
        _ field: String, _ source: String, _ line: Int, _ column: Int, _ name: String
    ) throws(CSVError) -> Double {
        guard let value = Double(field), value.isFinite else {
            let shown = field.isEmpty ? "an empty field" : "'\(field)'"
            throw CSVError(
                source: source, line: line, column: column + 1, columnName: name,
                problem: "\(shown) is not a finite number")
        }
        return value
    }

    /// Splits text into non-blank records of trimmed fields, each with its 1-based line number.
    static func records(of text: String, source: String) throws(CSVError) -> [(line: Int, fields: [String])] {
        if text.utf8.contains(0) {
            throw CSVError(source: source, problem: "the file is not text (it contains NUL bytes); expected CSV")
        }
        var records: [(line: Int, fields: [String])] = []
        var reader = FieldReader(text: text, source: source)
        while let (line, fields) = try reader.nextRecord() {
            if fields.count == 1 && fields[0].isEmpty { continue }
            records.append((line, fields))
        }
        return records
    }
}

/// Reads RFC 4180 records one at a time, tracking line numbers for error messages.
struct FieldReader {
    private var characters: [Character]
    private var position = 0
    private var line = 1
    private let source: String

    init(text: String, source: String) {
        characters = Array(text)
        self.source = source
    }

    mutating func nextRecord() throws(CSVError) -> (Int, [String])? {
        guard position < characters.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field = ""
        var quoted = false
        while position < characters.count {
            let character = characters[position]
            position += 1
            if quoted {
                if character == "\"" {
                    if position < characters.count && characters[position] == "\"" {
                        field.append("\"")
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if character.isNewline { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.allSatisfy(\.isWhitespace): field = ""; quoted = true
            case ",": fields.append(trimmed(field)); field = ""
            case "\n", "\r\n", "\r":
                line += 1
                fields.append(trimmed(field))
                return (startLine, fields)
            default: field.append(character)
            }
        }
        if quoted {
            throw CSVError(source: source, line: startLine, problem: "a quoted field is not closed before the end of the file")
        }
        fields.append(trimmed(field))
        return (startLine, fields)
    }

    private func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
