/// An object on the team store's tables that gradlog's migrations did not create, which a push
/// would run under the pusher's role (a trigger, a rule, a policy, a function in an expression).
public struct ForeignStoreObject: Equatable, Sendable {
    /// What sort of object it is.
    public enum Kind: String, Sendable {
        /// One of gradlog's tables or views replaced by another kind of relation (a foreign table, a view).
        case relationKind = "relation kind"
        /// A trigger (`CREATE TRIGGER`, a constraint trigger, an INSTEAD OF trigger on a view).
        case trigger
        /// A rule (`CREATE RULE`), other than the one that makes a view a view.
        case rule
        /// A row-level security policy (`CREATE POLICY`).
        case policy
        /// Row-level security switched on for the table (`ALTER TABLE … ENABLE ROW LEVEL SECURITY`).
        case rowLevelSecurity = "row-level security"
        /// An event trigger: database-wide, it runs on DDL such as the migrations' `CREATE TABLE`.
        case eventTrigger = "event trigger"
        /// A column default that calls a function other than a built-in immutable one.
        case columnDefault = "column default"
        /// A generated column that calls a function or operator that is not built in.
        case generatedColumn = "generated column"
        /// A constraint that calls a function, operator or type that is not built in, or a volatile one.
        case constraint
        /// An index on an expression or with an operator class that is not built in.
        case index
        /// A column of a type that is not built in (a domain, whose checks run on every row written).
        case columnType = "column type"
    }

    /// What sort of object it is.
    public let kind: Kind
    /// Its name (for a column default, generated column or column type: the column's; for row-level
    /// security and a relation kind: the table's).
    public let name: String
    /// The table or view of gradlog's it is on; nil for an event trigger, which is on the database.
    public let table: String?

    /// Creates the description of one object.
    public init(kind: Kind, name: String, table: String?) {
        self.kind = kind
        self.name = name
        self.table = table
    }
}
