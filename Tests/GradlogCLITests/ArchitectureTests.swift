import Foundation
import Testing

/// The module graph: what Package.swift declares, what the sources import, and what
/// docs/architecture.md draws are one and the same, and its arrows point one way.
@Suite struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Each non-test target of Package.swift (plugins included) and the targets and products it depends on.
    static func declaredGraph() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var graph: [String: Set<String>] = [:]
        var rest = Substring(text)
        while let start = rest.range(of: #"\.(target|executableTarget|systemLibrary|plugin)\("#, options: .regularExpression) {
            let body = balancedParentheses(from: start.upperBound, in: rest)
            rest = rest[body.endIndex...]
            guard let name = firstQuoted(after: "name:", in: body) else { continue }
            var dependencies: Set<String> = []
            if let list = body.range(of: "dependencies: [") {
                let items = body[list.upperBound...].prefix { $0 != "]" }
                for match in items.matches(of: /"([A-Za-z0-9-]+)"/) where !items.contains("package: \"\(match.1)\"") {
                    dependencies.insert(String(match.1))
                }
            }
            graph[name] = dependencies
        }
        graph["TestSupport"] = nil  // shared by the tests only
        return graph
    }

    private static func balancedParentheses(from index: Substring.Index, in text: Substring) -> Substring {
        var depth = 1, end = index
        while depth > 0 && end < text.endIndex {
            if text[end] == "(" { depth += 1 } else if text[end] == ")" { depth -= 1 }
            end = text.index(after: end)
        }
        return text[index..<end]
    }

    private static func firstQuoted(after key: String, in text: Substring) -> String? {
        guard let range = text.range(of: key) else { return nil }
        return text[range.upperBound...].firstMatch(of: /"([^"]+)"/).map { String($0.1) }
    }

    /// The project's modules each target's Swift files import (`import X`, `@testable import X`);
    /// nil for a target without Swift files (C code, a module map).
    static func importedModules(of target: String, among modules: Set<String>) throws -> Set<String>? {
        let folder = ["Migrations", "Reports"].contains(target) ? root.appendingPathComponent(target)
            : root.appendingPathComponent("Sources").appendingPathComponent(target)
        guard let files = FileManager.default.enumerator(atPath: folder.path) else { return nil }
        var imported: Set<String> = [], swiftFiles = 0
        for case let file as String in files where file.hasSuffix(".swift") {
            swiftFiles += 1
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /(?m)^(?:@testable )?import ([A-Za-z0-9_]+)$/) where modules.contains(String(match.1)) {
                imported.insert(String(match.1))
            }
        }
        return swiftFiles > 0 ? imported : nil
    }

    /// The graph docs/architecture.md draws: `Target → A, B` lines in its ```text block.
    static func drawnGraph() throws -> [String: Set<String>] {
        let readme = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        guard let section = readme.range(of: "# Architecture"),
              let block = readme[section.upperBound...].range(of: "```text\n"),
              let end = readme[block.upperBound...].range(of: "```") else { return [:] }
        var graph: [String: Set<String>] = [:]
        for line in readme[block.upperBound..<end.lowerBound].split(separator: "\n") {
            let parts = line.split(separator: "→", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, !name.isEmpty else { continue }
            graph[name] = parts.count > 1 && parts[1] != "nothing"
                ? Set(parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) : []
        }
        return graph
    }

    @Test func theSourcesImportExactlyTheModulesThatPackageSwiftDeclares() throws {
        let graph = try Self.declaredGraph()
        #expect(graph.count >= 18)
        let modules = Set(graph.keys)
        for (target, declared) in graph {
            guard let imported = try Self.importedModules(of: target, among: modules) else { continue }
            #expect(imported.subtracting([target]) == declared.intersection(modules),
                    "\(target): imports \(imported.sorted()), declares \(declared.sorted())")
        }
    }

    @Test func theArchitectureDocumentDrawsTheGraphPackageSwiftDeclares() throws {
        #expect(try Self.drawnGraph() == Self.declaredGraph())
    }

    @Test func noSQLRunsOutsideTheTrackerAndTheDatabaseWrappers() throws {
        let graph = try Self.declaredGraph()
        let allowed: Set<String> = ["Tracker", "SQLiteDB", "PostgresDB", "gradlog-bench", "CFloor", "Migrations", "Reports"]
        for target in graph.keys.filter({ !allowed.contains($0) }) {
            let folder = Self.root.appendingPathComponent("Sources").appendingPathComponent(target)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                let calls = text.matches(of: /\.db\.|\.(query|prepare|scalar|namedRows|rows)\(\s*"/).count
                #expect(calls == 0, "\(target)/\(file) reaches the database itself")
            }
        }
    }

    @Test func theArrowsPointOneWay() throws {
        let graph = try Self.declaredGraph()
        func below(_ target: String) -> Set<String> {
            var seen: Set<String> = [], queue = [target]
            while let next = queue.popLast() {
                for dependency in graph[next] ?? [] where seen.insert(dependency).inserted { queue.append(dependency) }
            }
            return seen
        }
        #expect(!below("GradlogKit").contains("GradlogCLI") && !below("GradlogKit").contains("ArgumentParser"))
        for library in ["Training", "Charts", "SQLiteDB", "PostgresDB"] {
            #expect(below(library).isSubset(of: ["CSQLite", "CLibPQ"]), "\(library) depends on \(below(library))")
        }
        #expect(below("Tracker").isDisjoint(with: ["Wording", "Output", "JSONLines", "GradlogCLI", "GradlogKit", "ArgumentParser"]))
        for target in graph.keys { #expect(!below(target).contains(target), "\(target) depends on itself") }
    }
}
