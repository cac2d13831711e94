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

    /// Marks the dead runs and returns their ids.
    @discardableResult
    public static func sweep(_ db: Database, me: ProcessIdentity = .current) throws -> [Int64] {
        let running = try db.rows(
            """
            SELECT id, host, pid, process_token,
                   coalesce(heartbeat_at, started_at) < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)
            FROM runs WHERE status = 'running'
            """, [.text("-\(staleAfterSeconds) seconds")])
        var crashed: [Int64] = []
        for row in running {
            guard let id = row[0].int64Value else { continue }
            let host = row[1].stringValue ?? ""
            let isStale = row[4].int64Value == 1
            let alive: Bool
            if host == me.host, let pid = row[2].int64Value {
                alive = ProcessIdentity.isAlive(pid: Int32(truncatingIfNeeded: pid), token: row[3].stringValue)
            } else {
                alive = !isStale
            }
            guard !alive else { continue }
            try db.run(
                """
                UPDATE runs SET status = 'crashed', ended_at = coalesce(heartbeat_at, started_at),
                    error = ?2
                WHERE id = ?1 AND status = 'running'
                """,
                [.integer(id), .text(message(host: host, pid: row[2].int64Value, sameHost: host == me.host))])
            if db.changes > 0 {
                try RunFinals.recordLossAndAccuracy(db, runID: id)
                try RunFinals.recordParametersFromLastStep(db, runID: id)
                crashed.append(id)
            }
        }
        return crashed
    }

    private static func message(host: String, pid: Int64?, sameHost: Bool) -> String {
        let process = pid.map { "process \($0)" } ?? "its process"
        let place = host.isEmpty ? "" : " on \(host)"
        return sameHost
            ? "\(process)\(place) ended without finishing the run; the steps committed before are kept"
            : "no heartbeat from \(process)\(place) for over \(staleAfterSeconds) seconds; the steps committed before are kept"
    }
}
