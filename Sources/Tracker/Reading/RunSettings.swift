import SQLiteDB
import Training

/// One hyperparameter or fact of a run's setup, declared once: its `runs` column, how a new run
/// writes it, how a stored run's configuration reads it back, and whether it goes into the JSON
/// of `runs.config`. `compare` and `diff` show them in this order. Adding a hyperparameter means
/// adding one entry here and a migration that adds its column.
struct RunSetting: Sendable {
    /// The column of `runs`, also the key in `runs.config`.
    let column: String
    /// True when the setting is part of the config JSON.
    let inJSON: Bool
    /// Its value for a new run.
    let write: @Sendable (Trainer) -> SQLiteValue
    /// Sets it in a stored run's configuration; false when the stored value is not one gradlog writes.
    let read: @Sendable (SQLiteValue, inout TrainingConfig) -> Bool
    /// A value the JSON leaves out, so that a single-neuron run's config reads as before networks.
    var omittedFromJSON: SQLiteValue?

    /// The same setting, left out of the JSON when its value is `value`.
    func omittingFromJSON(_ value: SQLiteValue) -> RunSetting {
        var setting = self
        setting.omittedFromJSON = value
        return setting
    }
}

/// Every setting of a run, in the order `compare` shows them.
enum RunSettings {
    static let all: [RunSetting] = [
        text("dataset") { $0.dataset.name },
        text("loss", set: { config, text in Loss(rawValue: text).map { config.loss = $0 } != nil }) { $0.config.loss.rawValue },
        real("lr", set: { $0.learningRate = $1 }) { $0.config.learningRate },
        integer("epochs", set: { $0.epochs = $1 }) { $0.config.epochs },
        integer("batch_size", set: { $0.batchSize = $1 }) { $0.config.effectiveBatchSize(for: $0.dataset) },
        integer("seed", set: { config, seed in
            guard let value = UInt64(exactly: seed) else { return false }
            config.seed = value
            return true
        }) { Int(truncatingIfNeeded: $0.config.seed) },
        real("eps", set: { $0.eps = $1 }) { $0.config.eps },
        real("atol", set: { $0.check = GradientCheck(atol: $1, rtol: $0.check.rtol) }) { $0.config.check.atol },
        real("rtol", set: { $0.check = GradientCheck(atol: $0.check.atol, rtol: $1) }) { $0.config.check.rtol },
        text("init") { $0.initialSource.rawValue },
        text("residual", set: { config, text in Residual(rawValue: text).map { config.residual = $0 } != nil }) {
            $0.config.residual.rawValue
        },
        text("hidden", set: { config, text in
            let units = text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard !units.contains(nil) else { return false }
            config.hidden = units.compactMap { $0 }
            return true
        }) { $0.config.hidden.map(String.init).joined(separator: ",") }.omittingFromJSON(""),
        text("activation", set: { config, text in Activation(rawValue: text).map { config.activation = $0 } != nil }) {
            $0.config.activation.rawValue
        }.omittingFromJSON("sigmoid"),
        integer("check_every", set: { $0.checkEvery = $1 }) { $0.config.checkEvery }.omittingFromJSON(1),
        // 1 or NULL, so that `compare` shows the row only when a run computed it.
        RunSetting(column: "autodiff", inJSON: true, write: { $0.config.autodiff ? .integer(1) : .null }, read: { stored, config in
            guard stored == .null || stored == .integer(1) else { return false }
            config.autodiff = stored == .integer(1)
            return true
        }).omittingFromJSON(.null),
        RunSetting(column: "fault", inJSON: true, write: { $0.config.fault.map { .text($0.description) } ?? .null }, read: { stored, config in
            guard stored != .null else { return true }
            guard let unit = stored.stringValue.flatMap(FaultyUnit.init) else { return false }
            config.fault = unit
            return true
        }).omittingFromJSON(.null),
        RunSetting(column: "inputs", inJSON: false, write: { .integer(Int64($0.dataset.inputCount)) }, read: { _, _ in true }),
        RunSetting(column: "sample_count", inJSON: false, write: { .integer(Int64($0.dataset.sampleCount)) },
                   read: { _, _ in true }),
    ]

