import Tracker

/// One line of `gradlog log`'s input, decoded.
enum LogLine {
    /// `{"config": {...}}`: the run's configuration as JSON text (first line only).
    case config(String)
    /// One step; the parameter values in the order of the first step's `params`.
    case step(ExternalStep)
    /// `{"end": "finished"}` and its kin: how the run ended, why (`error`) and, if given, each
    /// parameter's final value (`params`).
    case end(RunStatus, error: String?, finals: [Double]?)
    /// A line of whitespace only.
    case blank
}

/// Decodes `gradlog log`'s lines; the first step fixes the parameter names and their order.
struct LogLineDecoder {
    /// The parameters, once the first step has been read.
    private(set) var names: [String]?
    private var positions: [String: Int] = [:]

    /// The keys a step line may have.
    static let stepKeys: Set<String> = ["step", "epoch", "loss", "batch_size", "params", "analytic", "numeric", "metrics"]

    /// How an end line may end a run.
    static let endings: [String: RunStatus] = ["finished": .finished, "failed": .failed, "interrupted": .interrupted,
                                               "diverged": .diverged]

    /// Decodes one line (without its newline; the byte after it must not continue a number).
    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanner.Failure) -> LogLine {
        var scanner = JSONScanner(bytes)
        if scanner.atEnd() { return .blank }
        var step = ExternalStep(step: 0, values: [])
        var kind: String?
        var seen: Set<String> = []
        var config: String?, ending: String?, error: String?, values: [Double]?
        try scanner.object("the line") { (scanner: inout JSONScanner, key: String) throws(JSONScanner.Failure) in
            seen.insert(key)
            switch key {
            case "config": config = try scanner.rawValue("\"config\"")
            case "end": ending = try scanner.string()
            case "error": error = try scanner.string()
            case "step": step.step = try scanner.integer("\"step\"")
            case "epoch": step.epoch = try scanner.integer("\"epoch\"")
            case "batch_size": step.batchSize = try scanner.integer("\"batch_size\"")
            case "loss": step.loss = try scanner.number("\"loss\"")
            case "params": values = try parameters(&scanner, "\"params\"")
            case "analytic": step.analytic = try parameters(&scanner, "\"analytic\"")
            case "numeric": step.numeric = try parameters(&scanner, "\"numeric\"")
            case "metrics": step.metrics = try metrics(&scanner)
            default:
                throw JSONScanner.Failure(message: "unknown key \(quoted(key)); a step has "
                    + Self.stepKeys.sorted().joined(separator: ", ") + ", and the other lines config, or end and error")
            }
            kind = kind ?? (["config", "end"].contains(key) ? key : "step")
        }
        guard scanner.atEnd() else { throw scanner.fail("expected the end of the line after the object") }
        return try line(kind: kind, seen: seen, config: config, ending: ending, error: error, values: values, step: step)
    }

    /// Puts the decoded keys together into one kind of line, refusing keys of two kinds.
    private func line(kind: String?, seen: Set<String>, config: String?, ending: String?, error: String?,
                      values: [Double]?, step: ExternalStep) throws(JSONScanner.Failure) -> LogLine {
        switch kind {
        case "config":
            guard seen == ["config"], let config, config.hasPrefix("{") else {
                throw JSONScanner.Failure(message: "a config line is {\"config\": {...}} with an object and nothing else")
            }
            return .config(config)
        case "end":
            guard seen.isSubset(of: ["end", "error", "params"]), let ending, let status = Self.endings[ending] else {
                throw JSONScanner.Failure(message: "an end line is {\"end\": \"finished\"} (or \"failed\", \"interrupted\", "
                    + "\"diverged\"), with an optional \"error\" text and the final \"params\"")
            }
            return .end(status, error: error, finals: values)
        default:
            guard seen.isSubset(of: Self.stepKeys) else {
                throw JSONScanner.Failure(message: "a step line cannot also hold config, end or error")
            }
            guard seen.contains("step"), let values else {
                throw JSONScanner.Failure(message: "a step needs \"step\" and \"params\", e.g. {\"step\": 1, \"params\": {\"w\": 0.5}}")
            }
            var step = step
            step.values = values
            return .step(step)
        }
    }

    /// An object of parameter values. The first one read fixes the names and their order; later
    /// ones must give the same names, in any order (a wrong count is left to the run to name).
    private mutating func parameters(_ scanner: inout JSONScanner, _ what: String) throws(JSONScanner.Failure) -> [Double] {
        if names == nil {
            var found: [String] = []
            var values: [Double] = []
            try scanner.object(what) { (scanner: inout JSONScanner, key: String) throws(JSONScanner.Failure) in
                found.append(key)
                values.append(try scanner.number("parameter \(quoted(key))"))
            }
            names = found
            positions = Dictionary(uniqueKeysWithValues: found.enumerated().map { ($1, $0) })
            return values
        }
        var values = Array(repeating: Double.nan, count: positions.count)
        var count = 0
        try scanner.object(what) { [positions] (scanner: inout JSONScanner, key: String) throws(JSONScanner.Failure) in
            guard let k = positions[key] else {
                throw JSONScanner.Failure(message: "\(what) names \(quoted(key)), which is not one of the run's parameters "
                    + "(fixed by its first step: \((names ?? []).joined(separator: ", ")))")
            }
            values[k] = try scanner.number("parameter \(quoted(key))")
            count += 1
        }
        return count == values.count ? values : Array(values.prefix(count))
    }

    private func metrics(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> [(name: String, value: Double)] {
        var metrics: [(name: String, value: Double)] = []
        try scanner.object("\"metrics\"") { (scanner: inout JSONScanner, key: String) throws(JSONScanner.Failure) in
            metrics.append((key, try scanner.number("metric \(quoted(key))")))
        }
        return metrics
    }
}
