/// The report queries, embedded in the binary like the migrations (every `.sql` file of this
/// folder is, by the EmbedSQL plugin; a new report also needs its kind in Tracker's `ReportTemplate`).
public enum EmbeddedReports {
    /// The per-epoch report template.
    public static let epochs = EmbeddedSQL.epochs_sql
    /// The per-epoch report template for runs with more parameters than a join can take.
    public static let epochsWide = EmbeddedSQL.epochs_wide_sql
    /// The per-layer report (worst gradient check per layer per epoch).
    public static let layers = EmbeddedSQL.layers_sql
    /// The per-step report template (one join per parameter, for up to 63 parameters).
    public static let steps = EmbeddedSQL.steps_sql
    /// The per-step report template for runs with more parameters than a join can take.
    public static let stepsWide = EmbeddedSQL.steps_wide_sql

    /// Every report file's name and text, so tests can check nothing in the folder is missing.
    public static let files = EmbeddedSQL.files
}
