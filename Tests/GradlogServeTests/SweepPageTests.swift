import Foundation
import Testing
import TestSupport
import Tracker
@testable import GradlogServe

/// The compare page of a tag's runs: a sweep of more trials than a chart overlays.
@Suite struct SweepPageTests {
    /// A finished run of a sweep whose loss falls faster with a larger `lr` (the same for every seed but a little).
    static func trial(_ database: ServedDatabase, sweep: String, lr: Double, seed: Int) throws {
        let store = try Store(path: database.path)
        let setup = ExternalRunSetup(tags: [(key: "sweep", value: sweep)], configJSON: #"{"lr": \#(lr), "seed": \#(seed)}"#, parameterNames: ["w", "b"])
        let run = try ExternalRun(store: store, setup: setup, commitInterval: 0)
        for step in 1...6 {
            let loss = 1 / (1 + lr * Double(step)) + Double(seed) / 1_000
            try run.log(ExternalStep(step: step, epoch: step, loss: loss, values: [0.1, 0.2], analytic: [0.5, 0.25], numeric: [0.5, 0.25]))
        }
        try run.finish(status: .finished)
    }

    /// A sweep of 8 learning rates × 5 seeds: 40 trials, run ids 1 to 40, lr varying slowest.
    static func sweep() throws -> ServedDatabase {
        let database = try ServedDatabase()
        for lr in [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4] {
            for seed in 1...5 { try trial(database, sweep: "big", lr: lr, seed: seed) }
        }
        return database
    }

    /// The run ids of the trials table's rows, in order.
    static func trialIDs(_ page: String) -> [Int] {
        guard let start = page.range(of: "<table id=\"trials\">") else { return [] }
        return page[start.upperBound...].matches(of: /<tr><td class="n"><a href="\/runs\/(\d+)">/).compactMap { Int($0.1) }
    }

    @Test("A sweep of 40 trials has every trial in its table and its charts grouped by the setting that splits them into the most groups")
    func aSweepOfFortyTrials() throws {
        let app = try Self.sweep().app()
        let response = app.get("/compare?tag=sweep%3Dbig")
        #expect(response.status == 200, "\(response.bodyText.prefix(300))")
        let page = response.bodyText
        #expect(page.contains("<title>gradlog: 40 runs with sweep=big</title>"))
        #expect(Self.trialIDs(page) == Array(1...40), "in the order of their settings")
        #expect(page.contains("The 40 trials in 8 groups by <code>lr</code>"))
        // Runs logged from outside have no accuracy: only the loss is drawn.
        #expect(page.components(separatedBy: "<svg").count - 1 == 1 && page.contains("Loss per epoch, 40 runs, 8 groups"))
        #expect(page.contains("lr=0.05 (5 runs)") && page.contains("lr=6.4 (5 runs)"))
        #expect(page.contains("<a href=\"/compare?tag=sweep%3Dbig&amp;group=seed\">grouped by seed</a>"))
        #expect(page.contains("<a href=\"/compare?tag=sweep%3Dbig&amp;group=best\">the best 24 trials</a>"))
        #expect(page.components(separatedBy: "<th><a href=").count - 1 == 1 + 2 + 6, "run, lr, seed and the final figures, each sortable")
        ServeTests.expectOnlyOwnMarkup(page)
    }

    @Test("A sweep's table sorts by any of its columns, either way, and refuses a column it does not have")
    func sortingTheTrials() throws {
        let app = try Self.sweep().app()
        // The largest lr and the smallest seed end lowest.
        let ascending = Self.trialIDs(app.get("/compare?tag=sweep%3Dbig&sort=final_loss").bodyText)
        #expect(ascending.prefix(5) == [36, 37, 38, 39, 40] && ascending.count == 40, "\(ascending)")
        let descending = Self.trialIDs(app.get("/compare?tag=sweep%3Dbig&sort=final_loss&order=desc").bodyText)
        #expect(descending.prefix(3) == [5, 4, 3], "\(descending)")
        let bySeed = Self.trialIDs(app.get("/compare?tag=sweep%3Dbig&sort=seed&order=desc").bodyText)
        #expect(bySeed.prefix(8) == [5, 10, 15, 20, 25, 30, 35, 40], "ties in the trials' order: \(bySeed)")
        let heading = app.get("/compare?tag=sweep%3Dbig&sort=lr").bodyText
        #expect(heading.contains("<th><a href=\"/compare?tag=sweep%3Dbig&amp;sort=lr&amp;order=desc\">lr ▲</a></th>"))
        for query in ["sort=nope", "group=nope", "group=status", "sort=lr&sort=seed", "order=up", "sort="] {
            #expect(app.get("/compare?tag=sweep%3Dbig&" + query).status == 400, "\(query)")
        }
        #expect(app.get("/compare?run=1&run=2&sort=lr").status == 400, "sort is for a tag's runs")
    }

    @Test("A sweep's charts group by the setting asked for, or overlay its best trials by final loss, and say so")
    func otherDrawings() throws {
        let app = try Self.sweep().app()
        let bySeed = app.get("/compare?tag=sweep%3Dbig&group=seed").bodyText
        #expect(bySeed.contains("The 40 trials in 5 groups by <code>seed</code>") && bySeed.contains("seed=1 (8 runs)"))
        let best = app.get("/compare?tag=sweep%3Dbig&group=best").bodyText
        #expect(best.contains("The 24 trials of lowest final loss, of 40, a line each."))
        #expect(best.contains("Loss per epoch, 24 runs") && best.contains("grouped by lr"))
        #expect(Self.trialIDs(best).count == 40)
    }

    @Test("A tag's page of up to 24 trials overlays them, and sorts and groups them as a larger one")
    func aSmallSweep() throws {
        let database = try ServedDatabase()
        for lr in [0.1, 0.2, 0.4] {
            for seed in 1...2 { try Self.trial(database, sweep: "small", lr: lr, seed: seed) }
        }
        let app = try database.app()
        let page = app.get("/compare?tag=sweep%3Dsmall").bodyText
        #expect(page.contains("<title>gradlog: 6 runs with sweep=small</title>") && Self.trialIDs(page) == Array(1...6))
        #expect(page.contains("Loss per epoch, 6 runs") && !page.contains("the best 24"))
        #expect(page.contains("group=lr\">grouped by lr</a>"))
        #expect(app.get("/compare?tag=sweep%3Dsmall&group=lr").bodyText.contains("The 6 trials in 3 groups by <code>lr</code>"))
    }
}
