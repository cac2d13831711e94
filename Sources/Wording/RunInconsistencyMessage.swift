import SQLiteDB
import Tracker
import Training

extension RunInconsistency {
    /// What does not fit, in words, after "run N is inconsistent: ".
    public var words: String {
        switch self {
        case .unknownStatus(let status):
            "its status is \(MessageText.quoted(status)), none of " + RunStatus.allCases.map(\.rawValue).joined(separator: ", ")
        case let .implausibleCounts(inputs, samples, steps):
            "it claims \(inputs) inputs, \(samples) samples and \(steps) steps"
        case let .samples(found, inputValues, expected, inputs):
            "it has \(found) samples and \(inputValues) input values, expected samples 1 to \(expected) with inputs 1 to \(inputs) each"
        case .sampleShape:
            "its samples do not fit its number of inputs and their names"
        case let .stepCount(claimed, steps, lastStep):
            "runs.step_count says \(claimed) steps, but it has \(steps) steps numbered up to \(lastStep)"
        case let .lastStep(claimed, lastStep):
            "runs.step_count says \(claimed), but its last step is \(lastStep)"
        case let .gradientRows(total, matching, expected):
            "it has \(total) gradient rows (\(matching) of them for its steps and parameters), expected \(expected)"
        case .parameterPositions:
            "its parameters are not numbered 0, 1, 2, ..."
        case let .parameters(found, model):
            "its parameters are \(MessageText.shown(found.joined(separator: ", "))) where its model has "
                + MessageText.shown(model.joined(separator: ", "))
        case let .parameterPlace(name, found, model):
            "its parameter \(MessageText.quoted(name)) is at \(Self.place(found)) where its model has it at \(Self.place(model))"
        case let .parameterCount(found, model):
            "it has \(found) parameters where its model has \(model)"
        case .unwrittenSetting(let column):
            "its \(column) is not a value gradlog writes"
        case .epochWithoutRow(let epoch):
            "epoch \(epoch) has steps but no epochs row"
        case let .epochRow(row, steps):
            "its epochs row \(row.epoch) says \(row.steps) steps up to step \(row.lastStep), but the steps table has "
                + "epoch \(steps.epoch) with \(steps.steps) steps up to step \(steps.lastStep)"
        case .epochRowWithoutSteps(let epoch):
            "it has an epochs row for epoch \(epoch), which has no steps"
        case .metricName(let name):
            "it has a metric named \(MessageText.quoted(name))"
        case let .blob(table, column):
            "\(table).\(column) holds a blob"
        case let .fingerprint(stored, computed):
            "its rows do not hash to its fingerprint (runs.fingerprint is \(MessageText.quoted(stored)), its rows give "
                + "\(computed)): a row was changed after it was logged, so nothing of it is copied"
        }
    }

    /// "position 0, layer 1, unit 1, input none", of a parameter's place as the file holds it.
    private static func place(_ values: [SQLiteValue]) -> String {
        zip(["position", "layer", "unit", "input"], values).map { name, value in
            let shown = switch value {
            case .null: "none"
            case .integer(let number): "\(number)"
            case .real(let number): "\(number)"
            case .text(let text): MessageText.quoted(text)
            case .blob(let bytes): "a blob of \(bytes.count) bytes"
            }
            return "\(name) \(shown)"
        }.joined(separator: ", ")
    }
}

extension SchemaDifference {
    /// How the schema differs, in words, after "this is not the schema gradlog makes: ".
    public var words: String {
        switch self {
        case let .missing(type, name): "its \(type) \(name) is missing"
        case let .otherType(name, found, expected): "\(name) is a \(found), where gradlog has a \(expected)"
        case let .redefined(type, name): "its \(type) \(name) is not defined as gradlog defines it"
        case let .extra(type, name): "it has a \(type), \(name), that gradlog does not make"
        }
    }
}
