import Foundation
import SQLiteDB
import Testing
@testable import Tracker
@testable import Training

/// Times as `runs` stores them, written by FoundationEssentials' ISO 8601 style: UTC, milliseconds, `Z`.
@Suite struct TimestampTests {
    /// `2026-11-29T16:47:23.628Z` and nothing else: what every stored time has looked like so far.
    static var storedForm: Regex<Substring> { /[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z/ }

    @Test func aNewRunsTimesHaveTheStoredFormAndSortAsTheyHappened() throws {
        let store = try Store(path: ":memory:")
        let before = Timestamp.now()
        let id = try RunExecutor.execute(RunRequest(dataset: .lesson, config: TrainingConfig()), in: store).runID
        let after = Timestamp.now()
        let row = try store.db.rows("SELECT started_at, heartbeat_at, ended_at FROM runs WHERE id = ?", [.integer(id)])[0]
        for value in row {
            let text = try #require(value.stringValue)
            #expect(text.wholeMatch(of: Self.storedForm) != nil, "\(text)")
            // `runs --since` and ORDER BY started_at compare these as text.
            #expect(before <= text && text <= after, "\(before) \(text) \(after)")
        }
    }

    @Test func aTimeIsWrittenAsSQLitesStrftimeWritesItAndReadsBackToTheMillisecond() throws {
        let db = try Database(path: ":memory:")
        // 1970, the README's example, the end of a leap day, one millisecond into 2000, the last
        // millisecond of year 9999; each a quarter of a millisecond in, where a Date's rounding error
        // cannot carry it across a millisecond (FoundationEssentials 6.3 truncates to milliseconds).
        let milliseconds: [Int64] = [0, 1_795_970_843_628, 1_709_251_199_999, 946_684_800_001, 253_402_300_799_999]
        for ms in milliseconds {
            let text = Timestamp.text(Date(timeIntervalSince1970: (Double(ms) + 0.25) / 1_000))
            let sqlite = try db.scalar("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', (?1 + 0.25) / 1000.0, 'unixepoch')",
                                       [.integer(ms)])
            #expect(.text(text) == sqlite, "\(ms)")
            let back = try Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            #expect((back.timeIntervalSince1970 * 1_000).rounded() == Double(ms), "\(text)")
        }
    }

    @Test func theWallClockAndTheMonotonicClockCountSeconds() throws {
        let wall = Timestamp.epochSeconds()
        let start = Timestamp.monotonicSeconds()
        Thread.sleep(forTimeInterval: 0.05)
        let elapsed = Timestamp.monotonicSeconds() - start
        #expect(elapsed >= 0.05 && elapsed < 5, "\(elapsed)")
        #expect(Timestamp.epochSeconds() - wall >= 0.04)
        // `now()` reads the same wall clock.
        let now = try Date(Timestamp.now(), strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        #expect(abs(now.timeIntervalSince1970 - Timestamp.epochSeconds()) < 1)
    }
}
