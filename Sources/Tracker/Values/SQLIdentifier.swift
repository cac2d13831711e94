/// A name as a quoted SQL identifier, by the rule SQLite and PostgreSQL share: in double quotes,
/// each double quote in it doubled, so that any name (a keyword, a hostile one) is safe in SQL.
public enum SQLIdentifier {
    /// `name` quoted: `team "b"` becomes `"team ""b"""`.
    public static func quoted(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }
}
