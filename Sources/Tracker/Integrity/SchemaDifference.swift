/// The first way a database's schema differs from the one gradlog's migrations make; worded by
/// the Wording module.
public enum SchemaDifference: Sendable, Equatable {
    /// A table, index, view or trigger gradlog makes is missing.
    case missing(type: String, name: String)
    /// An object has the name of one of gradlog's but is of another type.
    case otherType(name: String, found: String, expected: String)
    /// An object is not defined as gradlog defines it.
    case redefined(type: String, name: String)
    /// An object gradlog does not make.
    case extra(type: String, name: String)
}
