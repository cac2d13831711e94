/// An error reported by libpq or the server, keeping the SQLSTATE code, the message and the SQL.
public struct PostgresError: Error, Equatable, CustomStringConvertible {
    /// The five-character SQLSTATE (`42P01` undefined table, `28P01` bad password), when the server sent one.
    public let sqlState: String?
    /// The message of libpq or the server, without its trailing newline.
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    /// Creates an error from its parts.
    public init(sqlState: String?, message: String, sql: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    /// The longest piece of SQL a message quotes.
    public static let quotedSQLLimit = 300

    public var description: String {
        var text = "PostgreSQL error" + (sqlState.map { " \($0)" } ?? "") + ": " + message
        if let sql {
            let shown = sql.count > Self.quotedSQLLimit ? String(sql.prefix(Self.quotedSQLLimit)) + "…" : sql
            text += " - while executing `\(shown)`"
        }
        return text
    }
}
