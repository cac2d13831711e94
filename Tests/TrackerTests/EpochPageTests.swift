import SQLiteDB
import Testing
import Tracker

/// A page of the per-epoch report far into a run: found through the epoch blocks' counts, and the
/// same rows as the report's own from that position.
struct EpochPageTests {
    @Test("Any page of the per-epoch report holds the rows at its position, epochs numbered with gaps, running or finished")
    func pagesAtEveryPosition() throws {
        let store = try Store(path: ":memory:")
        let setup = ExternalRunSetup(name: "", tags: [], configJSON: "{}", parameterNames: ["w"])
        let run = try ExternalRun(store: store, setup: setup, commitInterval: 0)
        // 700 epochs numbered 5, 10, …, 3500, two steps each.
        for step in 1...1_400 {
            try run.log(ExternalStep(step: step, epoch: 5 * ((step + 1) / 2), loss: 1 / Double(step), values: [Double(step)],
                                     analytic: nil, numeric: nil))
        }
        let catalog = RunCatalog(store: store)
        func rows(offset: Int, limit: Int) throws -> [[SQLiteValue]] {
            var rows: [[SQLiteValue]] = []
            try catalog.streamEpochReport(of: 1, offset: offset, limit: limit, columns: { _ in }, row: { rows.append($0) })
            return rows
        }
        for finished in [false, true] {
            if finished { try run.finish(status: .finished) }
            // The pages skip whole blocks (of epochs 1-256, 257-512, …: about 51 of these epochs each).
            let blocks = try store.db.scalar("SELECT count(*) FROM epoch_blocks WHERE run_id = 1")?.int64Value ?? 0
            #expect(blocks >= 13)
            let all = try rows(offset: 0, limit: 1_000)
            // While the run is written its last epoch is still open: no row yet.
            #expect(all.count == (finished ? 700 : 699))
            for offset in [1, 100, 255, 256, 257, 511, 512, 600, 699, 700] {
                let expected = offset < all.count ? Array(all[offset..<min(offset + 100, all.count)]) : []
                #expect(try rows(offset: offset, limit: 100) == expected, "offset \(offset)")
            }
            #expect(try rows(offset: 600, limit: 1).first?.first == .integer(5 * 601))
        }
    }
}
