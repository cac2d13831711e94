import SQLiteDB
import Training

/// A stored run's samples read back into the dataset it was trained on: the one place that loads
/// `samples`, `sample_inputs` and the feature names of the first layer's weights.
enum StoredSamples {
    /// Run `id`'s samples, each with `inputCount` inputs; nil when the rows do not make a dataset
    /// of that shape (a file edited outside gradlog).
    static func dataset(of id: Int64, inputCount: Int, name: String, in db: Database) throws -> Dataset? {
        let labels = try db.column(Int64.self, "SELECT y FROM samples WHERE run_id = ? ORDER BY sample", [.integer(id)])
        let inputs = try db.measuredColumn(
            "SELECT x FROM sample_inputs WHERE run_id = ? ORDER BY sample, input", [.integer(id)])
        let features = try db.column(
            String.self,
            "SELECT feature FROM params WHERE run_id = ? AND layer = 1 AND unit = 1 AND input IS NOT NULL ORDER BY input",
            [.integer(id)])
        guard inputCount >= 1, inputs.count == labels.count * inputCount, features.count == inputCount else { return nil }
        return Dataset(name: name, featureNames: features, inputs: inputs, labels: labels.map(Double.init))
    }
}
