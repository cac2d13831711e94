import SQLiteDB

/// The Swift source of `EmbeddedSQL.migratedSchema`: what a target's top-level migrations leave in
/// an empty SQLite database, applied by SQLiteDB's own migrator when the binary is built, so that
/// no run of gradlog has to apply them to an in-memory database to learn it.
enum MigratedSchemaSource {
    /// The extension of `EmbeddedSQL` that holds the schema of `files`' top-level `NNNN_name.sql`
    /// migrations; a migration that fails stops the build with SQLite's message.
    static func swiftSource(of files: [EmbeddedFile]) throws -> String {
        let migrations = try files.filter { !$0.name.contains("/") }.map { file in
            guard let migration = Migration<Database>(file: file.name, sql: file.text) else {
                throw EmbeddingError("\(file.name) is not a migration: its name must start with its number (0012_name.sql)")
            }
            return migration
        }
        let schema: MigratedSchema
        do {
            schema = try MigratedSchema(SQLiteMigrator(migrations: migrations))
        } catch {
            throw EmbeddingError("the migrations do not apply to an empty database: \(error)")
        }
        var source = """

            extension EmbeddedSQL {
                /// What the top-level migrations leave in an empty SQLite database, as SQLiteDB's migrator
                /// applied them when embed-sql wrote this file: the SQLite library that did it, the version,
                /// whether a new file may be made from the objects alone, and the objects (type, name, table,
                /// SQL) in the order SQLite keeps them.
                static let migratedSchema: (sqlite: String, version: Int, canCreateFromObjects: Bool,
                                            objects: [(type: String, name: String, table: String, sql: String?)]) = (
                    \(EmbeddedFile.literal(Database.libraryVersion)), \(schema.version), \(schema.canCreateFromObjects), [

            """
        for object in schema.objects {
            let sql = object.sql.map(EmbeddedFile.literal) ?? "nil"
            source += "            (\(EmbeddedFile.literal(object.type)), \(EmbeddedFile.literal(object.name)), "
                + "\(EmbeddedFile.literal(object.table)), \(sql)),\n"
        }
        return source + "        ]\n    )\n}\n"
    }
}
