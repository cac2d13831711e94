import ArgumentParser
import Output

/// The format flags (`--csv`, `--json`, ...) and their help.
extension OutputFormat: EnumerableFlag {
    public static func help(for value: OutputFormat) -> ArgumentHelp? {
        switch value {
        case .table: "Print an aligned table for the terminal."
        case .csv: "Print CSV (RFC 4180) with a header row; numbers keep every digit."
        case .tsv: "Print tab-separated values with a header row; tabs, line breaks and backslashes in text are escaped."
        case .json: "Print a JSON array of objects; NaN and infinities become strings."
        case .jsonl: "Print one JSON object per line (JSON Lines), streaming."
        case .markdown: "Print a GitHub-flavoured Markdown table."
        }
    }
}

/// The output options shared by every command that prints rows.
struct OutputOptions: ParsableArguments {
    @Flag(help: "The output format (default: --table).")
    var format: OutputFormat = .table

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Show reals with this many significant digits in the table (CSV, TSV and JSON keep every digit).",
        valueName: "digits"))
    var precision: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Write the output to this file instead of standard output (- for standard output).",
        discussion: "The file is replaced only once the whole output was written.", valueName: "file"),
        completion: .file())
    var output: String?

    func validate() throws {
        if let precision, !(1...17).contains(precision) {
            throw ValidationError("--precision \(precision) is not allowed: expected 1 to 17 significant digits")
        }
    }
}
