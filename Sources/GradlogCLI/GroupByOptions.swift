import ArgumentParser
import Tracker
import Wording

/// `--group-by SETTING`, shared by `plot` and `compare`: runs that share the values of some
/// settings (seeds of one learning rate) as groups, averaged epoch by epoch.
struct GroupByOptions: ParsableArguments {
    @Option(name: .customLong("group-by"), help: ArgumentHelp(
        "Average the runs that share this setting's value (e.g. lr); repeat, or give a comma list, for several.",
        discussion: "Any setting that `gradlog compare` shows (lr, seed, batch_size, hidden, ...) or, for a run "
            + "logged from outside, a top-level key of its config. Each group gives its runs' mean, standard "
            + "deviation, lowest and highest value at each epoch.",
        valueName: "setting"))
    var groupBy: [String] = []

    /// The settings named, in order, each once; a dash read as an underscore (`batch-size`).
    var settings: [String] {
        var names: [String] = []
        for name in groupBy.flatMap({ $0.split(separator: ",") }).map({ String($0.filter { $0 != " " }) })
        where !name.isEmpty && !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// The runs `ids` in groups, nil without --group-by; a setting none of the runs has is refused
    /// with the names they have.
    func groups(of ids: [Int64], in store: Store) throws -> [RunGroup]? {
        guard !settings.isEmpty else { return nil }
        let values = try SettingValues(ids, in: store)
        let resolved = try settings.map { name in
            if values.names.contains(name) { return name }
            let underscored = name.replacing("-", with: "_")
            guard values.names.contains(underscored) else {
                throw ValidationError("--group-by \(MessageText.quoted(name)) is not a setting of these runs; theirs: "
                    + values.names.map { MessageText.shown($0, limit: 40) }.joined(separator: ", "))
            }
            return underscored
        }
        return values.groups(by: resolved)
    }
}
