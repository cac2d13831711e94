import PostgresDB

/// What a role needs on the team store's tables to push, and a refusal, before anything is written,
/// for a role that lacks some of it (a read-only role, say, which can pull every run but not push).
public enum PushPrivileges {
    /// The privileges a role lacks on one of gradlog's tables.
    public struct Missing: Equatable, Sendable {
        /// The table.
        public let table: String
        /// The privileges it lacks there, in gradlog's order (SELECT, INSERT, UPDATE, DELETE).
        public let privileges: [String]

        /// Creates a missing grant.
        public init(table: String, privileges: [String]) {
            self.table = table
            self.privileges = privileges
        }
    }

    /// The tables push writes and the privileges it uses on each: it reads and inserts everywhere,
    /// updates only `runs`, and deletes the rows it replaces whole (tags, parameters).
    static let needed: [(table: String, privileges: [String])] =
        [("runs", ["SELECT", "INSERT", "UPDATE"])] + TransferTable.all.map { table in
            switch table.refresh {
            case .replace, .replaceWhenChanged: (table.name, ["SELECT", "INSERT", "DELETE"])
            case .once, .appendAfter: (table.name, ["SELECT", "INSERT"])
            }
        }

    /// Throws `TeamStoreProblem.cannotPush` when the session's role lacks a privilege push uses.
    static func refuseIfMissing(in connection: PostgresConnection) throws {
        let missing = try self.missing(in: connection)
        guard !missing.isEmpty else { return }
        // CURRENT_USER is SQL syntax, not a function a search_path could shadow.
        let role = try connection.query("SELECT current_user").scalar ?? ""
        throw TeamStoreProblem.cannotPush(role: role, missing: missing)
    }

    /// The privileges the session's role lacks, table by table, in the order of `needed`.
    static func missing(in connection: PostgresConnection) throws -> [Missing] {
        var missing: [Missing] = []
        for (table, privileges) in needed {
            // The table is found through the session's pinned search_path, as push's statements find it.
            let lacking = try privileges.filter { privilege in
                try connection.query("SELECT pg_catalog.has_table_privilege($1, $2)", [table, privilege]).scalar != "t"
            }
            if !lacking.isEmpty { missing.append(Missing(table: table, privileges: lacking)) }
        }
        return missing
    }
}
