import ArgumentParser
import Testing
@testable import GradlogCLI

/// `Gradlog.parse(commandLine:)` parses a line by the subcommand it names before trying the root:
/// whatever it takes from that shortcut must be what the root's parse gives.
@Suite struct CommandLineParseTests {
    /// Every value of a parsed command, as text, or the error's message and exit code.
    static func outcome(_ parse: () throws -> ParsableCommand) -> String {
        do {
            var text = ""
            dump(try parse(), to: &text)
            return text
        } catch {
            return "error \(Gradlog.exitCode(for: error).rawValue): \(Gradlog.fullMessage(for: error))"
        }
    }

    /// The command's help examples (its own words, up to the shell's `&&`, `|` or `>`), read from its
    /// configuration rather than its drawn help, and its shortest line that parses.
    static func lines(of command: String) -> [[String]] {
        let words = command.split(separator: " ").map(String.init)
        var type: ParsableCommand.Type = Gradlog.self
        for word in words {
            guard let sub = Gradlog.subcommand(named: word, of: type) else { return [] }
            type = sub
        }
        var examples: [[String]] = []
        for line in type.configuration.discussion.split(separator: "\n") where line.hasPrefix("  ") {
            // The line's gradlog command: after its last `gradlog ` (`python3 -u train.py | gradlog log`).
            guard let start = line.ranges(of: "gradlog ").last?.upperBound else { continue }
            let example = line[start...].split(separator: " ").prefix { !["&&", "|", ">", "2>&1"].contains($0) }
            examples.append(example.map(String.init))
        }
        let candidates: [[String]] = [words, words + ["1"], words + ["1", "2"]]
        guard let shortest = candidates.first(where: { (try? Gradlog.parseAsRoot($0)) != nil }) else { return examples }
        return examples + [shortest]
    }

    @Test(arguments: HelpTests.commands)
    func everyExampleParsesAsTheRootParsesIt(command: String) {
        var parsed = 0
        for line in Self.lines(of: command) {
            // An error can only come from the root's parse, which the shortcut hands over to.
            let shortcut = Self.outcome { try Gradlog.parse(commandLine: line) }
            guard !shortcut.hasPrefix("error ") else { continue }
            #expect(shortcut == Self.outcome { try Gradlog.parseAsRoot(line) }, "\(line)")
            parsed += 1
        }
        // The comparison is of parsed commands, not only of errors.
        #expect(parsed > 0, "\(command): no line parsed")
    }

    /// Lines whose words the root and a subcommand could each take for their own: the root's
    /// built-in flags however written (`sweep` would pass `--version=1` on to its trials as a run
    /// option), `help`, the run options that `sweep` passes on, `--`, `--db` moved after the subcommand.
    static let awkwardLines: [[String]] = [
        ["report", "--help"], ["sweep", "help"], ["report", "help"], ["runs", "--version"], ["sweep", "--lr", "0.1", "--version"],
        ["sweep", "--version=1"], ["sweep", "start", "--lr", "0.1", "--version="], ["sweep", "-h"],
        ["report", "1", "--generate-completion-script", "bash"], ["report", "--bogus"], ["sweep", "show"],
        ["sweep", "--lr", "0.1,1", "--epochs", "3", "--csv", "--jobs", "2"], ["sweep", "start", "--seed", "1,2", "--name", "s"],
        ["run", "--", "--epochs"], ["note", "1", "--", "-h"], ["runs", "--db", "x.db"],
    ]

    @Test(arguments: awkwardLines)
    func awkwardLinesParseAsTheRootParsesThem(line: [String]) {
        #expect(Self.outcome { try Gradlog.parse(commandLine: line) } == Self.outcome { try Gradlog.parseAsRoot(line) })
    }
}
