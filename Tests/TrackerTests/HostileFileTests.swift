import Foundation
import SQLiteDB
import Reports
import TestSupport
import Testing
@testable import Tracker
@testable import Training

/// Files that someone else made or changed: crafted parameter names, triggers, views standing in for
/// tables, altered tables, inconsistent runs, runs still training, and reports as wide as allowed.
@Suite struct HostileFileTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// A database at `name` with a lesson run and an `and` run, folded into the main file.
    func database(_ name: String) throws -> (path: String, store: Store) {
        let path = directory.file(name)
        let store = try Store(path: path)
        var config = TrainingConfig()
        config.epochs = 4
        _ = try RunExecutor.execute(RunRequest(dataset: .lesson, config: config, name: "\(name) lesson"), in: store)
        config.batchSize = 2
        _ = try RunExecutor.execute(RunRequest(dataset: .and, config: config, name: "\(name) and"), in: store)
        try store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return (path, store)
    }

    /// A healthy database at `name`, then changed by `sql` (as someone with the sqlite3 shell
    /// would) and folded into its main file; returns its path.
    func crafted(_ name: String, _ sql: String) throws -> String {
        let (path, store) = try database(name)
        try store.db.execute(sql + "; PRAGMA wal_checkpoint(TRUNCATE)")
        return path
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    // MARK: Parameter names

    @Test func aCraftedParameterNameNeverReachesSQLOrTheTerminal() throws {
        let (path, store) = try database("crafted.db")
        let hostile = "b\") AS x FROM steps;\n.shell touch \(directory.file("pwned"))\n--"
        try store.db.run("UPDATE params SET param = ? WHERE run_id = 1 AND param = 'b'", [.text(hostile)])
        let catalog = RunCatalog(store: try Store(path: path, access: .read))
        for kind in [ReportTemplate.Kind.epochs, .steps] {
            let error = #expect(throws: TrackerError.self) { try catalog.reportSQL(kind, of: 1) }
            #expect(error == .badParameterName(path: path, runID: 1, name: hostile))
            #expect(throws: TrackerError.self) { try catalog.streamReport(kind, of: 1, columns: { _ in }, row: { _ in }) }
        }
        let error = #expect(throws: TrackerError.self) { try RunVerifier.verify(1, in: store) }
        #expect(error == .badParameterName(path: path, runID: 1, name: hostile))
        #expect(!FileManager.default.fileExists(atPath: directory.file("pwned")))
        #expect(try catalog.reportSQL(.steps, of: 2).contains("'w1'"))  // the other run is untouched
    }

    @Test func onlyTheNamesGradlogWritesAreValid() {
        for name in ["w", "b", "w1", "w12", "w300", "l1.n1.w1", "l2.n16.b", "l10.n3.w42"] {
            #expect(ParameterName.isValid(name), "\(name)")
        }
        for name in ["", "w0", "w01", "x", "B", "w1 ", "l1.n1.w", "l1.n0.b", "l1.b", "l1.n1.c", "lw1", "l1.n1.w1.b",
                     "w1'", "w\"", "b\n", "w１", "w1234567890"] {
            #expect(!ParameterName.isValid(name), "\(name)")
        }
    }

    @Test func reportTemplatesQuoteAnyNameTheyAreGiven() {
        let template = ReportTemplate(text: "SELECT 1\n-- for each parameter\n, x = '{param}' AS \"{param}_a\"\n-- end\n")
        #expect(template.sql(parameters: ["a'b\"c"]) == "SELECT 1\n, x = 'a''b\"c' AS \"a'b\"\"c_a\"\n")
    }

    @Test func theColumnLimitsMatchTheTemplates() throws {
        let db = try Database(path: ":memory:")
        try Store.migrator.migrate(db)
        for kind in [ReportTemplate.Kind.epochs, .steps] {
            for count in [1, 7, 70] {
                let names = (1...count).map { "w\($0)" }
                let statement = try db.prepare(ReportTemplate(kind, parameterCount: count).sql(parameters: names))
                #expect(Int(statement.columnCount) == kind.columns.fixed + kind.columns.perParameter * count)
            }
        }
        #expect(ReportTemplate.Kind.steps.maxParameters >= CSVDataset.maxInputs + 1)
    }

    @Test func bothFormsOfTheStepReportGiveTheSameRows() throws {
        let (_, store) = try database("forms.db")
        let catalog = RunCatalog(store: store)
        for id: Int64 in [1, 2] {
            let names = try catalog.parameterNames(of: id)
            var tables: [Table] = []
            for text in [EmbeddedReports.steps, EmbeddedReports.stepsWide] {
                let sql = ReportTemplate(text: text).standaloneSQL(parameters: names, runID: id)
                tables.append(try catalog.query(sql))
            }
            #expect(tables[0] == tables[1])
            #expect(tables[0].rows.count == (id == 1 ? 4 : 8))
        }
    }

    @Test func aRunWithTheMostInputsAllowedHasBothReports() throws {
        let inputs = CSVDataset.maxInputs
        let header = (1...inputs).map { "f\($0)" }.joined(separator: ",") + ",y\n"
        let rows = (0..<3).map { row in (1...inputs).map { "\(($0 * (row + 1)) % 5)" }.joined(separator: ",") + ",\(row % 2)\n" }
        let data = try CSVDataset.parse(header + rows.joined(), source: "wide.csv")
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        config.epochs = 2
        let id = try RunExecutor.execute(RunRequest(dataset: data, config: config), in: store).runID
        let catalog = RunCatalog(store: store)
        for (kind, width) in [(ReportTemplate.Kind.steps, 4 + 6 * (inputs + 1)), (.epochs, 5 + inputs + 1)] {
            var columns = 0
            var count = 0
            try catalog.streamReport(kind, of: id, columns: { columns = $0.count }, row: { _ in count += 1 })
            #expect(columns == width)
            #expect(count == 2)
        }
        let tooWide = header.replacing(",y", with: ",extra,y")
        let error = #expect(throws: CSVError.self) { try CSVDataset.parse(tooWide + "1,1\n", source: "wider.csv") }
        #expect(error?.problem == .tooManyInputs(count: 301, limit: 300) && error?.line == 1)
    }

    @Test func aReportTooWideForSQLiteIsRefusedWithTheLimit() throws {
        let (_, store) = try database("wide.db")
        let insert = try store.db.prepare("INSERT INTO params(run_id, param, position, input, initial) VALUES (2, ?, ?, ?, 0.0)")
        for input in 3...400 {
            try insert.bind([.text("w\(input)"), .integer(Int64(input - 1)), .integer(Int64(input))])
            try insert.run()
        }
        let error = #expect(throws: TrackerError.self) {
            try RunCatalog(store: store).streamReport(.steps, of: 2, columns: { _ in }, row: { _ in })
        }
        #expect(error == .reportTooWide(runID: 2, parameters: 401, limit: ReportTemplate.Kind.steps.maxParameters))
        try RunCatalog(store: store).streamReport(.epochs, of: 2, columns: { #expect($0.count == 406) }, row: { _ in })
    }

    @Test func aMeasuredColumnReadsNullAsNaNAndRefusesText() throws {
        // gradlog's STRICT tables cannot hold text in a REAL column; the decoder refuses it anyway,
        // so that no reading path turns a changed file into a silent NaN.
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE m (y ANY); INSERT INTO m VALUES (1.5), (NULL), (2), ('low')")
        let statement = try db.prepare("SELECT y FROM m ORDER BY rowid")
        var read: [Double] = []
        while try statement.step(), read.count < 3 { read.append(try statement.measured(at: 0)) }
        #expect(read.count == 3 && read[0] == 1.5 && read[1].isNaN && read[2] == 2)
        let error = #expect(throws: SQLiteError.self) { try statement.measured(at: 0) }
        #expect(error?.message == "column y holds text, not a number or NULL")
        #expect(throws: SQLiteError.self) { try db.measuredColumn("SELECT y FROM m") }
        let row = try #require(try db.namedRows("SELECT y FROM m WHERE y IS NULL").first)
        #expect(try row.measured("y").isNaN)
    }

    // MARK: Merging files that are not what they seem

    func expectRefusedMerge(_ source: String, into target: Store, containing words: String) throws {
        try expectRefusedMerge(source, into: target) { String(describing: $0).contains(words) }
    }

    func expectRefusedMerge(_ source: String, into target: Store, with expected: TrackerError) throws {
        try expectRefusedMerge(source, into: target) { $0 == expected }
    }

    func expectRefusedMerge(_ source: String, into target: Store, _ isExpected: (TrackerError?) -> Bool) throws {
        let runsBefore = try target.db.scalar("SELECT count(*) FROM runs")
        let sourceBefore = try bytes(source)
        let error = #expect(throws: TrackerError.self) { try RunMerger.merge(from: source, into: target) }
        #expect(isExpected(error), "\(String(describing: error))")
        #expect(try target.db.scalar("SELECT count(*) FROM runs") == runsBefore)
        #expect(try bytes(source) == sourceBefore, "the source file was changed")
    }

    @Test func aSourceWithTriggersIsRefusedBeforeAnyRowIsRead() throws {
        let target = try database("target.db").store
        let source = try crafted("triggers.db", """
            CREATE TRIGGER rename AFTER INSERT ON tags BEGIN UPDATE runs SET name = 'owned'; DELETE FROM steps WHERE step > 3; END;
            CREATE TRIGGER forever AFTER UPDATE ON runs BEGIN UPDATE runs SET name = name || 'x'; END
            """)
        let latest = Store.migrator.latestVersion
        try expectRefusedMerge(source, into: target, with: .untrustedSchema(path: source, version: latest, problem: .extra(type: "trigger", name: "rename")))
    }

    @Test func aViewStandingInForATableIsRefused() throws {
        let target = try database("target.db").store
        let source = try crafted("view.db", """
            ALTER TABLE steps RENAME TO real_steps;
            CREATE VIEW steps AS SELECT * FROM real_steps UNION ALL SELECT run_id, step + 1000, epoch, batch_size, loss FROM real_steps
            """)
        try expectRefusedMerge(source, into: target, with: .untrustedSchema(
            path: source, version: Store.migrator.latestVersion, problem: .otherType(name: "steps", found: "view", expected: "table")))
    }

    @Test func extraOrAlteredSchemaObjectsAreRefused() throws {
        let target = try database("target.db").store
        let latest = Store.migrator.latestVersion
        let extra = try crafted("extra.db", "CREATE TABLE notes (x)")
        try expectRefusedMerge(extra, into: target, with: .untrustedSchema(path: extra, version: latest, problem: .extra(type: "table", name: "notes")))
        let altered = try crafted("altered.db", "ALTER TABLE runs ADD COLUMN evil TEXT")
        try expectRefusedMerge(altered, into: target, with: .untrustedSchema(path: altered, version: latest, problem: .redefined(type: "table", name: "runs")))
    }

    @Test func anOlderSourceWithATriggerIsRefusedBeforeItIsCopied() throws {
        let target = try database("target.db").store
        let old = directory.file("old.db")
        try FileManager.default.copyItem(atPath: UpgradeTests.fixture, toPath: old)
        try Database(path: old).execute("CREATE TRIGGER t AFTER UPDATE ON runs BEGIN DELETE FROM steps; END")
        try expectRefusedMerge(old, into: target, containing: "version: 1")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".merge-") }
        #expect(leftovers.isEmpty)
    }

    @Test func theUsersOwnIndexesAndViewsAreWelcomeButAShadowedTableIsNot() throws {
        let (path, store) = try database("mine.db")
        try store.db.execute("CREATE INDEX my_losses ON steps(loss); CREATE VIEW my_runs AS SELECT id FROM runs")
        #expect(try RunCatalog(store: try Store(path: path, access: .read)).list().rows.count == 2)
        try store.db.execute("DROP TABLE sample_inputs; CREATE VIEW sample_inputs AS SELECT 1 AS run_id")
        let error = #expect(throws: TrackerError.self) { try Store(path: path, access: .read) }
        #expect(error == .untrustedSchema(path: path, version: Store.migrator.latestVersion,
                                          problem: .otherType(name: "sample_inputs", found: "view", expected: "table")))
    }

    @Test func aRunWhoseRowsDoNotFitTogetherIsNotMerged() throws {
        let target = try database("target.db").store
        let missing = try crafted("missing.db", "DELETE FROM gradients WHERE run_id = 2 AND step = 3 AND param = 'b'")
        try expectRefusedMerge(missing, into: target, with: .inconsistentRun(path: missing, runID: 2, problem: .gradientRows(total: 23, matching: 23, expected: 24)))
        let short = try crafted("short.db", "DELETE FROM steps WHERE run_id = 1 AND step = 4")
        try expectRefusedMerge(short, into: target, with: .inconsistentRun(path: short, runID: 1, problem: .stepCount(claimed: 4, steps: 3, lastStep: 3)))
    }

    // MARK: Runs that are still training

    /// Marks run `id` as running in this very process, so every check finds its process alive.
    func makeLive(_ id: Int64, in store: Store) throws {
        let me = ProcessIdentity.current
        try store.db.run("UPDATE runs SET status = 'running', host = ?, pid = ?, process_token = ? WHERE id = ?",
                         [.text(me.host), .integer(Int64(me.pid)), me.token.map { .text($0) } ?? .null, .integer(id)])
    }

    @Test func aLiveRunIsSkippedAndALaterMergeCompletesAnEarlierShorterCopy() throws {
        let target = try database("target.db").store
        let (source, sourceStore) = try database("live.db")
        try makeLive(2, in: sourceStore)
        let first = try RunMerger.merge(from: source, into: target)
        #expect(first.map(\.action) == [.copied, .skipped])
        #expect(try target.db.scalar("SELECT count(*) FROM runs") == 3)
        try sourceStore.db.run("UPDATE runs SET status = 'finished' WHERE id = 2")
        let copy = try RunMerger.merge(from: source, into: target)
        #expect(copy.map(\.action) == [.copied])
        // This database got a truncated copy earlier (as a merge during training used to leave).
        let id = SQLiteValue.integer(copy[0].targetID ?? 0)
        try target.db.run("DELETE FROM gradients WHERE run_id = ? AND step > 2", [id])
        try target.db.run("DELETE FROM steps WHERE run_id = ? AND step > 2", [id])
        try target.db.run("UPDATE runs SET step_count = 2, status = 'crashed' WHERE id = ?", [id])
        try RunEditor(store: target).tag(id.int64Value ?? 0, set: [("mine", "kept")], removing: [])
        let completed = try RunMerger.merge(from: source, into: target)
        #expect(completed.map(\.action) == [.completed])
        #expect(try target.db.scalar("SELECT step_count || status FROM runs WHERE id = ?", [id]) == "8finished")
        #expect(try target.db.scalar("SELECT value FROM tags WHERE run_id = ? AND key = 'mine'", [id]) == "kept")
        #expect(try RunVerifier.verify(id.int64Value ?? 0, in: target).difference == nil)
        #expect(try RunMerger.merge(from: source, into: target).isEmpty)
    }

    @Test func aRunThatIsStillTrainingIsNotRemoved() throws {
        let (_, store) = try database("rm.db")
        try makeLive(1, in: store)
        let error = #expect(throws: TrackerError.self) { try RunEditor(store: store).remove([1, 2], dryRun: false) }
        #expect(error == .runIsLive(runID: 1, process: .here(pid: ProcessIdentity.current.pid)))
        #expect(try store.db.scalar("SELECT count(*) FROM runs") == 2)
    }

    @Test func forceNeverSignalsAProcessThatIsNotGradlog() throws {
        let (_, store) = try database("stranger.db")
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        defer { sleeper.terminate() }
        let me = ProcessIdentity.current
        try store.db.run("UPDATE runs SET status = 'running', host = ?, pid = ?, process_token = ? WHERE id = 2",
                         [.text(me.host), .integer(Int64(sleeper.processIdentifier)),
                          ProcessIdentity.token(of: sleeper.processIdentifier).map { .text($0) } ?? .null])
        let error = #expect(throws: TrackerError.self) { try RunEditor(store: store).remove([2], dryRun: false, force: true) }
        #expect(error == .runIsLive(runID: 2, process: .notGradlog(pid: sleeper.processIdentifier)))
        #expect(sleeper.isRunning)
        #expect(try store.db.scalar("SELECT count(*) FROM runs") == 2)
    }

    // MARK: Working copies and read-only places

    @Test func anOlderSourceIsUpgradedBesideTheTargetAndNothingIsLeftAnywhere() throws {
        let targetPath = directory.file("target.db")
        let target = try Store(path: targetPath)
        let stale = directory.file(".target.db.merge-999999999-dead")
        try Data(count: 4096).write(to: URL(fileURLWithPath: stale))
        let temporary = NSTemporaryDirectory()
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: temporary))
        let old = directory.file("old.db")
        try FileManager.default.copyItem(atPath: UpgradeTests.fixture, toPath: old)
        #expect(try RunMerger.merge(from: old, into: target).count == 4)
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: temporary))
        #expect(after.subtracting(before).filter { $0.contains("gradlog-merge") }.isEmpty)
        let beside = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".merge-") }
        #expect(beside.isEmpty, "\(beside)")
    }

    @Test func aDeadRunInAFileThatCannotBeWrittenIsShownCrashedWithoutWriting() throws {
        let (path, store) = try database("readonly.db")
        let me = ProcessIdentity.current
        try store.db.run("UPDATE runs SET status = 'running', host = ?, pid = 999999999, process_token = 'gone:1' WHERE id = 2",
                         [.text(me.host)])
        try store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  // an immutable reader sees the file alone
        let readOnly = try Database(path: path, mode: .readOnly)
        #expect(try CrashSweep.sweepIfWritable(readOnly) == [2])
        #expect(try readOnly.scalar("SELECT status FROM runs WHERE id = 2") == "running")
        let immutable = try Database(path: path, mode: .immutable)
        #expect(try CrashSweep.sweepIfWritable(immutable) == [2])
        #expect(try CrashSweep.sweepIfWritable(store.db).isEmpty)
        #expect(try store.db.scalar("SELECT status FROM runs WHERE id = 2") == "crashed")
    }
}
