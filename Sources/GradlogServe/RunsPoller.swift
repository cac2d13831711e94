import Output
import SQLiteDB
import Tracker

/// What the runs page's event stream remembers from one poll to the next: the last run id sent, the
/// runs it follows and how far each had come; `poll` gives the events of what changed since.
struct RunsPoller {
    let filter: RunFilter
    /// The last run id sent (or the page's).
    var after: Int64
    /// The runs followed until they end: the page's running ones, then each new one.
    var following: Set<Int64>
    /// Each followed run's progress as last sent.
    var seen: [Int64: RunState] = [:]

    init(filter: RunFilter, after: Int64, following: Set<Int64>) {
        self.filter = filter
        self.after = after
        self.following = following
    }

    /// The events since the last poll (empty when nothing moved).
    mutating func poll(_ catalog: RunCatalog) throws -> String {
        var text = ""
        var fresh = filter
        fresh.afterID = after
        (fresh.sort, fresh.descending, fresh.limit, fresh.offset) = (.id, false, RunsEventStream.batchLimit, nil)
        let added = try catalog.overview(fresh)
        if !added.rows.isEmpty {
            text += try events(added, catalog, newest: true)
            for row in added.rows {
                guard let id = added.value("id", in: row)?.int64Value else { continue }
                after = max(after, id)
                if added.value("status", in: row) == .text(RunStatus.running.rawValue),
                   following.count < RunsEventStream.followLimit {
                    following.insert(id)
                }
            }
        }
        let states = try catalog.progress(of: following.sorted())
        // A run just sent whole is sent once more at its first state: the two reads are not one
        // snapshot, and a run that ended between them must still show how it ended.
        let moved = following.filter { states[$0] != seen[$0] }.sorted()
        guard !moved.isEmpty else { return text }
        var rows = RunFilter()
        rows.ids = moved
        // A run that moved may no longer pass the page's filter (a `running` page's run that ended).
        var still = filter
        (still.ids, still.afterID, still.limit, still.offset) = (moved, nil, nil, nil)
        let matching = Set(try catalog.overview(still).ids)
        text += try events(try catalog.overview(rows), catalog, newest: false, matching: matching)
        for id in moved where !matching.contains(id) { following.remove(id) }
        for id in moved {
            seen[id] = states[id]
            // A run that ended, or was removed, has sent its last row.
            if states[id].map({ $0.status != RunStatus.running.rawValue }) ?? true { following.remove(id) }
        }
        return text
    }

    /// One `run` event per row; the new ones marked so and with their id, for Last-Event-ID; those
    /// not in `matching` (when given) marked as leaving the page.
    private func events(_ table: Table, _ catalog: RunCatalog, newest: Bool, matching: Set<Int64>? = nil) throws -> String {
        let tags = try catalog.tags(of: table.ids)
        return table.rows.map { row in
            let id = table.value("id", in: row)?.int64Value ?? 0
            let leaves = matching.map { !$0.contains(id) } ?? false
            return (newest ? "id: \(id)\n" : "") + "event: run\ndata: "
                + Self.json(row, table.columns, tags: tags[id] ?? [], new: newest, leaves: leaves) + "\n\n"
        }.joined()
    }

    /// A row as the page's script applies it: each cell's text as the page draws it.
    static func json(_ row: [SQLiteValue], _ columns: [String], tags: [(key: String, value: String)], new: Bool,
                     leaves: Bool = false) -> String {
        let string = { (text: String) in JSONRowWriter.json(.text(text)) }
        let cells = zip(columns, row).map { column, value in
            string(column) + ":" + string(CompactCell.text(value))
        }
        let numeric = zip(columns, row).filter { CellText.isNumeric($0.1) }.map { string($0.0) }
        let id = Table.value("id", in: row, columns: columns)?.int64Value ?? 0
        let status = Table.value("status", in: row, columns: columns) ?? .null
        return "{\"id\":\(id),\"new\":\(new),\"leaves\":\(leaves),\"status\":\(JSONRowWriter.json(status)),\"cells\":{" + cells.joined(separator: ",")
            + "},\"numeric\":[" + numeric.joined(separator: ",") + "],\"tags\":["
            + tags.map { "[" + string($0.key) + "," + string($0.value) + "]" }.joined(separator: ",") + "]}"
    }
}
