import FoundationEssentials

/// A random version-4 UUID as text, so that runs from different machines never collide: lowercase,
/// as `runs.uuid` has always held it, so that uuids compare as plain text in SQLite and PostgreSQL.
public enum RandomUUID {
    /// A new UUID such as `3f2b8c1e-4a5d-4e6f-9a7b-0c1d2e3f4a5b`.
    public static func make() -> String {
        UUID().uuidString.lowercased()
    }
}
