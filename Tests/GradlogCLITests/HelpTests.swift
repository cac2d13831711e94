import Foundation
import ArgumentParser
import Testing
@testable import GradlogCLI
@testable import Output

/// Help that a newcomer can act on: an example for every command, the shared options named at the
/// top, no default said twice, and shell completion that offers file names where paths go.
@Suite struct HelpTests {
    /// Every command, as typed: derived from the command configuration, subcommands included
    /// (`sweep show`), so a new command is covered without editing a list.
    static let commands: [String] = {
        func paths(_ command: any ParsableCommand.Type, prefix: [String]) -> [[String]] {
            command.configuration.subcommands.flatMap { sub in
                let path = prefix + [sub._commandName]
                return [path] + paths(sub, prefix: path)
            }
        }
        return paths(Gradlog.self, prefix: []).map { $0.joined(separator: " ") }.filter { $0 != "help" }
    }()

    func help(_ arguments: [String]) -> String {
        let console = Console.capturing()
        _ = Gradlog.execute(arguments, context: CommandContext(console: console, environment: [:]))
        return console.capturedOut
    }

    @Test func everyCommandIsCovered() {
        #expect(Self.commands.count >= 17 && Self.commands.contains("sweep show") && Self.commands.contains("log"))
    }

    @Test(arguments: commands)
    func everyCommandsHelpHasAnExampleAndSaysEachDefaultOnce(command: String) {
        let text = help(command.split(separator: " ").map(String.init) + ["--help"])
        let start = command.hasPrefix("sweep") ? "gradlog sweep" : "gradlog \(command)"
        #expect(text.contains("\nExample:\n  ") && text.components(separatedBy: "\nExample:\n").last?.contains(start) == true,
                "\(command)")
        // Each example is one line that can be pasted: none is wrapped in the middle of a command.
        let examples = text.components(separatedBy: "\nExample:\n").dropFirst().first?
            .split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty } ?? []
        #expect(!examples.isEmpty && examples.allSatisfy { $0.hasPrefix("  ") && $0.contains("gradlog ") && $0.count <= 80 },
                "\(command): \(examples)")
        // Each option's entry runs from its line to the next option's; none may name a default twice.
        var entries: [String] = []
        var inOptions = false
        for line in text.split(separator: "\n") {
            if line == "OPTIONS:" || line == "ARGUMENTS:" { inOptions = true; continue }
            if !line.hasPrefix(" ") { inOptions = false; continue }  // the next section
            guard inOptions else { continue }
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

    // `log --help` still said version 2 and "all of them or none" a version after both had changed.
    @Test func theHelpOfLogAndTheReferenceNameTheStepContractsVersionTheLoggingDocumentDescribes() throws {
        let docs = ArchitectureTests.root.appendingPathComponent("docs")
        let logging = try String(contentsOf: docs.appendingPathComponent("logging.md"), encoding: .utf8)
        let version = try #require(logging.firstMatch(of: /one contract, now at version (\d+)\./)?.1)
        let words = help(["log", "--help"]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("(the step contract, version \(version))"))
        #expect(!words.contains("all of them or none"))
        let reference = try String(contentsOf: docs.appendingPathComponent("commands.md"), encoding: .utf8)
        #expect(reference.contains("This is the step contract, version \(version) "))
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
