import Charts
import SQLiteDB
import Tracker
import Training

/// An ε sweep (`gradlog check --eps-sweep`) as a table and as a log-log chart of its errors.
enum SweepChart {
    /// One row per parameter and ε: the numeric gradient, the chain rule's and the compiler's, the
    /// errors, and `mark`: `run` at the run's ε, `best` at the ε closest to the chain rule (and
    /// `best-autodiff` closest to the compiler, when that is another ε).
    static func table(_ s: StepSweep) -> Table {
        let sweep = s.sweep
        var rows: [[SQLiteValue]] = []
        for row in sweep.rows {
            let k = row.parameter
            var marks: [String] = []
            if row.eps == s.runEps { marks.append("run") }
            let best = sweep.bestEpsilon(of: k), bestAutodiff = sweep.bestEpsilon(of: k, againstAutodiff: true)
            if row.eps == best { marks.append("best") }
            if row.eps == bestAutodiff && bestAutodiff != best { marks.append("best-autodiff") }
            rows.append([.text(s.parameterNames[k]), .real(row.eps), Measured.value(row.numeric), Measured.value(sweep.analytic[k]),
                         Measured.value(sweep.autodiff[k]), Measured.value(row.absoluteError), Measured.value(row.relativeError),
                         Measured.value(row.autodiffError), .text(marks.joined(separator: " "))])
        }
        return Table(columns: ["param", "eps", "numeric", "analytic", "autodiff", "abs_error", "rel_error", "autodiff_error", "mark"],
                     rows: rows)
    }

    /// |analytic − numeric| and |autodiff − numeric| of each parameter against ε, both axes logarithmic:
    /// the V of truncation (right) and round-off (left); the run's own ε as points.
    static func chart(_ s: StepSweep) -> LineChart {
        let epsilons = s.sweep.rows.map(\.eps)
        let domain = (epsilons.min() ?? 1e-13)...(epsilons.max() ?? 1e-1)
        func envelope(_ points: [(Double, Double)]) -> Envelope {
            var envelope = Envelope(width: LineChart.plotWidth, xDomain: domain, xKind: .log)
            for (x, y) in points { envelope.add(x: x, y: y) }
            return envelope
        }
        var series: [LineChart.Series] = []
        let parameters = s.sweep.rows.map(\.parameter).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        for k in parameters {
            let rows = s.sweep.rows.filter { $0.parameter == k }
            series.append(.init(name: "\(s.parameterNames[k]): |analytic − numeric|", envelope: envelope(rows.map { ($0.eps, $0.absoluteError) })))
            // The compiler's line only where it is another line: agreeing with the chain rule, it would cover it.
            if !s.sweep.autodiff[k].isNaN && !AutodiffBound.agrees(s.sweep.analytic[k], s.sweep.autodiff[k], inputScale: s.inputScale) {
                series.append(.init(name: "\(s.parameterNames[k]): |autodiff − numeric|", envelope: envelope(rows.map { ($0.eps, $0.autodiffError) })))
            }
        }
        let atRun = s.sweep.rows.filter { $0.eps == s.runEps }.map { ($0.eps, $0.absoluteError) }
        series.append(.init(name: "at the run's ε = \(DiagnosisText.number(s.runEps))", envelope: envelope(atRun), drawing: .points))
        var chart = LineChart(title: "ε sweep of run \(s.runID) at step \(s.step)",
                              description: "The error of the central difference against ε, log-log: truncation (∝ ε²) on the right, "
                                + "round-off (∝ machine ε / ε) on the left; against the compiler's gradient too where the chain rule's differs.",
                              xLabel: "ε", yLabel: "absolute error", yKind: .log, series: series)
        chart.xKind = .log
        return chart
    }
}
