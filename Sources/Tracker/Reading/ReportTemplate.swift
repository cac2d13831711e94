import Reports

/// A report query from `Reports/`, filled in for one run's parameters.
///
/// Lines between `-- for each parameter` and `-- end` repeat once per parameter, with `'{param}'`
/// replaced by the parameter's name as an SQL string literal, any other `{param}` by the name as it
/// goes inside a double-quoted identifier (`"` doubled), and `{n}` by its position from 1. The run is the `:run` parameter.
/// A line that starts with `--autodiff` is a column of runs that logged the third gradient
/// (`runs.autodiff`): for them it is kept without the marker, for others left out.
/// Callers pass names that `ParameterName.isValid` accepts; the quoting holds for any text all the same.
public struct ReportTemplate: Sendable {
    /// Which report.
    public enum Kind: Sendable {
        /// One row per epoch.
        case epochs
        /// One row per step.
        case steps
        /// One row per epoch and layer: the worst gradient check of each layer.
        case layers

        /// The report's columns besides the per-parameter ones, and how many each parameter adds
        /// (a test checks both against the templates).
        var columns: (fixed: Int, perParameter: Int) {
            switch self {
            case .epochs: (5, 1)
            case .steps: (4, 6)
            case .layers: (6, 0)
            }
        }

        /// The most parameters a run can have for this report to fit in SQLite's column limit.
        public var maxParameters: Int { maxParameters(autodiff: false) }

        /// The most parameters of a run with (or without) the autodiff column for this report to fit.
        public func maxParameters(autodiff: Bool) -> Int {
            let perParameter = columns.perParameter + (autodiff && self == .steps ? 1 : 0)
            return perParameter == 0 ? .max : (ReportTemplate.maxColumns - columns.fixed) / perParameter
        }
    }

    /// The template's text.
    public let text: String

    /// SQLite returns at most this many columns (its compile-time default, SQLITE_MAX_COLUMN).
    public static let maxColumns = 2_000

    /// SQLite joins at most 64 tables: the join form of each report takes its main table and one
    /// gradients table per parameter.
    public static let maxJoinedParameters = 63

    /// The template of a report kind for a run with `parameterCount` parameters, as embedded in the binary.
    public init(_ kind: Kind, parameterCount: Int) {
        switch kind {
        case .epochs where parameterCount > Self.maxJoinedParameters: text = EmbeddedReports.epochsWide
        case .epochs: text = EmbeddedReports.epochs
        case .layers: text = EmbeddedReports.layers
        case .steps where parameterCount > Self.maxJoinedParameters: text = EmbeddedReports.stepsWide
        case .steps: text = EmbeddedReports.steps
        }
    }

    /// Creates a template from text, for tests.
    public init(text: String) {
        self.text = text
    }

    /// The SQL for a run with these parameter names (and `step_metrics` names, for the templates
    /// with a `-- for each metric` section), still using `:run` for the run id.
    public func sql(parameters: [String], metrics: [String] = [], autodiff: Bool = false) -> String {
        var output: [Substring] = []
        var section: [Substring]?
        var names: [String] = []
        for whole in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = whole
            if line.hasPrefix(Self.autodiffMarker) {
                guard autodiff else { continue }
                line = line.dropFirst(Self.autodiffMarker.count)
            }
            let marker = line.drop(while: \.isWhitespace)
            if marker == "-- for each parameter" || marker == "-- for each metric" {
                section = []
                names = marker.hasSuffix("parameter") ? parameters : metrics
            } else if marker == "-- end", let body = section {
                for (index, name) in names.enumerated() {
                    for bodyLine in body { output.append(Substring(Self.fill(bodyLine, name: name, index: index + 1))) }
                }
                section = nil
            } else if section != nil {
                section?.append(line)
            } else {
                output.append(line)
            }
        }
        return output.joined(separator: "\n")
    }

    /// One line of a section for one name: `'{param}'` (or `'{metric}'`) as a string literal, any
    /// other as it goes inside a double-quoted identifier, `{n}` as its position from 1.
    private static func fill(_ line: Substring, name: String, index: Int) -> String {
        var filled = String(line)
        for placeholder in ["param", "metric"] {
            filled = filled.replacing("'{\(placeholder)}'", with: literal(name))
                .replacing("{\(placeholder)}", with: name.replacing("\"", with: "\"\""))
        }
        return filled.replacing("{n}", with: "\(index)")
    }

    /// The mark of a line that only runs with the autodiff gradient keep.
    static let autodiffMarker = "--autodiff"

    /// A report's SQL as a subquery and COPY take it: without its closing semicolon.
    static func subquery(_ sql: String) -> String {
        var sql = Substring(sql)
        while let last = sql.last, last == ";" || last.isWhitespace { sql = sql.dropLast() }
        return String(sql)
    }

    /// `text` as an SQL string literal.
    static func literal(_ text: String) -> String {
        "'" + text.replacing("'", with: "''") + "'"
    }

    /// The SQL for one run, with its id written in place of `:run` and without the template's
    /// opening comment (which explains placeholders that are gone), for the sqlite3 shell.
    public func standaloneSQL(parameters: [String], metrics: [String] = [], autodiff: Bool = false, runID: Int64) -> String {
        let lines = sql(parameters: parameters, metrics: metrics, autodiff: autodiff).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.drop { $0.hasPrefix("--") }.joined(separator: "\n").replacing(":run", with: "\(runID)")
    }
}
