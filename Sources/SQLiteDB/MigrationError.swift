/// Why a database could not be brought to the current schema.
public enum MigrationError: Error, Equatable, CustomStringConvertible {
    /// The database was written by a newer program: its schema version is above the latest one known.
    case newerSchema(found: Int, supported: Int)
    /// The file holds tables but none of the migration bookkeeping: it belongs to another program.
    case foreignDatabase
    /// After migration `version`, rows of `table` pointed at rows that do not exist: rolled back.
    case foreignKeyViolation(version: Int, table: String)

    public var description: String {
        switch self {
        case let .newerSchema(found, supported):
            "the database has schema version \(found), but this program knows versions up to \(supported); "
                + "it was written by a newer version: upgrade this program (the file was not changed)"
        case .foreignDatabase:
            "the file is an SQLite database that was not made by this program (it has tables but no "
                + "schema_migrations table); choose another file (the file was not changed)"
        case let .foreignKeyViolation(version, table):
            "upgrading to schema version \(version) found rows of \(table) that belong to no row they refer to; "
                + "the upgrade was rolled back (the file was not changed)"
        }
    }
}
