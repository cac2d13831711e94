import Testing
@testable import GradlogCLI
@testable import Output

/// Help that a newcomer can act on: an example for every command, the shared options named at the
/// top, no default said twice, and shell completion that offers file names where paths go.
@Suite struct HelpTests {
    static let commands = ["run", "runs", "show", "report", "verify", "compare", "diff", "rm", "tag", "note", "merge", "vacuum"]

    func help(_ arguments: [String]) -> String {
        let console = Console.capturing()
        _ = Gradlog.execute(arguments, context: CommandContext(console: console, environment: [:]))
        return console.capturedOut
    }

    @Test(arguments: commands)
    func everyCommandsHelpHasAnExampleAndSaysEachDefaultOnce(command: String) {
        let text = help([command, "--help"])
        #expect(text.contains("\nExample:\n  gradlog \(command)"), "\(command)")
        // Each option's entry runs from its line to the next option's; none may name a default twice.
        var entries: [String] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("  -") || line.hasPrefix("  <") { entries.append(String(line)) } else if !entries.isEmpty { entries[entries.count - 1] += " " + line }
        }
        #expect(!entries.isEmpty)
        for entry in entries {
            #expect(entry.components(separatedBy: "default").count <= 2, "\(command): \(entry)")
        }
    }

    @Test func theTopLevelHelpNamesTheDatabaseTheFormatsCompletionAndTheManual() {
        let text = help(["--help"])
        for needle in ["--db PATH", "$GRADLOG_DB", "--csv", "--tsv", "--json", "--jsonl", "--markdown", "--output FILE",
                       "--generate-completion-script bash", "swift package generate-manual", "\nExample:\n  gradlog run"] {
            #expect(text.contains(needle), "\(needle)")
        }
    }

    @Test func completionOffersFilesForTheDatabaseTheDatasetAndTheOutput() {
        let bash = help(["--generate-completion-script", "bash"])
        for option in ["--db", "--dataset", "--output"] {
            #expect(bash.contains("'\(option)')\n        __gradlog_add_completions -f"), "bash \(option)")
        }
        let zsh = help(["--generate-completion-script", "zsh"])
        #expect(zsh.contains("'--db[") && zsh.contains(":path:_files'"))
        #expect(zsh.contains(":name-or-path:_files'") && zsh.contains(":file:_files'"))
        let fish = help(["--generate-completion-script", "fish"])
        for option in ["db", "dataset", "output"] {
            #expect(fish.contains("-l '\(option)' -d") && fish.contains("-rF"), "fish \(option)")
        }
    }
}
