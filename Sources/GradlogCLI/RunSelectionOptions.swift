import ArgumentParser

/// How push and pull choose their runs besides naming them: `--all` or `--tag KEY=VALUE`.
struct RunSelectionOptions: ParsableArguments {
    @Flag(help: "Every run (of this file for push, of the store for pull).")
    var all = false

    @Option(help: ArgumentHelp("The runs with this tag (e.g. sweep=3f2a9c1e); repeat to require several.",
                               valueName: "key=value"))
    var tag: [Tag] = []

    /// The tags as (key, value) pairs.
    var tags: [(key: String, value: String)] { tag.map { ($0.key, $0.value) } }

    /// Throws unless exactly one way was given: the runs named (`named`, what they are called in
    /// the message), --all or --tag.
    func check(named: Bool, as what: String, verb: String) throws {
        let choices = [named, all, !tag.isEmpty].filter { $0 }.count
        if choices == 0 { throw ValidationError("Say which runs to \(verb): give \(what), --all or --tag key=value.") }
        if choices > 1 { throw ValidationError("Give \(what), --all or --tag, not more than one of them.") }
    }
}
