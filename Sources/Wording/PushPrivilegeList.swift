import Tracker

/// The words for a role that may not push to a team store: what it lacks, and the GRANTs that give it.
enum PushPrivilegeList {
    /// The refusal: the role, the privileges it lacks table by table, what to do, and that nothing was written.
    static func message(role: String, missing: [PushPrivileges.Missing]) -> String {
        let lacks = missing.map { "\($0.privileges.joined(separator: ", ")) on \($0.table)" }.joined(separator: "; ")
        let grants = missing.map { "GRANT \($0.privileges.joined(separator: ", ")) ON \($0.table) TO \(SQLIdentifier.quoted(role))" }
            .joined(separator: "; ")
        return "role \(MessageText.quoted(role)) may read this store but not push to it: it lacks "
            + MessageText.escapingControls(lacks) + "; pull works with it; to push, connect as a role that may write "
            + "gradlog's tables, or have the store's owner grant them (" + MessageText.escapingControls(grants)
            + ") (nothing was written)"
    }
}
