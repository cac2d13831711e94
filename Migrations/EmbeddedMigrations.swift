/// The schema migrations, embedded in the binary so that a copied executable needs no files beside it.
///
/// To add one, put `NNNN_description.sql` in this folder (a PostgreSQL one in `PostgreSQL/`): the
/// build's EmbedSQL plugin embeds every `.sql` file here, so no list names it. A backfill, if it
/// needs one, is registered by its number in Tracker's `MigrationCatalog`.
public enum EmbeddedMigrations {
    /// The SQLite file's migrations (`NNNN_description.sql`), each file's name and text, in order.
    public static let files = EmbeddedSQL.files.filter { !$0.name.contains("/") }

    /// The PostgreSQL team store's migrations (`PostgreSQL/NNNN_description.sql`), in order: the same
    /// table, view and column names in PostgreSQL's types, numbered on their own.
    public static let postgres = EmbeddedSQL.files.filter { $0.name.hasPrefix("PostgreSQL/") }

    /// What the SQLite migrations leave in an empty database, as the build read it.
    public typealias BuiltSchema = (sqlite: String, version: Int, canCreateFromObjects: Bool,
                                    objects: [(type: String, name: String, table: String, sql: String?)])

    /// What the SQLite migrations leave in an empty database, read by the build (embed-sql applies
    /// them with SQLiteDB's migrator): the SQLite library's version that applied them, their last
    /// version, whether a new file may be created from the objects alone, and the objects in SQLite's
    /// order. Tracker's `MigrationCatalog` takes it when the SQLite linked at run time is the same;
    /// `StoreTests` checks that it is what applying the migrations and their backfills gives then.
    public static let migratedSchema: BuiltSchema = EmbeddedSQL.migratedSchema
}
