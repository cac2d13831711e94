import Tracker
import Training
import Wording

/// One line of `gradlog log`'s input, decoded.
package enum LogLine: Sendable {
    /// `{"config": {...}}`: the run's configuration as JSON text (first line only).
    case config(String)
    /// One step, its parameters (if any) at positions in the order the lines named them.
    case step(ExternalStep)
    /// `{"end": "finished"}` and its kin: how the run ended, why (`error`) and, if given, final
    /// values (`params`): of every parameter in order, or of those at `positions`.
    case end(RunStatus, error: String?, finals: [Double]?, positions: [Int]?)
    /// A line of whitespace only.
    case blank
}

/// Decodes `gradlog log`'s lines; the parameters take positions in the order the lines name them.
package struct LogLineDecoder {
    /// The parameters named by the lines so far, in order.
    private var names: [String] = []
    private var positions: [String: Int] = [:]
    private var nameBytes: [[UInt8]] = []
    /// Parameters named for the first time on the current line, after `names`.
    private var lineNames: [String] = []
    private var linePositions: [String: Int] = [:]
    /// The arrays of the last line's params, analytic and numeric objects, reused by the next line.
    private var buffers: [[Double]] = [[], [], []]
    private var positionBuffers: [[Int]] = [[], [], []]

    /// One object of parameter values, as the line gives it: positions and values in its order.
    struct ParameterObject {
        var positions: [Int]
        var values: [Double]
        /// Whether the positions are 0, 1, 2, ...: every parameter so far, in the run's order.
        var inOrder: Bool
    }

    /// A line's objects of parameter values, where given.
    struct ParameterObjects {
        var params: ParameterObject?, analytic: ParameterObject?, numeric: ParameterObject?
    }

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
        var config: String?, ending: String?, error: String?
        var objects = ParameterObjects()
        (lineNames, linePositions) = ([], [:])
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
            case 4: objects.params = try parameters(&scanner, "\"params\"", slot: 0)
            case 5: objects.analytic = try parameters(&scanner, "\"analytic\"", slot: 1)
            case 6: objects.numeric = try parameters(&scanner, "\"numeric\"", slot: 2)
            case 7: step.metrics = try metrics(&scanner)
            case 8: config = try scanner.rawValue("\"config\"")
            case 9: ending = try scanner.string()
            default: error = scanner.takeNull() ? nil : try scanner.string()
            }
        }
        guard scanner.atEnd() else { throw scanner.fail("expected the end of the line after the object") }
        return try line(seen: seen, config: config, ending: ending, error: error, objects: objects, step: step)
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
    private mutating func line(seen: Int, config: String?, ending: String?, error: String?,
                               objects: ParameterObjects, step: ExternalStep) throws(JSONScanner.Failure) -> LogLine {
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
            guard lineNames.isEmpty else {
                throw JSONScanner.Failure(message: "its params: " + ExternalStepProblem.finalWithoutSteps(lineNames[0]).message)
            }
            let finals = objects.params
            let all = finals.map { $0.inOrder && $0.values.count == names.count } ?? false
            return .end(status, error: error, finals: finals?.values, positions: all ? nil : finals?.positions)
        }
        guard seen & (1 << 10) == 0 else {
            throw JSONScanner.Failure(message: "\"error\" belongs on an end line: {\"end\": \"failed\", \"error\": \"...\"}")
        }
        guard seen & 1 != 0 else {
            throw JSONScanner.Failure(message: "a step needs \"step\" and a \"loss\", \"metrics\" or \"params\", e.g. {\"step\": 10, \"loss\": 0.25}")
        }
        return .step(try parameters(of: step, from: objects))
    }

    /// The step with its parameter values and gradients, each gradient list in the order of the
    /// values; the line's new parameter names join the run's.
    private mutating func parameters(of step: ExternalStep, from objects: ParameterObjects) throws(JSONScanner.Failure)
        -> ExternalStep {
        var step = step
        defer {
            for name in lineNames {
                positions[name] = names.count
                names.append(name)
                nameBytes.append(Array(name.utf8))
            }
        }
        step.newParameters = lineNames
        guard let params = objects.params else {
            // Gradients without values: the run refuses them, saying so.
            (step.analytic, step.numeric) = (objects.analytic?.values, objects.numeric?.values)
            return step
        }
        let every = params.inOrder && params.values.count == names.count + lineNames.count
        step.values = params.values
        step.positions = every ? nil : params.positions
        step.analytic = try aligned(objects.analytic, to: params, "analytic")
        step.numeric = try aligned(objects.numeric, to: params, "numeric")
        return step
    }

    /// A gradient object's values in the order of `params`, which must name the same parameters.
    private func aligned(_ object: ParameterObject?, to params: ParameterObject, _ what: String) throws(JSONScanner.Failure)
        -> [Double]? {
        guard let object else { return nil }
        // Worded only when thrown: most lines are fine.
        var mismatch: JSONScanner.Failure { JSONScanner.Failure(message: ExternalStepProblem.gradientsMismatch(what: what).message) }
        guard object.values.count == params.values.count else { throw mismatch }
        // Most writers give the gradients in the order of the values.
        if object.positions == params.positions { return object.values }
        var index: [Int: Int] = [:]
        for (i, k) in object.positions.enumerated() { index[k] = i }
        var values: [Double] = []
        values.reserveCapacity(params.values.count)
        for k in params.positions {
            guard let i = index[k] else { throw mismatch }
            values.append(object.values[i])
        }
        return values
    }

    /// An object of parameter values, in the order given. A name the lines have not named before
    /// takes the next position (and becomes one of the run's parameters with the line).
    ///
    /// The values are written at their positions into the array kept in `slot` (params, analytic,
    /// numeric), which the step shares until the run has copied it: the next line then reuses it
    /// instead of allocating. Only an object that gives some of the parameters, or in another
    /// order, is copied out in its own order.
    private mutating func parameters(_ scanner: inout JSONScanner, _ what: String,
                                     slot: Int) throws(JSONScanner.Failure) -> ParameterObject {
        var positions = positionBuffers[slot], values = buffers[slot]
        (positionBuffers[slot], buffers[slot]) = ([], [])
        positions.removeAll(keepingCapacity: true)
        if values.count != names.count { values = Array(repeating: .nan, count: names.count) }
        defer { (positionBuffers[slot], buffers[slot]) = (positions, values) }
        var given = Set<Int>()
        var givenBits: UInt64 = 0  // the first 64 parameters; the rest in `given`
        var inOrder = true
        try scanner.beginObject(what)
        while let key = try scanner.nextKey(what, first: positions.isEmpty) {
            let count = positions.count
            // Most writers keep the order of the first step: compare bytes before hashing a name.
            let k = count < nameBytes.count && key.is(nameBytes[count]) ? count : try position(of: key.text, what)
            let twice = k < 64 ? givenBits & (1 << UInt64(k)) != 0 : !given.insert(k).inserted
            if k < 64 { givenBits |= 1 << UInt64(k) }
            guard !twice else { throw JSONScanner.Failure(message: "\(what) gives \(quoted(key.text)) twice") }
            inOrder = inOrder && k == count
            if k >= values.count { values.append(contentsOf: Array(repeating: .nan, count: k + 1 - values.count)) }
            values[k] = try scanner.number("parameter \(quoted(key.text))")
            positions.append(k)
        }
        if inOrder && positions.count == values.count { return ParameterObject(positions: positions, values: values, inOrder: true) }
        return ParameterObject(positions: positions, values: positions.map { values[$0] }, inOrder: false)
    }

    /// The position of parameter `name`: the run's, or the next one for a name new on this line.
    private mutating func position(of name: String, _ what: String) throws(JSONScanner.Failure) -> Int {
        if let k = positions[name] ?? linePositions[name] { return k }
        guard names.count + lineNames.count < ExternalRun.maxParameters else {
            // Stopped here rather than by the run: a line of millions of names would be read whole first.
            throw JSONScanner.Failure(message: "\(what): " + ExternalStepProblem.tooManyParameters(limit: ExternalRun.maxParameters).message)
        }
        let k = names.count + lineNames.count
        linePositions[name] = k
        lineNames.append(name)
        return k
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
