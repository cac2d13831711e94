import SQLiteDB
import Testing
@testable import Tracker
@testable import Training

@Suite struct ReportTests {
    @Test func aTemplateRepeatsItsParameterSectionOncePerParameter() {
        let template = ReportTemplate(text: "SELECT a\n-- for each parameter\n, {param}_{n}\n-- end\nFROM t WHERE r = :run;")
        #expect(template.sql(parameters: ["w1", "w2", "b"]) == "SELECT a\n, w1_1\n, w2_2\n, b_3\nFROM t WHERE r = :run;")
        #expect(template.standaloneSQL(parameters: ["w"], runID: 7) == "SELECT a\n, w_1\nFROM t WHERE r = 7;")
    }

    func lessonRun(epochs: Int) throws -> (RunCatalog, Int64) {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        config.epochs = epochs
        config.loss = .textbook
        let outcome = try RunExecutor.execute(RunRequest(dataset: .lesson, config: config), in: store)
        return (RunCatalog(store: store), outcome.runID)
    }

    func collect(_ catalog: RunCatalog, _ kind: ReportTemplate.Kind, _ runID: Int64) throws -> Table {
        var table = Table(columns: [], rows: [])
        try catalog.streamReport(kind, of: runID, columns: { table.columns = $0 }) { table.rows.append($0) }
        return table
    }

    @Test func thePerEpochReportHasOneRowPerEpochWithEachParameter() throws {
        let (catalog, runID) = try lessonRun(epochs: 3)
        let table = try collect(catalog, .epochs, runID)
        #expect(table.columns == ["epoch", "steps", "mean_loss", "w", "b", "worst_rel_error", "accuracy"])
        #expect(table.rows.map { $0[0] } == [1, 2, 3])
        #expect(table.rows[0][3] == .real(0.5 - 0.1 * -1.0))
    }

    @Test func theStepReportHasEveryLoggedColumnOfEveryParameter() throws {
        let (catalog, runID) = try lessonRun(epochs: 2)
        let table = try collect(catalog, .steps, runID)
        #expect(table.columns == [
            "step", "epoch", "batch_size", "loss",
            "w", "w_analytic", "w_numeric", "w_abs_error", "w_rel_error", "w_passed",
            "b", "b_analytic", "b_numeric", "b_abs_error", "b_rel_error", "b_passed",
        ])
        #expect(table.rows.count == 2)
        #expect(table.rows[0][6] == .real(-1.0000000000842668))
    }

    @Test func theStandaloneSQLGivesTheSameRowsAsTheReport() throws {
        let (catalog, runID) = try lessonRun(epochs: 4)
        for kind in [ReportTemplate.Kind.epochs, .steps] {
            let sql = try catalog.reportSQL(kind, of: runID)
            #expect(!sql.contains(":run"))
            #expect(try catalog.query(sql) == (try collect(catalog, kind, runID)))
        }
    }

    @Test func runsAreFoundByIdOrLatest() throws {
        let (catalog, runID) = try lessonRun(epochs: 1)
        #expect(try catalog.resolve("latest") == runID)
        #expect(try catalog.resolve("\(runID)") == runID)
        #expect(throws: TrackerError.runNotFound("99")) { try catalog.resolve("99") }
        #expect(throws: TrackerError.runNotFound("first")) { try catalog.resolve("first") }
        #expect(throws: TrackerError.badRunReference("0")) { try catalog.resolve("0") }
        let empty = RunCatalog(store: try Store(path: ":memory:"))
        #expect(throws: TrackerError.runNotFound("latest")) { try empty.resolve("latest") }
    }

    @Test func runsAreFoundByLatestMinusNUuidPrefixOrUniqueName() throws {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        config.epochs = 1
        for name in ["alpha", "beta", "beta", "3"] {
            _ = try RunExecutor.execute(RunRequest(dataset: .lesson, config: config, name: name), in: store)
        }
        let catalog = RunCatalog(store: store)
        #expect(try catalog.resolve("latest~0") == 4)
        #expect(try catalog.resolve("latest~3") == 1)
        #expect(throws: TrackerError.runNotFound("latest~4")) { try catalog.resolve("latest~4") }
        #expect(throws: TrackerError.badRunReference("latest~x")) { try catalog.resolve("latest~x") }
        #expect(try catalog.resolve("alpha") == 1)
        #expect(try catalog.resolve("3") == 3)  // an id wins over a name
        let uuid = try store.db.scalar("SELECT uuid FROM runs WHERE id = 2")?.stringValue ?? ""
        #expect(try catalog.resolve(uuid) == 2)
        #expect(try catalog.resolve(String(uuid.prefix(8)).uppercased()) == 2)
        let ambiguous = #expect(throws: TrackerError.self) { try catalog.resolve("beta") }
        guard case let .ambiguousRunReference(reference, candidates, _) = ambiguous else {
            Issue.record("expected an ambiguous reference, got \(String(describing: ambiguous))")
            return
        }
        #expect(reference == "beta")
        #expect(candidates.map(\.id) == [2, 3])
        #expect(candidates.map(\.name) == ["beta", "beta"])
        #expect(throws: TrackerError.runNotFound("abc")) { try catalog.resolve("abc") }  // too short to be a prefix
        // Digits that are no run's id may begin a uuid, or be a name.
        try store.db.run("UPDATE runs SET uuid = '41249162-0000-4000-8000-000000000000' WHERE id = 1")
        #expect(try catalog.resolve("4124") == 1)
        #expect(try catalog.resolve("41249") == 1)
        try store.db.run("UPDATE runs SET name = '42' WHERE id = 2")
        #expect(try catalog.resolve("42") == 2)
    }

    @Test func theSummaryHasTheFinalParametersBetweenLossAndChecks() throws {
        let (catalog, runID) = try lessonRun(epochs: 1)
        let summary = try catalog.summary(of: runID)
        #expect(summary.columns == ["run", "name", "status", "epochs", "steps", "final_loss", "w", "b", "accuracy",
                                    "worst_abs_error", "worst_rel_error", "failed_checks", "gradient_check"])
        #expect(summary.rows[0][6] == .real(0.6))
        #expect(summary.rows[0][12] == "passed")
    }
}
