/// The schema migrations, embedded in the binary so that a copied executable needs no files beside it.
///
/// To add one: put `NNNN_description.sql` in this folder, list it in Package.swift's `embedInCode`
/// resources and below (a PostgreSQL one goes in `PostgreSQL/` and `postgres`). A test checks that every `.sql` file here is listed.
public enum EmbeddedMigrations {
    /// Every migration file's name and text, in order.
    public static let files: [(name: String, sql: String)] = [
        ("0001_init.sql", text(PackageResources._001_init_sql)),
        ("0002_liveness.sql", text(PackageResources._002_liveness_sql)),
        ("0003_provenance.sql", text(PackageResources._003_provenance_sql)),
        ("0004_sql_native.sql", text(PackageResources._004_sql_native_sql)),
        ("0005_gradient_blocks.sql", text(PackageResources._005_gradient_blocks_sql)),
        ("0006_external_runs.sql", text(PackageResources._006_external_runs_sql)),
        ("0007_closed_words.sql", text(PackageResources._007_closed_words_sql)),
    ]

    /// The PostgreSQL team store's migrations (`PostgreSQL/NNNN_description.sql`), in order: the same
    /// table, view and column names in PostgreSQL's types, numbered on their own.
    public static let postgres: [(name: String, sql: String)] = [
        ("PostgreSQL/0001_team_store.sql", text(PackageResources._001_team_store_sql)),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
