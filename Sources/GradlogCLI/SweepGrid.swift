import Tracker
import Training
import Wording

/// The trials of a sweep: `gradlog run` options with lists of values, expanded into their
/// cartesian product.
///
/// `--lr 0.01,0.1` lists values; `--seed 1..5` is the integers 1 to 5; an option given several
/// times takes every value given (which is how options whose one value holds commas, `--hidden 4,2`
/// and `--w 0.5,-1`, are swept). `--tag` and `--name` pass through to every trial unchanged, as do
/// flags; every other option with one value is the same in every trial.
struct SweepGrid: Equatable {
    /// One option of `gradlog run` and the values it takes across the sweep, in order.
    struct Axis: Equatable {
        /// The option's name without dashes, e.g. `lr`.
        let option: String
        /// Its values, each as `gradlog run` takes it.
        let values: [String]
    }

    /// The options that vary, in the order given: the first varies slowest.
    let axes: [Axis]
    /// The arguments every trial gets as they are (single values, tags, the name, flags).
    let fixed: [String]

    /// The most trials one sweep may have (a typo such as `--seed 1..1000000` stops here; every trial
    /// is checked before the first starts).
    static let maximumTrials = 10_000

    /// Options whose one value is a comma-separated list, so their values are listed by repeating the option.
    static let listValuedOptions: Set<String> = ["w", "hidden"]
    /// Options passed to every trial unchanged, however often they are given.
    static let passThroughOptions: Set<String> = ["tag", "name"]
    /// `gradlog run`'s options that take no value, read from its own declaration (ArgumentParser's
    /// description of the command), so that a flag added to `run` is known here without a list.
    static let flags: Set<String> = RunOptionNames.flags
    /// `gradlog run`'s options that a sweep sets itself, or that make no sense per trial.
    static let refused: Set<String> = ["db", "output", "help", "precision"]

    /// Why the arguments do not describe a sweep.
    struct Problem: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// Parses the `gradlog run` arguments of a sweep.
    init(arguments: [String]) throws(Problem) {
        var order: [String] = []
        var given: [String: [String]] = [:]
        var fixed: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw Problem(description: "\(MessageText.quoted(argument)) is not an option of gradlog run; "
                              + "give options such as --lr 0.01,0.1 (see gradlog run --help)")
            }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            index += 1
            if Self.refused.contains(name) {
                throw Problem(description: "--\(name) is set by the sweep itself, not per trial (give --db before the run options)")
            }
            if Self.flags.contains(name) {
                // Every trial is quiet, and its own summary is not shown: the sweep prints one table.
                if value != nil { throw Problem(description: "--\(name) takes no value") }
                continue
            }
            guard name.first?.isLetter == true, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }) else {
                throw Problem(description: "--\(name) is not an option of gradlog run (see gradlog run --help)")
            }
            if value == nil {
                guard index < arguments.count else { throw Problem(description: "--\(name) needs a value") }
                value = arguments[index]
                index += 1
            }
            guard let value else { continue }
            // Printed commands are one per line, for schedulers that read them so.
            if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw Problem(description: "--\(name): a sweep's values cannot hold line breaks, tabs or other control characters")
            }
            if Self.passThroughOptions.contains(name) {
                if name == "tag", let key = value.split(separator: "=").first, key == "sweep" || key == "trial" || key.hasPrefix("sweep.") {
                    throw Problem(description: "--tag \(value): the tags sweep, trial and sweep.* are the sweep's own")
                }
                fixed += ["--\(name)", value]
                continue
            }
            if given[name] == nil { order.append(name) }
            given[name, default: []] += try Self.values(of: name, value)
        }
        var axes: [Axis] = []
        var count = 1
        for name in order {
            let values = given[name] ?? []
            if values.count == 1 { fixed += ["--\(name)", values[0]] } else { axes.append(Axis(option: name, values: values)) }
            count *= values.count  // at most maximumTrials², checked at each step
            if count > Self.maximumTrials {
                throw Problem(description: "the sweep would have more than \(Self.maximumTrials) trials; list fewer values")
            }
        }
        self.axes = axes
        self.fixed = fixed
    }

    /// The values one occurrence of an option gives: a list, a range, or (for list-valued options) itself.
    private static func values(of name: String, _ text: String) throws(Problem) -> [String] {
        if listValuedOptions.contains(name) { return [text] }
        if let range = try integerRange(text) { return range }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if parts.contains(where: \.isEmpty) {
            throw Problem(description: "--\(name) \(text): an empty value in the list; separate values with single commas")
        }
        return parts
    }

    /// `a..b` with integers a ≤ b: the integers from a to b; nil when the text is not such a range.
    private static func integerRange(_ text: String) throws(Problem) -> [String]? {
        let ends = text.split(separator: ".", omittingEmptySubsequences: false)
        guard ends.count == 3, ends[1].isEmpty, let low = Int64(ends[0]), let high = Int64(ends[2]) else { return nil }
        guard low <= high else { throw Problem(description: "the range \(text) is empty; write the smaller end first") }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < Int64(maximumTrials) else {
            throw Problem(description: "the range \(text) has more than \(maximumTrials) values")
        }
        return (low...high).map(String.init)
    }

    /// How many trials the grid has.
    var trialCount: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The swept values of trial `number` (1-based), one per axis; the first axis varies slowest.
    func values(ofTrial number: Int) -> [String] {
        var rest = number - 1
        var values: [String] = []
        for axis in axes.reversed() {
            values.append(axis.values[rest % axis.values.count])
            rest /= axis.values.count
        }
        return values.reversed()
    }

    /// The `gradlog run` arguments of trial `number`, without --db and the sweep's tags.
    func arguments(ofTrial number: Int) -> [String] {
        fixed + zip(axes, values(ofTrial: number)).flatMap { ["--\($0.option)", $1] }
    }

    /// The grid in one line, the same for the same sweep however its options were spelled or its
    /// one-value options ordered.
    var canonicalText: String {
        let pairs = stride(from: 0, to: fixed.count, by: 2).map { "\(fixed[$0]) \(fixed[$0 + 1])" }.sorted()
        return (pairs + axes.map { axis in "--\(axis.option) \(axis.values.joined(separator: "|"))" }).joined(separator: " ")
    }

    /// What each trial's `sweep.grid` tag holds and `--resume` compares: the SHA-256 of the
    /// canonical text (the text itself would make every trial's command as long as the grid).
    var fingerprint: String {
        var hash = SHA256()
        hash.update(Array(canonicalText.utf8))
        return "sha256:" + hash.hexDigest()
    }
}
