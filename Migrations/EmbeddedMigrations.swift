/// The schema migrations, embedded in the binary so that a copied executable needs no files beside it.
///
/// To add one: put `NNNN_description.sql` in this folder, list it in Package.swift's `embedInCode`
/// resources and below. A test checks that every `.sql` file here is listed.
public enum EmbeddedMigrations {
    /// Every migration file's name and text, in order.
    public static let files: [(name: String, sql: String)] = [
        ("0001_init.sql", text(PackageResources._001_init_sql)),
        ("0002_liveness.sql", text(PackageResources._002_liveness_sql)),
        ("0003_provenance.sql", text(PackageResources._003_provenance_sql)),
        ("0004_sql_native.sql", text(PackageResources._004_sql_native_sql)),
        ("0005_gradient_blocks.sql", text(PackageResources._005_gradient_blocks_sql)),
        ("0006_external_runs.sql", text(PackageResources._006_external_runs_sql)),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
