import Output
import Tracker

/// The per-epoch report of a run as a file, written by the same writers as `gradlog report --csv`,
/// `--json` and `--markdown`, so the bytes are the same.
enum Exports {
    /// The file names the run page links to, and their formats and media types.
    static let files: [String: (format: OutputFormat, mediaType: String)] = [
        "epochs.csv": (.csv, "text/csv; charset=utf-8"),
        "epochs.json": (.json, "application/json; charset=utf-8"),
        "epochs.md": (.markdown, "text/markdown; charset=utf-8"),
    ]

    /// The report of run `runID` in `format`.
    static func report(_ format: OutputFormat, of runID: Int64, _ catalog: RunCatalog) throws -> String {
        var writer = format.makeWriter()
        var text = ""
        try catalog.streamReport(.epochs, of: runID, columns: { writer.begin(columns: $0) { text += $0 } },
                                 row: { writer.write($0) { text += $0 } })
        writer.finish { text += $0 }
        return text
    }
}
