import Charts
import Output
import SQLiteDB
import Tracker
import Wording

/// The "Gradient check" section of a run's page (`report --html`, `gradlog serve`): what `gradlog
/// check` says of its failed checks, when it has any.
public enum DiagnosisSection {
    /// The most failed checks a page classifies; `gradlog check` goes further.
    public static let pageLimit = 500

    /// The section for run `runID`, empty when every check passed.
    public static func html(of runID: Int64, in store: Store) throws(TrackerError) -> String {
        guard try GradientDiagnosis.failedChecks(of: runID, in: store) > 0 else { return "" }
        return html(try GradientDiagnosis.diagnose(runID, in: store, limit: pageLimit, counting: false))
    }

    /// The section for a diagnosis: the count, the first failed check, and each finding with its
    /// figures and what to do.
    public static func html(_ d: GradientDiagnosis) -> String {
        guard d.failed > 0 else { return "" }
        var html = "<h2 id=\"gradient-check\">Gradient check</h2>\n<p>\(d.failed) check\(d.failed == 1 ? "" : "s") failed "
            + "(atol \(number(d.tolerance.atol)), rtol \(number(d.tolerance.rtol))" + (d.eps.map { ", eps \(number($0))" } ?? "")
            + "); a check passes when |analytic − numeric| ≤ atol + rtol·|numeric|. As <code>gradlog check \(d.runID)</code> explains them"
            + (d.classified < d.failed ? " (the first \(d.classified) here)" : "") + ":</p>\n"
        for finding in d.findings {
            let place = finding.layer.flatMap { layer in finding.unit.map { " in layer \(layer), unit \($0)" } } ?? ""
            html += "<h3>\(escaped(finding.cause.rawValue + place))</h3>\n<p>Steps \(finding.firstStep) to \(finding.lastStep), "
                + "\(finding.checks) check\(finding.checks == 1 ? "" : "s") (" + escaped(finding.parameters.joined(separator: ", "))
                + "). At step \(finding.example.step):</p>\n"
            html += HTMLTable.render(["figure", "value"], finding.evidence.map { [.text($0.name), Measured.value($0.value)] })
            html += "<p>" + escaped(finding.cause.advice) + "</p>\n"
        }
        return html
    }

    private static func escaped(_ text: String) -> String { LineChart.escaped(text) }

    private static func number(_ value: Double) -> String { escaped(CellText.plain(.real(value))) }
}
