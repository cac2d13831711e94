/// The report queries, embedded in the binary like the migrations.
public enum EmbeddedReports {
    /// The per-epoch report template.
    public static let epochs = text(PackageResources.epochs_sql)
    /// The per-epoch report template for runs with more parameters than a join can take.
    public static let epochsWide = text(PackageResources.epochs_wide_sql)
    /// The per-layer report (worst gradient check per layer per epoch).
    public static let layers = text(PackageResources.layers_sql)
    /// The per-step report template (one join per parameter, for up to 63 parameters).
    public static let steps = text(PackageResources.steps_sql)
    /// The per-step report template for runs with more parameters than a join can take.
    public static let stepsWide = text(PackageResources.steps_wide_sql)

    /// Every report file's name and text, so tests can check nothing in the folder is missing.
    public static let files: [(name: String, sql: String)] = [
        ("epochs.sql", epochs), ("epochs_wide.sql", epochsWide), ("layers.sql", layers), ("steps.sql", steps), ("steps_wide.sql", stepsWide),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
