/// One row of `sqlite_schema`: a table, index, view or trigger, with the SQL SQLite keeps verbatim
/// (nil for the indexes SQLite makes itself for UNIQUE and PRIMARY KEY constraints).
public struct SchemaObject: Hashable, Sendable {
    /// "table", "index", "view" or "trigger".
    public let type: String
    /// The object's name.
    public let name: String
    /// The table it belongs to (its own name for a table or a view).
    public let table: String
    /// The statement that created it, as altered by any later ALTER TABLE.
    public let sql: String?

    /// An object from its parts.
    public init(type: String, name: String, table: String, sql: String?) {
        self.type = type
        self.name = name
        self.table = table
        self.sql = sql
    }
}

extension Database {
    /// The objects of the schema `quotedSchemaName` (`main`, or an attached database's quoted
    /// name), in the order SQLite keeps them.
    public func schemaObjects(in quotedSchemaName: String = "main") throws -> [SchemaObject] {
        try namedRows("SELECT type, name, tbl_name, sql FROM \(quotedSchemaName).sqlite_schema").map {
            SchemaObject(type: try $0["type"], name: try $0["name"], table: try $0["tbl_name"], sql: try $0["sql"])
        }
    }
}