    /// The settings' columns, in order.
    static var columns: [String] { all.map(\.column) }

    /// Reads the settings in `columns` (all by default) from a `runs` row into `config`; returns
    /// the first column whose value gradlog never writes, or nil when every one was read.
    ///
    /// A setting whose column the row lacks keeps its default: a migration's backfill reads runs
    /// before later migrations add their columns (v4's reads a row without v8's `autodiff`).
    static func read(_ row: SQLiteRow, into config: inout TrainingConfig, columns: Set<String>? = nil) throws -> String? {
        for setting in all where (columns?.contains(setting.column) ?? true) && row.has(setting.column) {
            if !setting.read(try row[setting.column], &config) { return setting.column }
        }
        return nil
    }

    private static func text(_ column: String, set: @escaping @Sendable (inout TrainingConfig, String) -> Bool = { _, _ in true },
                             _ value: @escaping @Sendable (Trainer) -> String) -> RunSetting {
        RunSetting(column: column, inJSON: true, write: { .text(value($0)) }, read: { stored, config in
            guard let text = stored.stringValue else { return false }
            return set(&config, text)
        })
    }

    private static func real(_ column: String, set: @escaping @Sendable (inout TrainingConfig, Double) -> Void,
                             _ value: @escaping @Sendable (Trainer) -> Double) -> RunSetting {
        RunSetting(column: column, inJSON: true, write: { Measured.value(value($0)) }, read: { stored, config in
            guard let number = Measured.number(stored) else { return false }
            set(&config, number)
            return true
        })
    }

    private static func integer(_ column: String, set: @escaping @Sendable (inout TrainingConfig, Int) -> Void,
                                _ value: @escaping @Sendable (Trainer) -> Int) -> RunSetting {
        integer(column, set: { config, number in
            set(&config, number)
            return true
        }, value)
    }

    private static func integer(_ column: String, set: @escaping @Sendable (inout TrainingConfig, Int) -> Bool,
                                _ value: @escaping @Sendable (Trainer) -> Int) -> RunSetting {
        RunSetting(column: column, inJSON: true, write: { .integer(Int64(value($0))) }, read: { stored, config in
            guard let number = stored.int64Value, let int = Int(exactly: number) else { return false }
            return set(&config, int)
        })
    }

    /// The configuration as JSON, for `runs.config`: every setting in it, the initial parameters
    /// (`w` and `b` for the single neuron, `initial` by name for a network) and the feature names,
    /// keys sorted.
    static func json(_ trainer: Trainer) -> String {
        var members: [String: JSONValue] = [:]
        for setting in all where setting.inJSON {
            let value = setting.write(trainer)
            if value != setting.omittedFromJSON { members[setting.column] = jsonValue(value) }
        }
        members["features"] = .array(trainer.dataset.featureNames.map(JSONValue.string))
        if case .network = trainer.model {
            members["initial"] = .object(Dictionary(uniqueKeysWithValues: zip(
                trainer.parameterNames, trainer.initialParameters.map(JSONValue.real))))
        } else {
            members["b"] = .real(trainer.initialParameters.last ?? 0)
            members["w"] = .array(trainer.initialParameters.dropLast().map(JSONValue.real))
        }
        return JSONValue.object(members).text
    }

    /// A stored setting as JSON; NULL is a NaN (Measured's rule), written as the string "NaN".
    private static func jsonValue(_ value: SQLiteValue) -> JSONValue {
        switch value {
        case .integer(let number): .integer(number)
        case .real(let number): .real(number)
        case .text(let text): .string(text)
        case .null: .real(.nan)
        case .blob: .null
        }
    }
}
