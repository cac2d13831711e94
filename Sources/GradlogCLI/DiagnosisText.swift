import Output
import SQLiteDB
import Tracker
import Wording

/// `gradlog check`'s diagnosis in words (the terminal), as one JSON object (`--json`), or as a table
/// of its findings (the other formats).
enum DiagnosisText {
    /// The report for the terminal: the counts, the first and worst check, then each finding.
    static func text(_ d: GradientDiagnosis) -> String {
        var lines = [headline(d)]
        if let first = d.first { lines += ["first failed check: " + heading(first)] + describe(first) }
        if let worst = d.worst, d.failed > 0 || worst.relativeError > 0 {
            let same = worst.step == d.first?.step && worst.param == d.first?.param
            lines += same ? ["worst check: the first"] : ["worst check: " + heading(worst)] + describe(worst)
        }
        for finding in d.findings {
            lines.append("")
            lines.append("\(finding.cause.rawValue) in \(place(finding)): steps \(finding.firstStep) to \(finding.lastStep), "
                + "\(finding.checks) check\(finding.checks == 1 ? "" : "s") (\(finding.parameters.joined(separator: ", ")))")
            lines.append("  at step \(finding.example.step):")
            let width = finding.evidence.map(\.name.count).max() ?? 0
            lines += finding.evidence.map { "    " + padded($0.name, width) + "  " + number($0.value) }
            lines += wrapped(finding.cause.advice, indent: "  ")
        }
        if d.classified < d.failed {
            lines.append("")
            lines.append("(the first \(d.classified) failed checks were classified; the other \(d.failed - d.classified) were counted)")
        }
        if let disagreement = d.firstAutodiffDisagreement {
            lines.append("")
            lines.append("\(d.autodiffDisagreements) check\(d.autodiffDisagreements == 1 ? "" : "s") passed although the chain rule "
                + "and the stored autodiff gradient differ beyond the 4-ulp bound; the first: " + heading(disagreement))
            lines += describe(disagreement)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` followed by spaces up to `width` characters.
    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// `text` in lines of at most 100 characters, each after `indent`.
    static func wrapped(_ text: String, indent: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && indent.count + line.count + 1 + word.count > 100 {
                lines.append(indent + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return line.isEmpty ? lines : lines + [indent + line]
    }

    /// The first line: how many checks failed, and with which tolerances.
    private static func headline(_ d: GradientDiagnosis) -> String {
        let settings = "atol \(number(d.tolerance.atol)), rtol \(number(d.tolerance.rtol))" + (d.eps.map { ", eps \(number($0))" } ?? "")
        let source = d.isExternal ? "; logged from outside gradlog, so its steps cannot be evaluated again" : ""
        guard d.failed > 0 else { return "run \(d.runID): all \(d.checks ?? 0) checks passed (\(settings))\(source)" }
        return "run \(d.runID): \(d.failed) of \(d.checks ?? 0) checks failed (\(settings))\(source); a check passes when "
            + "abs error ≤ allowed = atol + rtol·|numeric|"
    }

    /// Where a check is: its step and parameter, and the parameter's unit.
    static func heading(_ c: StoredCheck) -> String {
        "step \(c.step), \(c.param)" + (c.layer.flatMap { layer in c.unit.map { " (layer \(layer), unit \($0))" } } ?? "")
    }

    /// A check's gradients and errors, one figure a line, against what the check allowed.
    static func describe(_ c: StoredCheck) -> [String] {
        let figures = [("analytic", c.analytic), ("numeric", c.numeric)] + (c.autodiff.isNaN ? [] : [("autodiff", c.autodiff)])
            + [("abs error", c.absoluteError), ("allowed", c.allowed), ("rel error", c.relativeError)]
        return figures.map { "    " + padded($0.0, 9) + "  " + number($0.1) }
    }

    private static func place(_ f: GradientFinding) -> String {
        f.layer.flatMap { layer in f.unit.map { "layer \(layer), unit \($0)" } } ?? "parameters"
    }

    /// A number as the tables show it: every digit, NaN as `nan`.
    static func number(_ value: Double) -> String { CellText.plain(.real(value)) }

    /// The whole diagnosis as one JSON object; NaN and infinities as strings, as elsewhere.
    static func json(_ d: GradientDiagnosis) -> JSONValue {
        var members: [String: JSONValue] = [
            "run": .integer(d.runID), "external": .string(d.isExternal ? "yes" : "no"), "checks": d.checks.map { .integer(Int64($0)) } ?? .null,
            "failed": .integer(Int64(d.failed)), "classified": .integer(Int64(d.classified)),
            "atol": .real(d.tolerance.atol), "rtol": .real(d.tolerance.rtol), "eps": d.eps.map(JSONValue.real) ?? .null,
            "autodiff_disagreements": .integer(Int64(d.autodiffDisagreements)),
            "first": d.first.map(json) ?? .null, "worst": d.worst.map(json) ?? .null,
        ]
        members["findings"] = .array(d.findings.map { f in
            .object([
                "cause": .string(f.cause.rawValue), "layer": f.layer.map { .integer(Int64($0)) } ?? .null,
                "unit": f.unit.map { .integer(Int64($0)) } ?? .null, "first_step": .integer(f.firstStep),
                "last_step": .integer(f.lastStep), "checks": .integer(Int64(f.checks)),
                "parameters": .array(f.parameters.map(JSONValue.string)), "example": json(f.example),
                "evidence": .object(Dictionary(f.evidence.map { ($0.name, JSONValue.real($0.value)) }, uniquingKeysWith: { a, _ in a })),
                "advice": .string(f.cause.advice),
            ])
        })
        return .object(members)
    }

    private static func json(_ c: StoredCheck) -> JSONValue {
        .object([
            "step": .integer(c.step), "param": .string(c.param), "layer": c.layer.map { .integer(Int64($0)) } ?? .null,
            "unit": c.unit.map { .integer(Int64($0)) } ?? .null, "value": .real(c.value), "analytic": .real(c.analytic),
            "numeric": .real(c.numeric), "autodiff": c.autodiff.isNaN ? .null : .real(c.autodiff),
            "abs_error": .real(c.absoluteError), "rel_error": .real(c.relativeError), "allowed": .real(c.allowed),
        ])
    }

    /// One row per finding, for CSV, TSV, JSON Lines and Markdown.
    static func findingsTable(_ d: GradientDiagnosis) -> Table {
        Table(columns: ["cause", "layer", "unit", "first_step", "last_step", "checks", "parameters", "evidence"],
              rows: d.findings.map { f in
                  [.text(f.cause.rawValue), f.layer.map { .integer(Int64($0)) } ?? .null, f.unit.map { .integer(Int64($0)) } ?? .null,
                   .integer(f.firstStep), .integer(f.lastStep), .integer(Int64(f.checks)), .text(f.parameters.joined(separator: " ")),
                   .text(f.evidence.map { "\($0.name)=\(number($0.value))" }.joined(separator: " "))]
              })
    }
}
