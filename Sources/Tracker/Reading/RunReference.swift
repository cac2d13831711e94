import SQLiteDB
import Training

/// How a command names a run: an id, `latest`, `latest~N` (the N-th run before the latest), a uuid
/// or a unique prefix of one (at least 4 characters), or a name that only one run has.
enum RunReference {
    /// The shortest uuid prefix accepted, so that a short word is taken for a name, not a prefix.
    static let minimumPrefix = 4

    /// The id `reference` names in `db`.
    static func resolve(_ reference: String, in db: Database) throws -> Int64 {
        if let id = Int64(reference) {
            guard id > 0 else { throw TrackerError.badRunReference(reference) }
            // An id wins; digits that are no id may still begin a uuid or be a name.
            if let run = try db.scalar("SELECT id FROM runs WHERE id = ?", [.integer(id)]) { return try found(run, reference) }
        }
        if reference == "latest" { return try found(db.scalar("SELECT max(id) FROM runs"), reference) }
        if reference.hasPrefix("latest~") {
            guard let back = Int64(reference.dropFirst("latest~".count)), back >= 0 else {
                throw TrackerError.badRunReference(reference)
            }
            return try found(db.scalar("SELECT id FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?", [.integer(back)]), reference)
        }
        guard !reference.isEmpty else { throw TrackerError.badRunReference(reference) }
        let isPrefix = reference.count >= minimumPrefix && reference.allSatisfy { $0.isHexDigit || $0 == "-" }
        let candidates = try db.namedRows(
            """
            SELECT id, name, uuid FROM runs
            WHERE name = ?1 OR (?2 AND substr(uuid, 1, length(?1)) = lower(?1))
            ORDER BY id LIMIT 11
            """, [.text(reference), .integer(isPrefix ? 1 : 0)])
        guard candidates.count <= 1 else {
            let listed = try candidates.prefix(10).map { row in
                TrackerError.RunCandidate(id: try row["id"], name: try row["name"], uuid: try row["uuid"])
            }
            throw TrackerError.ambiguousRunReference(reference, candidates: listed, more: candidates.count > 10)
        }
        return try found(candidates.first.map { try $0["id"] }, reference)
    }

    private static func found(_ value: SQLiteValue?, _ reference: String) throws -> Int64 {
        guard let id = value?.int64Value else { throw TrackerError.runNotFound(reference) }
        return id
    }
}
