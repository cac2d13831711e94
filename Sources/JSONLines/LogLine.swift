import Tracker
import Training
import Wording

/// One line of `gradlog log`'s input, decoded.
package enum LogLine: Sendable {
    /// `{"config": {...}}`: the run's configuration as JSON text (first line only).
    case config(String)
    /// One step; its values in the order of `names`, the parameters the first step fixed.
    case step(ExternalStep, names: [String])
    /// `{"end": "finished"}` and its kin: how the run ended, why (`error`) and, if given, each
    /// parameter's final value (`params`).
    case end(RunStatus, error: String?, finals: [Double]?)
    /// A line of whitespace only.
    case blank
}

/// Decodes `gradlog log`'s lines; the first step fixes the parameter names and their order.
package struct LogLineDecoder {
    /// The parameters, once the first step has been read.
    private(set) var names: [String]?
    private var positions: [String: Int] = [:]
    private var nameBytes: [[UInt8]] = []
    private var buffers: [[Double]] = [[], [], []]

    /// How an end line may end a run.
    package static let endings: [String: RunStatus] = ["finished": .finished, "failed": .failed, "interrupted": .interrupted,
                                               "diverged": .diverged]

    /// Decodes one line (without its newline; the byte after it must not continue a number).
    package mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONScanner.Failure) -> LogLine {
        var scanner = JSONScanner(bytes)
        if scanner.atEnd() { return .blank }
        guard scanner.peek() == UInt8(ascii: "{") else {
            throw JSONScanner.Failure(message: "the line is not a JSON object: "
                + MessageText.quoted(String(decoding: bytes.prefix(40), as: UTF8.self))
                + "; a program logging through gradlog log writes only JSON Lines to standard output, anything else to standard error")
        }
        var step = ExternalStep(step: 0)
        var seen = 0
        var config: String?, ending: String?, error: String?, values: [Double]?
        try scanner.beginObject("the line")
        while let key = try scanner.nextKey("the line", first: seen == 0) {
            let bit = try Self.bit(of: key)
            guard seen & (1 << bit) == 0 else { throw JSONScanner.Failure(message: "the line gives \(quoted(key.text)) twice") }
            seen |= 1 << bit
            switch bit {
            case 0: step.step = try scanner.integer("\"step\"")
            case 1: step.epoch = try scanner.integer("\"epoch\"")
            case 2: step.loss = try scanner.number("\"loss\"")
            case 3: step.batchSize = try scanner.integer("\"batch_size\"")
            case 4: values = try parameters(&scanner, "\"params\"", slot: 0)
            case 5: step.analytic = try parameters(&scanner, "\"analytic\"", slot: 1)
            case 6: step.numeric = try parameters(&scanner, "\"numeric\"", slot: 2)
            case 7: step.metrics = try metrics(&scanner)
            case 8: config = try scanner.rawValue("\"config\"")
            case 9: ending = try scanner.string()
            default: error = scanner.takeNull() ? nil : try scanner.string()
            }
        }
        guard scanner.atEnd() else { throw scanner.fail("expected the end of the line after the object") }
        return try line(seen: seen, config: config, ending: ending, error: error, values: values, step: step)
    }

    /// The keys a line may have, in the order of the bits that record them.
    private static let keys: [StaticString] = ["step", "epoch", "loss", "batch_size", "params", "analytic", "numeric",
                                               "metrics", "config", "end", "error"]

    /// The bits of the keys of a config line and of an end line (the rest are a step's).
    private static let configBits = 0b001_0000_0000, endBits = 0b110_0001_0000

    private static func bit(of key: JSONScanner.Key) throws(JSONScanner.Failure) -> Int {
        guard let bit = keys.firstIndex(where: { key.is($0) }) else {
            throw JSONScanner.Failure(message: "unknown key \(quoted(key.text)); a step has "
                + keys.prefix(8).map { "\($0)" }.joined(separator: ", ") + ", and the other lines config, or end and error")
        }
        return bit
    }

    /// Puts the decoded keys (`seen`, one bit each) together into one kind of line, refusing keys of two kinds.
    private func line(seen: Int, config: String?, ending: String?, error: String?,
                      values: [Double]?, step: ExternalStep) throws(JSONScanner.Failure) -> LogLine {
        if seen & Self.configBits != 0 {
            guard seen == Self.configBits, let config, config.hasPrefix("{") else {
                throw JSONScanner.Failure(message: "a config line is {\"config\": {...}} with an object and nothing else")
            }
            return .config(config)
        }
        if seen & (1 << 9) != 0 {
            guard seen & ~Self.endBits == 0, let ending, let status = Self.endings[ending] else {
                throw JSONScanner.Failure(message: "an end line is {\"end\": \"finished\"} (or \"failed\", \"interrupted\", "
                    + "\"diverged\"), with an optional \"error\" text and the final \"params\"")
            }
            guard status != .finished || error == nil else {
                throw JSONScanner.Failure(message: "a finished run has no \"error\"; end it as \"failed\" to give one")
            }
            return .end(status, error: error, finals: values)
        }
        guard seen & (1 << 10) == 0 else {
            throw JSONScanner.Failure(message: "\"error\" belongs on an end line: {\"end\": \"failed\", \"error\": \"...\"}")
        }
        guard seen & 1 != 0 else {
            throw JSONScanner.Failure(message: "a step needs \"step\" and a \"loss\", \"metrics\" or \"params\", e.g. {\"step\": 10, \"loss\": 0.25}")
        }
        var step = step
        step.values = values
        return .step(step, names: names ?? [])
    }

    /// An object of parameter values. The first one read fixes the names and their order; later
    /// ones must give the same names, in any order (a wrong count is left to the run to name).
    ///
    /// The values go into the array kept in `slot` (params, analytic, numeric), which the step
    /// shares until the run has copied it: the next line then reuses it instead of allocating.
    private mutating func parameters(_ scanner: inout JSONScanner, _ what: String, slot: Int) throws(JSONScanner.Failure) -> [Double] {
        guard let names else { return try firstParameters(&scanner, what) }
        var values = buffers[slot]
        buffers[slot] = []
        if values.count != names.count { values = Array(repeating: .nan, count: names.count) }
        defer { buffers[slot] = values }
        var given = Set<Int>()
        var givenBits: UInt64 = 0  // the first 64 parameters; the rest in `given`
        var count = 0
        try scanner.beginObject(what)
        while let key = try scanner.nextKey(what, first: count == 0) {
            // Most writers keep the order of the first step: compare bytes before hashing a name.
            guard let k = count < nameBytes.count && key.is(nameBytes[count]) ? count : positions[key.text] else {
                throw JSONScanner.Failure(message: "\(what) names \(quoted(key.text)), which is not one of the run's "
                    + "parameters (fixed by its first step: \(names.joined(separator: ", ")))")
            }
            let twice = k < 64 ? givenBits & (1 << UInt64(k)) != 0 : !given.insert(k).inserted
            if k < 64 { givenBits |= 1 << UInt64(k) }
            guard !twice else {
                throw JSONScanner.Failure(message: "\(what) gives \(quoted(key.text)) twice")
            }
            values[k] = try scanner.number("parameter \(quoted(key.text))")
            count += 1
        }
        return count == values.count ? values : Array(values.prefix(count))
    }

    private mutating func firstParameters(_ scanner: inout JSONScanner, _ what: String) throws(JSONScanner.Failure) -> [Double] {
        var found: [String] = []
        var values: [Double] = []
        var positions: [String: Int] = [:]  // a set of the names so far: a repeat is found in constant time
        try scanner.beginObject(what)
        while let key = try scanner.nextKey(what, first: found.isEmpty) {
            let name = key.text
            guard positions.updateValue(found.count, forKey: name) == nil else {
                throw JSONScanner.Failure(message: "\(what) gives \(quoted(name)) twice")
            }
            guard found.count < ExternalRun.maxParameters else {
                // Stopped here rather than by the run: a line of millions of names would be read whole first.
                throw JSONScanner.Failure(message: "\(what): " + ExternalStepProblem.tooManyParameters(limit: ExternalRun.maxParameters).message)
            }
            found.append(name)
            values.append(try scanner.number("parameter \(quoted(name))"))
        }
        names = found
        nameBytes = found.map { Array($0.utf8) }
        self.positions = positions
        return values
    }

    private func metrics(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> [(name: String, value: Double)] {
        var metrics: [(name: String, value: Double)] = []
        try scanner.beginObject("\"metrics\"")
        while let key = try scanner.nextKey("\"metrics\"", first: metrics.isEmpty) {
            let name = key.text
            metrics.append((name, try scanner.number("metric \(quoted(name))")))
        }
        return metrics
    }
}
