import FoundationEssentials

/// The long names of `gradlog run`'s options, from ArgumentParser's own description of the command
/// (the JSON `--experimental-dump-help` prints), so that the sweep never keeps a copy of them.
enum RunOptionNames {
    /// The options that take no value (`--quiet`, `--csv`, ...), without `--help` and `--version`.
    static let flags: Set<String> = names(ofKind: "flag").subtracting(["help", "version"])

    /// The options that take a value (`--lr`, `--seed`, ...).
    static let valued: Set<String> = names(ofKind: "option")

    private struct Description: Decodable {
        struct Command: Decodable { let arguments: [Argument]? }
        struct Argument: Decodable {
            let kind: String
            let names: [Name]?
        }
        struct Name: Decodable {
            let kind: String
            let name: String
        }
        let command: Command
    }

    /// `run`'s arguments, decoded once from the description.
    private static let arguments: [Description.Argument] =
        (try? JSONDecoder().decode(Description.self, from: Data(Gradlog.Run._dumpHelp().utf8)))?.command.arguments ?? []

    private static func names(ofKind kind: String) -> Set<String> {
        Set(arguments.filter { $0.kind == kind }.flatMap { ($0.names ?? []).filter { $0.kind == "long" }.map(\.name) })
    }
}
