import ArgumentParser
import Tracker

extension Gradlog {
    /// `gradlog push`: copy runs to a PostgreSQL team store.
    struct Push: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy runs to a PostgreSQL database that a team shares (matched by uuid).",
            discussion: """
                Copies each run with all of its steps, gradients, epochs, blocks, parameters, samples, tags and \
                provenance. Pushing again sends only what the store lacks: nothing for an unchanged run, and for a run \
                that was still training, the steps after those pushed before. Every run goes in one transaction \
                with its row in the store locked, so a killed push changes nothing there and machines pushing at \
                once neither lose nor duplicate rows. An empty database gets gradlog's tables (the SQLite \
                schema's names; see docs/database.md); a database of another program, one migrated by a newer \
                gradlog, or one whose tables carry triggers, rules, policies or functions that gradlog did not \
                create (they would run under your role), is refused, naming them (exit 2). This file is only read. \
                Text is copied byte for byte; a run whose text PostgreSQL cannot hold (a NUL byte, bytes that \
                are not UTF-8) is refused, naming the column (exit 1), and nothing of it is written.

                STORE is a libpq connection URI or keyword string. Give the password through PGPASSWORD or \
                ~/.pgpass, never in STORE. Prints one row per run: action (pushed, appended, updated when only its row or tags changed \
                here, unchanged, or skipped when the store has more of it), uuid, id here, id in the store, name, status, steps, and the rows sent.
                """ + example(
                    "gradlog push postgresql://me@db.example.org/gradlog --all",
                    "gradlog push 'host=/run/postgresql dbname=gradlog' latest --db laptop.db"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The PostgreSQL database: a libpq URI or keyword string.", valueName: "store"))
        var store: String

        @Argument(help: ArgumentHelp("The runs to push, each \(runForms).", valueName: "run"))
        var runs: [String] = []

        @OptionGroup var selection: RunSelectionOptions

        @OptionGroup var storeOptions: StoreOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            try selection.check(named: !runs.isEmpty, as: "runs", verb: "push")
        }

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let local = try database.openForReading()
            let catalog = RunCatalog(store: local)
            let ids: [Int64]
            if selection.all || !selection.tag.isEmpty {
                var filter = RunFilter()
                filter.tags = selection.tags
                ids = try catalog.runIDs(matching: filter)
                if ids.isEmpty && !selection.tag.isEmpty { throw TrackerError.noRunWithTags(selection.tags.map { "\($0.key)=\($0.value)" }) }
            } else {
                // A run named twice (by id and by name, say) is pushed once.
                ids = try catalog.resolve(runs).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            }
            let team = try storeOptions.open(store, for: .push)
            let pushed = try RunPusher.push(ids, from: local, to: team)
            try rows.write(TransferRows.push.table(pushed))
            CommandContext.current.console.err(
                "Pushed to the store: " + pushed.counts([.pushed, .appended, .updated, .unchanged, .skipped]) + ".\n")
        }
    }
}
