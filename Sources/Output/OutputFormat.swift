/// The shape of a command's rows on output.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns for reading in a terminal.
    case table
    /// RFC 4180 CSV with a header row; every number reads back to the same Double.
    case csv
    /// Tab-separated values as the sqlite3 shell writes them: LF line ends, no quoting, and `\t`,
    /// `\n`, `\r` and `\\` escapes inside text, so `cut -f` and `awk -F'\t'` work.
    case tsv
    /// A JSON array of objects, one per row.
    case json
    /// JSON Lines: one JSON object per line, written as each row comes.
    case jsonl
    /// A GitHub-flavoured Markdown table, numbers right-aligned.
    case markdown
}
