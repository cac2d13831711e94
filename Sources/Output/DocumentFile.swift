#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a whole document (`plot`'s SVG, `report --html`'s page) goes: the `--output` file, standard
/// output, or, when standard output is a terminal and no `--output` was given, a new file named
/// after the runs, since a screenful of markup helps nobody.
///
/// A file of that name that exists already is never replaced: the next free name is taken
/// (`run-3-loss-2.svg`, `-3`, …), and the command says on standard error which file it wrote.
/// `--output -` asks for standard output, terminal or not.
package struct DocumentFile {
    /// The file to write, or nil for standard output.
    package let path: String?
    /// True when gradlog chose the file, and must say which it wrote.
    package let chosen: Bool

    /// The most numbered names tried before giving up (a folder full of old charts).
    static let maxAttempts = 1_000

    /// Decides where the document goes: `requested` (the `--output` value) when given, standard output
    /// when it is `-` or not a terminal, else `base` + `ext` (`run-3-loss` + `.svg`) in `directory`.
    package init(requested: String?, base: String, ext: String, console: Console,
                 directory: String? = nil) throws(OutputError) {
        if let requested {
            (path, chosen) = (requested == OutputTarget.standardOutputName ? nil : requested, false)
            return
        }
        guard console.outputIsTerminal else {
            (path, chosen) = (nil, false)
            return
        }
        let prefix = directory.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
        for attempt in 1...Self.maxAttempts {
            let name = prefix + base + (attempt == 1 ? "" : "-\(attempt)") + ext
            if !Self.exists(name) {
                (path, chosen) = (name, true)
                return
            }
        }
        throw .outputFile(path: prefix + base + ext, reason: "it and \(Self.maxAttempts - 1) numbered names like it exist already; "
            + "name a file with --output FILE, or print to the terminal with --output -")
    }

    /// The line to show on standard error once the document is written, if gradlog chose the file.
    package var announcement: String? {
        guard chosen, let path else { return nil }
        return "wrote \(path) (--output - prints it instead)\n"
    }

    /// The runs in a file name: `run-3`, `runs-3-5`, or `runs-3-5-7-and-8-more` for many.
    package static func runsName(_ ids: [Int64]) -> String {
        guard ids.count > 1 else { return "run-" + ids.map(String.init).joined() }
        let shown = ids.prefix(3).map(String.init).joined(separator: "-")
        return "runs-" + shown + (ids.count > 3 ? "-and-\(ids.count - 3)-more" : "")
    }

    /// A file name made only of letters, digits, `.`, `_` and `-` (a metric's `[` and `]` would be
    /// glob characters in a shell).
    package static func safeName(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        })
    }

    /// True when anything, even a dangling symbolic link, has this name.
    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
