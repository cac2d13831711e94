import Foundation
import Synchronization
import TestSupport
import Testing

/// The README's console examples, run as written, in order, in a scratch folder, with the built
/// `gradlog` on PATH and the Python client on PYTHONPATH: each must print what the README shows.
/// Only standard output is compared; timestamps, uuids and durations are masked; a `...` line
/// stands for lines left out. The team store's examples need a PostgreSQL server, so without one
/// (outside CI) the suite is skipped.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct ReadmeTests {
    /// One `$ command` of a console block and the output shown under it.
    struct Example: Sendable {
        let command: String
        let expected: [String]
    }

    /// The README and the reference under docs/, in the order the README lists them: the README's
    /// examples run as one walk-through, and each other file's go on from where it left off.
    static func documents() throws -> [String] {
        let readme = BinaryRunner.packageRoot.appendingPathComponent("README.md").path
        let text = try String(contentsOfFile: readme, encoding: .utf8)
        let linked = text.matches(of: /\]\((docs\/[a-z-]+\.md)\)/).map { String($0.1) }
        return [readme] + linked.map { BinaryRunner.packageRoot.appendingPathComponent($0).path }
    }

    /// Every console block's examples, in the order of the README. A command whose line ends a
    /// here-document (`<<'EOF'`) takes the lines up to `EOF` with it.
    static func examples(in text: String) -> [Example] {
        var examples: [Example] = []
        var inBlock = false
        var command: String?
        var expected: [String] = []
        var hereDocument = false
        func flush() {
            if let command { examples.append(Example(command: command, expected: expected)) }
            command = nil
            expected = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "```console" { inBlock = true; continue }
            if inBlock && line == "```" { flush(); inBlock = false; continue }
            guard inBlock else { continue }
            if hereDocument {
                command! += "\n" + line
                if line == "EOF" { hereDocument = false }
            } else if line.hasPrefix("$ ") {
                flush()
                command = String(line.dropFirst(2))
                hereDocument = line.hasSuffix("<<'EOF'")
            } else {
                expected.append(line)
            }
        }
        return examples
    }

    /// Masks what changes from run to run, and spaces at the end of a line (which sqlite3's column
    /// mode prints and the README cannot keep).
    static func masked(_ line: String) -> String {
        var text = line
        while text.last == " " { text.removeLast() }
        for (pattern, mask) in [
            (#/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/#, "<time>"),
            (#/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/#, "<uuid>"),
        ] {
            text = text.replacing(pattern, with: mask)
        }
        return text
    }

    /// True when `actual` shows `expected`: equal after masking, where a `...` line in `expected`
    /// stands for any number of lines.
    static func matches(_ actual: [String], _ expected: [String]) -> Bool {
        let actual = actual.map(masked)
        let expected = expected.map(masked)
        guard let gap = expected.firstIndex(of: "...") else { return actual == expected }
        let head = Array(expected[..<gap])
        let tail = Array(expected[(gap + 1)...])
        return actual.count >= head.count + tail.count && Array(actual.prefix(head.count)) == head
            && Array(actual.suffix(tail.count)) == tail
    }

    @Test func everyDocumentUnderDocsIsListedInTheReadme() throws {
        let listed = Set(try Self.documents().map { URL(fileURLWithPath: $0).lastPathComponent })
        let present = try FileManager.default.contentsOfDirectory(
            atPath: BinaryRunner.packageRoot.appendingPathComponent("docs").path).filter { $0.hasSuffix(".md") }
        #expect(!present.isEmpty && Set(present).isSubset(of: listed), "\(present) not all in \(listed)")
    }

    /// Each document's examples and what each printed.
    struct WalkedDocument: Sendable {
        let examples: [Example]
        let printed: [[String]]
    }

    /// The walk-through, started while the run is prepared: it waits some seconds on shells and
    /// `gradlog` processes, which then run beside the other tests (see `EarlyStart`).
    static let walkThrough = EarlyStart { try walkThroughEveryDocument() }

    @Test(.startsEarly(ReadmeTests.walkThrough))
    func everyConsoleExampleInTheReadmeAndTheDocsPrintsWhatItShows() async throws {
        let documents = try await Self.walkThrough.value()
        #expect(documents.map(\.examples).joined().count > 20)
        for document in documents { Self.check(document.examples, printed: document.printed) }
    }

    /// Walks through the README in a folder of its own, then through each file under docs/ at once,
    /// each going on from where the README left off, in a copy of its folder: the files do not
    /// build on one another.
    static func walkThroughEveryDocument() throws -> [WalkedDocument] {
        // Files without a console example (the command reference, say) have nothing to walk through.
        let documents = try Self.documents().map { Self.examples(in: try String(contentsOfFile: $0, encoding: .utf8)) }
            .enumerated().filter { $0.offset == 0 || !$0.element.isEmpty }.map(\.element)
        let readme = try TemporaryDirectory()
        let readmeFolder = readme.path
        var walked = [WalkedDocument(examples: documents[0], printed: try walk(through: documents[0], in: readmeFolder))]
        let results = Mutex<[Int: Result<[[String]], any Error>]>([:])
        let group = DispatchGroup()
        for (index, examples) in documents.enumerated().dropFirst() {
            onOwnThread(in: group) {
                let result = Result {
                    let directory = try TemporaryDirectory()
                    try BinaryRunner.run("cp", ["-a", readmeFolder + "/.", directory.path])
                    return try walk(through: examples, in: directory.path)
                }
                results.withLock { $0[index] = result }
            }
        }
        group.wait()
        for (index, examples) in documents.enumerated().dropFirst() {
            walked.append(WalkedDocument(examples: examples, printed: try results.withLock { $0[index]! }.get()))
        }
        withExtendedLifetime(readme) {}  // its folder is copied above, so it goes only now
        return walked
    }

    /// Runs `examples` in one shell in `directory`, so that `$?` and files carry over from one to
    /// the next, and returns what each printed.
    static func walk(through examples: [Example], in directory: String) throws -> [[String]] {
        var script = "set +e\ncd '\(directory)'\nexport PATH='\(URL(fileURLWithPath: BinaryRunner.gradlog).deletingLastPathComponent().path)':\"$PATH\"\nunset GRADLOG_DB\n"
        // Runs record who ran them (`runs.run_by`, the `user` column of `gradlog runs`): the README's user.
        script += "export USER=ana LOGNAME=ana\n"
        // The Python examples import the client in clients/python, as the README says.
        script += "export PYTHONPATH='\(BinaryRunner.packageRoot.appendingPathComponent("clients/python").path)'\nunset GRADLOG PYTHONUNBUFFERED\n"
        // The team store's examples push to and pull from a fresh database of the tests' server.
        script += "export STORE='\(try PostgresTestServer.freshDatabase())'\n"
        // A marker line separates the outputs.
        for (index, example) in examples.enumerated() {
            script += "printf '\\n@@example %d@@\\n' \(index); (exit ${last:-0})\n\(example.command)\nlast=$?\n"
        }
        let scriptPath = directory + "/.walk-through.sh"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        let output = try BinaryRunner.run("bash", [scriptPath], in: directory).out
        var outputs: [[String]] = []
        // CSV ends its lines with CRLF, which a README cannot show.
        for line in output.replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("@@example ") { outputs.append([]) } else if !outputs.isEmpty { outputs[outputs.count - 1].append(line) }
        }
        // Each marker starts on a line of its own, so an output that ended with a line break has an
        // empty last line to drop.
        return outputs.map { $0.last == "" ? Array($0.dropLast()) : $0 }
    }

    /// Expects each example to have printed what its document shows.
    static func check(_ examples: [Example], printed outputs: [[String]]) {
        #expect(outputs.count == examples.count)
        for (example, actual) in zip(examples, outputs) {
            #expect(Self.matches(actual, example.expected),
                    "$ \(example.command)\nREADME shows:\n\(example.expected.joined(separator: "\n"))\nprinted:\n\(actual.joined(separator: "\n"))")
        }
    }
}
