/// The report queries, embedded in the binary like the migrations.
public enum EmbeddedReports {
    /// The per-epoch report template.
    public static let epochs = text(PackageResources.epochs_sql)
    /// The per-step report template.
    public static let steps = text(PackageResources.steps_sql)

    /// Every report file's name and text, so tests can check nothing in the folder is missing.
    public static let files: [(name: String, sql: String)] = [("epochs.sql", epochs), ("steps.sql", steps)]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
