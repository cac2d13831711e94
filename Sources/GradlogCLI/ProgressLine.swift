import Tracker
import Output

/// One line on standard error that a long command redraws as it goes, on a terminal only.
///
/// It is redrawn at most ten times a second (`\r`, the text, then ESC[K to clear the rest of the
/// line) and erased before the command prints its result, so nothing of it stays in the output.
final class ProgressLine {
    private let console: Console
    private let start = Timestamp.monotonicSeconds()
    private var lastDraw = -1.0
    private var drawn = false

    /// The least time between two redraws.
    static let interval = 0.1

    /// Columns left free at the end of the line, for the terminal's `^C` echo.
    static let margin = 4

    init(console: Console) {
        self.console = console
    }

    /// Redraws the line with `text` unless it was drawn less than `interval` ago (or `text` is nil:
    /// nothing to show yet).
    func update(_ text: @autoclosure () -> String?) {
        let now = Timestamp.monotonicSeconds()
        guard now - lastDraw >= Self.interval, var line = text() else { return }
        lastDraw = now
        // Narrower than the terminal, with room for an echoed ^C: a wrapped line cannot be redrawn
        // or erased in place.
        if let columns = console.errorColumns, line.count > columns - Self.margin {
            line = String(line.prefix(max(columns - Self.margin - 1, 1))) + "…"
        }
        console.err("\r" + line + "\u{1B}[K")
        drawn = true
    }

    /// Seconds since the line was made.
    var elapsed: Double { Timestamp.monotonicSeconds() - start }

    /// Erases the line, if it was ever drawn.
    func erase() {
        if drawn { console.err("\r\u{1B}[K") }
        drawn = false
    }

    /// Shows `activity` with the time it has taken while `store`'s long statements run, on a
    /// terminal only; returns the line to erase, or nil.
    static func watching(_ store: Store, _ activity: String, console: Console) -> ProgressLine? {
        guard console.errorIsTerminal else { return nil }
        let line = ProgressLine(console: console)
        store.onProgress(every: 100_000) { line.update("\(activity)… \(duration(line.elapsed))") }
        return line
    }

    /// The text for a training run: steps done of planned, percent, rate, time left, loss, worst error.
    static func describe(_ progress: RunProgress, elapsed: Double) -> String {
        let fraction = progress.plannedSteps > 0 ? Double(progress.steps) / Double(progress.plannedSteps) : 0
        let rate = elapsed > 0 ? Double(progress.steps) / elapsed : 0
        let left = rate > 0 ? Double(progress.plannedSteps - progress.steps) / rate : 0
        return "step \(grouped(progress.steps))/\(grouped(progress.plannedSteps))  \(percent(fraction))  "
            + "\(rateText(rate))  ETA \(duration(left))  "
            + figures(loss: progress.loss, worstRelativeError: progress.worstRelativeError)
    }

    /// The text for a run logged from outside (`gradlog log`), whose length gradlog does not know:
    /// the last step and its epoch instead of a share and a time left, the rate `gradlog runs`
    /// shows (step numbers per second since the run started), then the same figures.
    static func describe(_ latest: LatestStep) -> String {
        "step \(grouped(latest.step))  epoch \(grouped(latest.epoch))  \(rateText(latest.stepsPerSecond))  "
            + figures(loss: latest.loss, worstRelativeError: latest.worstRelativeError)
    }

    /// `206,621 steps/s`, whole steps, at most a quadrillion (a step logged in no time at all).
    static func rateText(_ rate: Double) -> String {
        "\(grouped(rate > 0 ? Int(min(rate, 1e15)) : 0)) steps/s"
    }

    /// The loss and the worst relative error so far (`-` before the first check).
    private static func figures(loss: Double, worstRelativeError: Double?) -> String {
        "loss \(shortNumber(loss))  worst rel error \(worstRelativeError.map { shortNumber($0) } ?? "-")"
    }

    /// A whole number with thousands separated: 1,234,567.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (value < 0 ? "-" : "") + text
    }

    static func percent(_ fraction: Double) -> String {
        let tenths = Int((fraction * 1000).rounded(.down))
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// `m:ss`, or `h:mm:ss` from an hour on.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.isFinite ? seconds.rounded() : 0)
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let pad = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(pad(minutes)):\(pad(rest))" : "\(minutes):\(pad(rest))"
    }

    /// Four significant digits, enough to watch a number move.
    static func shortNumber(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return value.isNaN ? "nan" : "\(value)" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            let scaled = (value * 10_000).rounded() / 10_000
            return "\(scaled)"
        }
        var exponent = 0
        var mantissa = magnitude
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        let digits = (mantissa * 1000).rounded() / 1000
        return (value < 0 ? "-" : "") + "\(digits)e\(exponent)"
    }
}
