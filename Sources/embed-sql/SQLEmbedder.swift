#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials

/// The build tool behind the EmbedSQL plugin: writes one Swift file that holds the text of every
/// `.sql` file of a target, so the target embeds each file it has without a list anyone keeps.
///
/// Usage: `embed-sql [--migrated-schema] OUTPUT.swift TARGET-DIRECTORY FILE.sql...`, each file inside
/// the directory; with `--migrated-schema`, the file also holds what the top-level migrations leave
/// in an empty database (`MigratedSchemaSource`).
@main enum SQLEmbedder {
    /// Writes the file, or says on standard error why not and fails the build.
    static func main() {
        do {
            try embed(arguments: Array(CommandLine.arguments.dropFirst()))
        } catch {
            // One line in the build's log, where a thrown error at top level would print a crash report.
            let line = Array("error: embed-sql: \(error)\n".utf8)
            _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            exit(1)
        }
    }

    /// Reads the files named in `arguments` and writes the Swift source that embeds them.
    static func embed(arguments given: [String]) throws {
        let withSchema = given.first == "--migrated-schema"
        let arguments = withSchema ? Array(given.dropFirst()) : given
        guard arguments.count >= 2 else {
            throw EmbeddingError("usage: embed-sql [--migrated-schema] OUTPUT.swift TARGET-DIRECTORY FILE.sql...")
        }
        let output = arguments[0]
        let directory = arguments[1].hasSuffix("/") ? arguments[1] : arguments[1] + "/"
        var files: [EmbeddedFile] = []
        for path in arguments.dropFirst(2) {
            guard path.hasPrefix(directory) else { throw EmbeddingError("\(path) is not inside \(directory)") }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            // Decoding would replace what is not UTF-8, and the embedded text would then differ from the file.
            guard let text = String(validating: bytes, as: UTF8.self) else { throw EmbeddingError("\(path) is not UTF-8 text") }
            files.append(EmbeddedFile(name: String(path.dropFirst(directory.count)), text: text))
        }
        let source = Data(try (EmbeddedFile.swiftSource(of: files) + (withSchema ? MigratedSchemaSource.swiftSource(of: files) : "")).utf8)
        // SwiftPM links this tool again in the first build after a clean one, which runs it again:
        // the same text left untouched keeps the target and what imports it from being recompiled.
        if (try? Data(contentsOf: URL(fileURLWithPath: output))) == source { return }
        try source.write(to: URL(fileURLWithPath: output))
    }
}
