#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLiteDB

/// Changes to runs after the fact: deleting, tagging, annotating, and giving space back.
public struct RunEditor {
    /// The database to change.
    public let store: Store

    /// Creates an editor over a store.
    public init(store: Store) {
        self.store = store
    }

    /// Deletes the runs with all their rows (foreign keys cascade), in one transaction, and returns
    /// what went: id, name, status, steps. With `dryRun`, returns the same and deletes nothing.
    ///
    /// A run still training is refused, since deleting its rows would make its writer fail; with
    /// `force`, its process (on this host) is sent SIGTERM first, which ends the run `interrupted`
    /// after its current step, and the run is removed once it has stopped.
    public func remove(_ ids: [Int64], dryRun: Bool, force: Bool = false) throws(TrackerError) -> [RunListing] {
        let live = try liveRuns(among: ids)
        if let first = live.first, !force || dryRun || first.host != ProcessIdentity.current.host {
            let here = first.host == ProcessIdentity.current.host
            throw .runIsLive(runID: first.id, process: here ? .here(pid: first.pid) : .elsewhere(pid: first.pid, host: first.host))
        }
        if let stranger = live.first(where: { !ProcessIdentity.runsGradlog(pid: $0.pid) }) {
            throw .runIsLive(runID: stranger.id, process: .notGradlog(pid: stranger.pid))
        }
        // A crafted row can name any gradlog process: only one that has this very file open and
        // still has the run's start token is the run's writer.
        if let stranger = live.first(where: { !isWriter($0) }) {
            throw .runIsLive(runID: stranger.id, process: .notTheWriter(pid: stranger.pid))
        }
        if !live.isEmpty { try stop(live) }
        let removed = try store.attempt {
            try store.db.transaction(.immediate) {
                let doomed = try listing(ids)
                if !dryRun {
                    let list = ids.map { _ in "?" }.joined(separator: ", ")
                    try store.db.run("DELETE FROM runs WHERE id IN (\(list))", ids.map { .integer($0) })
                }
                return doomed
            }
        }
        // Gives the freed pages back to the file system when the file uses incremental vacuum.
        if !dryRun { try? store.db.execute("PRAGMA incremental_vacuum") }
        return removed
    }

    /// What `remove` would delete: each run's id, name, status and steps, by id.
    public func listing(_ ids: [Int64]) throws(TrackerError) -> [RunListing] {
        let list = ids.map { _ in "?" }.joined(separator: ", ")
        return try store.attempt {
            try store.db.namedRows("SELECT id, name, status, step_count FROM runs WHERE id IN (\(list)) ORDER BY id",
                                   ids.map { .integer($0) }).map { row in
                RunListing(id: try row["id"], name: try row["name"], status: try row["status"], steps: try row["step_count"])
            }
        }
    }

    /// A run still training, and the process its row names.
    private struct LiveRun {
        let id: Int64
        let host: String
        let pid: Int32
        let token: String?
    }

    /// True when the run's process is on this host, has this database file open and is the very
    /// process that started the run (same start token).
    private func isWriter(_ run: LiveRun) -> Bool {
        run.host == ProcessIdentity.current.host && ProcessIdentity.holdsOpen(pid: run.pid, path: store.path)
            && run.token != nil && ProcessIdentity.token(of: run.pid) == run.token
    }

    /// The runs among `ids` whose process is still training them.
    private func liveRuns(among ids: [Int64]) throws(TrackerError) -> [LiveRun] {
        let list = ids.map { _ in "?" }.joined(separator: ", ")
        return try store.attempt {
            try store.db.namedRows(
                "SELECT id, host, pid, process_token FROM runs WHERE status = 'running' AND id IN (\(list))",
                ids.map { .integer($0) }
            ).compactMap { row in
                let id: Int64 = try row["id"]
                guard !store.unmarkedCrashedRuns.contains(id) else { return nil }
                let pid: Int64? = try row["pid"]
                return LiveRun(id: id, host: try row["host"], pid: Int32(truncatingIfNeeded: pid ?? 0), token: try row["process_token"])
            }
        }
    }

    /// Asks each run's process to stop and waits (up to `stopTimeoutSeconds`) until none is running.
    private func stop(_ runs: [LiveRun]) throws(TrackerError) {
        for run in runs where run.pid > 0 { kill(run.pid, SIGTERM) }
        let deadline = Timestamp.monotonicSeconds() + Self.stopTimeoutSeconds
        while Timestamp.monotonicSeconds() < deadline {
            let running = try liveRuns(among: runs.map(\.id))
            let stillAlive = running.filter { kill($0.pid, 0) == 0 }
            if stillAlive.isEmpty {
                _ = try? CrashSweep.sweep(store.db)  // a process that died without finishing its run
                return
            }
            usleep(50_000)
        }
        throw .runIsLive(runID: runs[0].id, process: .didNotStop(pid: runs[0].pid, seconds: Int(Self.stopTimeoutSeconds)))
    }

    /// How long `remove(force:)` waits for a stopped run's process to finish its last step.
    static let stopTimeoutSeconds = 30.0

    /// Sets tags on a run (replacing a tag of the same key) and removes the keys in `removing`.
    public func tag(_ runID: Int64, set tags: [(key: String, value: String)], removing: [String]) throws(TrackerError) {
        try store.attempt {
            try store.db.transaction(.immediate) {
                for tag in tags {
                    try store.db.run("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES (?, ?, ?)",
                                     [.integer(runID), .text(tag.key), .text(tag.value)])
                }
                for key in removing {
                    try store.db.run("DELETE FROM tags WHERE run_id = ? AND key = ?", [.integer(runID), .text(key)])
                }
            }
        }
    }

    /// Replaces a run's note.
    public func note(_ runID: Int64, _ text: String) throws(TrackerError) {
        try store.attempt {
            try store.db.run("UPDATE runs SET note = ? WHERE id = ?", [.text(text), .integer(runID)])
        }
    }

    /// Rebuilds the file without free pages, switching it to incremental auto-vacuum so that later
    /// deletions give space back on their own, and folds the write-ahead log into the file as far
    /// as readers allow.
    public func vacuum() throws(TrackerError) -> VacuumOutcome {
        try store.attempt {
            let before = try fileSize()
            try store.db.execute("PRAGMA auto_vacuum = INCREMENTAL; VACUUM")
            // A checkpoint that waited for a reader of an older snapshot would hold every writer
            // off for as long (a minute, measured, with a sqlite3 shell in an open transaction).
            let folded = store.db.checkpointWithoutWaiting()
            return VacuumOutcome(bytesBefore: before, bytesAfter: try fileSize(), logFolded: folded)
        }
    }

    private func fileSize() throws -> Int64 {
        let pages = try store.db.scalar("PRAGMA page_count")?.int64Value ?? 0
        let size = try store.db.scalar("PRAGMA page_size")?.int64Value ?? 0
        return pages * size
    }
}
