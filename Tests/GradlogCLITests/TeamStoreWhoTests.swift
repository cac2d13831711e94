import Foundation
import PostgresDB
import SQLiteDB
import TestSupport
import Testing
import Tracker
@testable import GradlogCLI

/// Who ran a run travels with it through push, pull and merge; a running run whose pushes stopped
/// shows as `stale`, derived and never written. A fresh database per test.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct TeamStoreWhoTests {
    let cli: CLIHarness
    let other: CLIHarness
    let store: String

    init() throws {
        cli = try CLIHarness()
        other = CLIHarness.sharing(cli.directory, name: "pulled.db")
        store = try PostgresTestServer.freshDatabase()
    }

    private func storeRows(_ query: String) throws -> [[String?]] {
        try PostgresTestServer.connect(store).query(query).rows
    }

    @Test func theUserWhoRanARunIsKeptThroughPushPullAndMerge() throws {
        #expect(cli.run(["run", "--epochs", "3", "--user", "ana"]).code == 0)
        #expect(cli.run(["run", "--epochs", "3"]).code == 0)
        try Database(path: cli.database).execute("UPDATE runs SET run_by = NULL WHERE id = 2")
        #expect(cli.run(["push", store, "--all"]).code == 0)
        #expect(try storeRows("SELECT run_by FROM runs ORDER BY id") == [["ana"], [nil]])
        // `user` would be PostgreSQL's session role, not the column: why the column is run_by.
        #expect(try storeRows("SELECT user FROM runs ORDER BY id").first?.first != "ana")
        #expect(other.run(["pull", store, "--all"]).code == 0)
        let pulled = try Database(path: other.database).rows("SELECT run_by FROM runs ORDER BY id").map { $0[0] }
        #expect(pulled == [.text("ana"), .null])
        let third = CLIHarness.sharing(cli.directory, name: "merged.db")
        #expect(third.run(["merge", other.database]).code == 0)
        #expect(try Database(path: third.database).rows("SELECT run_by FROM runs ORDER BY id").map { $0[0] } == [.text("ana"), .null])
    }

    /// Sets the store's only run to `running` with a heartbeat `minutes` before the store's clock.
    private func makeRunning(heartbeatMinutesAgo minutes: Int) throws {
        _ = try storeRows("""
            UPDATE runs SET status = 'running', ended_at = NULL, heartbeat_at = to_char(now() AT TIME ZONE 'UTC' \
            - interval '\(minutes) minutes', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
            """)
    }

    @Test func aRunningRunWhosePushesStoppedIsShownStaleAndSkippedUntilItsOwnerPushesAgain() throws {
        #expect(cli.run(["run", "--epochs", "5"]).code == 0)
        #expect(cli.run(["push", store, "--all"]).code == 0)
        try makeRunning(heartbeatMinutesAgo: 9)
        let fresh = other.run(["pull", store, "--all", "--csv"])
        #expect(fresh.out.contains("skipped,") && fresh.out.contains(",running,5,0"), "\(fresh.out)")
        try makeRunning(heartbeatMinutesAgo: 11)
        let stale = other.run(["pull", store, "--all", "--csv"])
        #expect(stale.code == 0)
        #expect(stale.out.contains("skipped,") && stale.out.contains(",stale,5,0"), "\(stale.out)")
        #expect(stale.err.contains("stale in the store"), "\(stale.err)")
        // Derived when read: the store still says running, and this file got nothing.
        #expect(try storeRows("SELECT status FROM runs") == [["running"]])
        #expect(try Database(path: other.database).scalar("SELECT count(*) FROM runs") == .integer(0))
        // A heartbeat that is not a timestamp never makes a run stale; one in the future neither.
        _ = try storeRows("UPDATE runs SET heartbeat_at = 'yesterday'")
        #expect(other.run(["pull", store, "--all", "--csv"]).out.contains(",running,5,0"))
        try makeRunning(heartbeatMinutesAgo: -60)
        #expect(other.run(["pull", store, "--all", "--csv"]).out.contains(",running,5,0"))
        // The owner's next push brings it up to date; then it is pulled.
        try makeRunning(heartbeatMinutesAgo: 30)
        let pushed = cli.run(["push", store, "--all", "--csv"])
        #expect(pushed.out.contains("updated,"), "\(pushed.out)")
        #expect(try storeRows("SELECT status FROM runs") == [["finished"]])
        let pulled = other.run(["pull", store, "--all", "--csv"])
        #expect(pulled.out.contains("pulled,") && pulled.out.contains(",finished,5,"), "\(pulled.out)")
    }
}
