import ArgumentParser
import Tracker
import Training
import Wording

extension Gradlog {
    /// `gradlog rm`: deletes runs.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract: "Delete runs with all their steps, gradients, samples and tags.",
            discussion: "On a terminal, asks first (unless --yes); elsewhere (scripts, pipes) asks nothing. "
                + "Prints the runs deleted. A run still training is refused unless --force. "
                + "New databases give the space back at once; older ones after `gradlog vacuum`."
                + example("gradlog rm latest~1 --dry-run", "gradlog rm 3 5 --yes"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The runs to delete, each \(runForms).", valueName: "run"))
        var runs: [String]

        @Flag(help: "Only show what would be deleted.")
        var dryRun = false

        @Flag(help: "Stop a run that is still training (SIGTERM; it ends `interrupted`), then delete it.")
        var force = false

        @Flag(name: [.short, .long], help: "Delete without asking, also on a terminal.")
        var yes = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if runs.isEmpty { throw ValidationError("give the runs to delete") }
        }

        func run() throws {
            let rows = try RowOutput(options: output, database: database)
            let store = try database.openForWriting()
            let catalog = RunCatalog(store: store)
            let ids = try catalog.resolve(runs)
            let editor = RunEditor(store: store)
            let console = CommandContext.current.console
            if !dryRun && !yes && console.isInteractive {
                guard console.confirm("Delete \(Self.describe(try editor.listing(ids)))?") else {
                    console.err("Nothing was deleted.\n")
                    throw ExitCode(1)
                }
            }
            let line = ProgressLine.watching(store, "deleting \(ids.count) run(s)", console: console)
            let removed = try editor.remove(ids, dryRun: dryRun, force: force)
            line?.erase()
            try rows.write(Table(columns: ["id", "name", "status", "steps"], rows: removed.map { run in
                [.integer(run.id), .text(run.name), .text(run.status), .integer(run.steps)]
            }))
            console.err(dryRun ? "Dry run: nothing was deleted.\n" : "Deleted \(Self.describe(removed)).\n")
        }

        /// "2 runs (1 'first', 3) with 1,234 steps", of the runs `RunEditor.remove` names.
        static func describe(_ runs: [RunListing]) -> String {
            let names = runs.map { run in "\(run.id)" + (run.name.isEmpty ? "" : " \(MessageText.quoted(run.name, limit: 30))") }
            let steps = runs.reduce(Int64(0)) { $0 + $1.steps }
            return "\(runs.count) run\(runs.count == 1 ? "" : "s") (\(names.joined(separator: ", "))) with \(steps) steps"
        }
    }

    /// `gradlog vacuum`: gives free space back.
    struct Vacuum: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the database file without free space, and free space at once from then on.",
            discussion: "Prints the file's size before and after, in bytes." + example("gradlog vacuum --db old.db"))

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let store = try database.openForWriting()
            let line = ProgressLine.watching(store, "vacuuming", console: CommandContext.current.console)
            let outcome = try RunEditor(store: store).vacuum()
            line?.erase()
            let console = CommandContext.current.console
            console.out("vacuumed: \(outcome.bytesBefore) bytes before, \(outcome.bytesAfter) bytes after\n")
            if !outcome.logFolded {
                console.err("Note: another program is using the database (reading an older snapshot, or writing), so the "
                    + "rebuilt file waits in its write-ahead log (\(MessageText.shown(store.path + "-wal"))); the file shrinks "
                    + "once that program is done and a later gradlog command ends\n")
            }
        }
    }

    /// `gradlog tag`: labels a run after the fact.
    struct TagRun: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tag", abstract: "Set (or with --remove, delete) key=value tags of a run.",
            discussion: "A key that exists gets the new value." + example("gradlog tag latest owner=ana --remove draft"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("A run: \(runForms).", valueName: "run"))
        var runReference: String

        @Argument(help: ArgumentHelp("Tags to set; a key that exists gets the new value.", valueName: "key=value"))
        var tags: [Tag] = []

        @Option(help: ArgumentHelp("A tag key to delete; repeat for more.", valueName: "key"))
        var remove: [String] = []

        func validate() throws {
            if tags.isEmpty && remove.isEmpty { throw ValidationError("give key=value tags to set or --remove KEY") }
        }

        func run() throws {
            let store = try database.openForWriting()
            let id = try RunCatalog(store: store).resolve(runReference)
            try RunEditor(store: store).tag(id, set: tags.map { ($0.key, $0.value) }, removing: remove)
        }
    }

    /// `gradlog note`: annotates a run.
    struct NoteRun: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "note", abstract: "Set a run's note (free text; an empty text clears it).",
            discussion: "The note is the `note` column of `runs`." + example("gradlog note 3 'lr too high: diverged at step 40'"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("A run: \(runForms).", valueName: "run"))
        var runReference: String

        @Argument(help: "The note.")
        var text: String

        func run() throws {
            let store = try database.openForWriting()
            try RunEditor(store: store).note(try RunCatalog(store: store).resolve(runReference), text)
        }
    }

    /// `gradlog merge`: copies runs from another database.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the runs of another gradlog database that this one lacks (matched by uuid).",
            discussion: """
                Every missing run is copied with all of its steps, gradients, samples, tags and provenance, \
                in one transaction; merging twice changes nothing. Runs get new ids here; uuids never \
                change. A run still training in the other file is skipped; a run copied earlier while it was \
                unfinished is completed once it has more steps there. The other file is only read, and must \
                have exactly gradlog's schema (no triggers, no extra views or tables); an older one is \
                upgraded in a copy beside this database, a newer one is refused. Prints one row per run: \
                action (copied, completed, skipped, refused), uuid, its id there, its id here, name, status, steps. \
                A run here is completed only from the same run with more steps (the same settings and every step \
                the same) and only while it is not finished; another run under the same uuid is refused (exit 1), \
                leaving both files as they were.
                """ + example("gradlog merge server.db --db laptop.db"))

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The database to copy runs from.", valueName: "other.db"))
        var other: String

        @OptionGroup var output: OutputOptions

        func run() throws {
            let rows = try RowOutput(options: output, database: database, alsoProtecting: [other])
            // The other file is checked before this database is opened (and perhaps upgraded), and
            // a target that is no regular file is refused before either is opened.
            try SpecialFile.checkDatabasePlace(database.resolvedPath)
            let source = try MergeSource.open(other)
            let store = try database.openForWriting()
            let line = ProgressLine.watching(store, "merging from \(other)", console: CommandContext.current.console)
            let merged = try RunMerger.merge(source, into: store)
            line?.erase()
            try rows.write(TransferRows.merge.table(merged))
            var summary = "Merged from \(other): " + merged.counts([.copied, .completed, .skipped])
            if merged.contains(where: { $0.action == .skipped }) { summary += " (still training there: merge again once they end)" }
            CommandContext.current.console.err(summary + ".\n")
            let refused = merged.refusedUUIDs
            if !refused.isEmpty { throw TrackerError.sameUUIDDifferentRun(uuids: refused, source: other) }
        }
    }
}
