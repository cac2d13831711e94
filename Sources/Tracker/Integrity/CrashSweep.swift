import SQLiteDB

/// Finds runs left `running` by a process that is gone and marks them `crashed`.
///
/// Every gradlog command does this when it opens a database, so a killed run shows as crashed in
/// gradlog and in SQL alike. A run on this host is crashed when its process (pid and start time)
/// no longer exists; a run on another host when its heartbeat is older than `staleAfterSeconds`.
/// A run whose process is still alive on this host is never marked, however long it is silent.
public enum CrashSweep {
    /// How old another host's heartbeat must be before its run counts as crashed.
    public static let staleAfterSeconds = 60

    /// A run whose process is gone, and the message its row gets.
    struct DeadRun {
        let id: Int64
        let message: String
    }

    /// Marks the dead runs and returns their ids.
    @discardableResult
    public static func sweep(_ db: Database, me: ProcessIdentity = .current) throws -> [Int64] {
        let dead = try deadRuns(db, me: me)
        guard !dead.isEmpty else { return [] }
        return try db.transaction(.immediate) { try dead.filter { try mark($0, in: db) }.map(\.id) }
    }

    /// Sweeps when the file can be written; where it cannot (a read-only file or file system, a full
    /// disk, an I/O error), changes nothing and returns the dead runs, for readers to show as crashed.
    static func sweepIfWritable(_ db: Database) throws -> Set<Int64> {
        do {
            try sweep(db)
            return []
        } catch let error as SQLiteError where error.isUnwritablePlace || error.isFull || error.isIOError {
            return Set(try deadRuns(db, me: .current).map(\.id))
        }
    }

    /// The runs still marked `running` whose process is gone; reads only.
    static func deadRuns(_ db: Database, schemaName: String = "main", me: ProcessIdentity) throws -> [DeadRun] {
        let running = try db.namedRows(
            """
            SELECT id, host, pid, process_token,
                   coalesce(heartbeat_at, started_at) < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?) AS stale
            FROM "\(schemaName)".runs WHERE status = 'running'
            """, [.text("-\(staleAfterSeconds) seconds")])
        return try running.compactMap { row in
            let id: Int64 = try row["id"], host: String = try row["host"], pid: Int64? = try row["pid"]
            let alive: Bool
            if host == me.host, let pid {
                alive = ProcessIdentity.isAlive(pid: Int32(truncatingIfNeeded: pid), token: try row["process_token"])
            } else {
                alive = try row["stale"] as Int64? != 1
            }
            return alive ? nil : DeadRun(id: id, message: message(host: host, pid: pid, sameHost: host == me.host))
        }
    }

    /// Marks one run of the main database crashed and fills in its finals; false when it was no longer running.
    static func mark(_ run: DeadRun, in db: Database) throws -> Bool {
        try db.run(
            """
            UPDATE runs SET status = 'crashed', ended_at = coalesce(heartbeat_at, started_at), error = ?2
            WHERE id = ?1 AND status = 'running'
            """, [.integer(run.id), .text(run.message)])
        guard db.changes > 0 else { return false }
        try RunFinals.complete(run.id, in: db)
        return true
    }

    private static func message(host: String, pid: Int64?, sameHost: Bool) -> String {
        let process = pid.map { "process \($0)" } ?? "its process"
        let place = host.isEmpty ? "" : " on \(host)"
        return sameHost
            ? "\(process)\(place) ended without finishing the run; the steps committed before are kept"
            : "no heartbeat from \(process)\(place) for over \(staleAfterSeconds) seconds; the steps committed before are kept"
    }
}
