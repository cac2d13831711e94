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
                trains it ends it, by pushing again. Each run is read in one transaction there into a file beside \
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

        @Flag(help: "Pull every run of the store.")
        var all = false

        @Option(help: ArgumentHelp("Pull the runs with this tag (e.g. sweep=3f2a9c1e); repeat to require several.",
                                   valueName: "key=value"))
        var tag: [Tag] = []

        @OptionGroup var output: OutputOptions

        func validate() throws {
            let choices = [!uuids.isEmpty, all, !tag.isEmpty].filter { $0 }.count
            if choices == 0 { throw ValidationError("Say which runs to pull: give uuids, --all or --tag key=value.") }
            if choices > 1 { throw ValidationError("Give uuids, --all or --tag, not more than one of them.") }
        }

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let selection: RunPuller.Selection = if all { .all } else if !tag.isEmpty { .tags(tag.map { ($0.key, $0.value) }) } else { .uuids(uuids) }
            // The store and the runs asked for are checked before this file is opened (and perhaps created).
            let team = try TeamStore(url: store, access: .pull)
            let ids = try RunPuller.select(selection, in: team)
            let local = try database.openForWriting()
            let pulled = try RunPuller.pull(ids, from: team, into: local)
            try rows.write(pulled)
            var summary = "Pulled from the store: " + TeamCommandSummary.counts(of: pulled, ["pulled", "replaced", "unchanged", "skipped"])
            if pulled.rows.contains(where: { $0.first == .text("skipped") }) {
                summary += " (skipped: still running in the store or here, or longer here)"
            }
            CommandContext.current.console.err(summary + ".\n")
            let refused = pulled.rows.filter { $0.first == .text("refused") }.compactMap { $0[1].stringValue }
            if !refused.isEmpty { throw TrackerError.sameUUIDDifferentRun(uuids: refused, source: "the store") }
        }
    }
}
