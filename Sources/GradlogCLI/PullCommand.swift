import ArgumentParser
import Tracker

extension Gradlog {
    /// `gradlog pull`: copy runs from a PostgreSQL team store into this file.
    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy runs from a PostgreSQL team store into this file (matched by uuid).",
            discussion: """
                Copies each run with all of its rows, so that report, verify, compare and plot work on it here; \
                a pulled run gets a new id here, its uuid never changes. Pulling again copies nothing for a \
                run this file already holds with as many steps; a copy here with fewer steps is completed from the \
                store's (a local note is kept). A run the store holds as running is skipped: only the machine that \
                trains it ends it, by pushing again; its status shows stale when its pushed heartbeat is more \
                than 10 minutes older than the store's clock (its pushes stopped), and it is skipped all the same. Each run is read in one transaction there into a file beside \
                this one, then merged in as gradlog merge does (checked first, in one short transaction), so a \
                killed or refused pull leaves this file as it was. The store is only read, in a read-only session.

                STORE is a libpq connection URI or keyword string; the password comes from PGPASSWORD or \
                ~/.pgpass. Prints one row per run: action (pulled, replaced, unchanged, skipped, refused: another run here has its uuid), uuid, id in the \
                store, id here, name, status, steps, and the rows copied.
                """ + example(
                    "gradlog pull postgresql://me@db.example.org/gradlog --tag sweep=3f2a9c1e",
                    "gradlog pull 'host=/run/postgresql dbname=gradlog' 6f1c0b2e --db review.db"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The PostgreSQL database: a libpq URI or keyword string.", valueName: "store"))
        var store: String

        @Argument(help: ArgumentHelp("The runs to pull, each a uuid or its first 4+ characters.", valueName: "run-uuid"))
        var uuids: [String] = []

        @OptionGroup var selection: RunSelectionOptions

        @OptionGroup var storeOptions: StoreOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            try selection.check(named: !uuids.isEmpty, as: "uuids", verb: "pull")
        }

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let chosen: RunPuller.Selection = if selection.all { .all } else if !selection.tag.isEmpty { .tags(selection.tags) } else { .uuids(uuids) }
            // A file that is no regular file is refused first; then the store and the runs asked for
            // are checked before this file is opened (and perhaps created).
            try SpecialFile.checkDatabasePlace(database.resolvedPath)
            let team = try storeOptions.open(store, for: .pull)
            let ids = try RunPuller.select(chosen, in: team)
            let local = try database.openForWriting()
            let pulled = try RunPuller.pull(ids, from: team, into: local)
            try rows.write(TransferRows.pull.table(pulled))
            var summary = "Pulled from the store: " + pulled.counts([.pulled, .replaced, .unchanged, .skipped])
            if pulled.contains(where: { $0.action == .skipped }) {
                summary += " (skipped: still running or stale in the store, running here, or longer here)"
            }
            CommandContext.current.console.err(summary + ".\n")
            let refused = pulled.refusedUUIDs
            if !refused.isEmpty { throw TrackerError.sameUUIDDifferentRun(uuids: refused, source: "the store") }
        }
    }
}
