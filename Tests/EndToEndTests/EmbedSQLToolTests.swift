import Foundation
import TestSupport
import Testing

/// The EmbedSQL plugin's tool, run as the build runs it on the migrations' folder: it embeds the
/// schema the migrations leave, and a migration that does not apply stops the build in words.
@Suite struct EmbedSQLToolTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Runs embed-sql with `--migrated-schema` on files of the given names and texts.
    func embed(_ files: [(name: String, sql: String)]) throws -> (BinaryRunner.Output, String) {
        for file in files { try file.sql.write(toFile: directory.file(file.name), atomically: true, encoding: .utf8) }
        let output = directory.file("EmbeddedSQL.swift")
        let result = try BinaryRunner.run(BinaryRunner.built("embed-sql"),
                                          ["--migrated-schema", output, directory.path] + files.map { directory.file($0.name) })
        return (result, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    @Test func theSchemaTheMigrationsLeaveIsEmbeddedInSQLitesOrder() throws {
        let (result, source) = try embed([
            ("0001_init.sql", "CREATE TABLE t (a INTEGER);\nCREATE INDEX t_a ON t (a);"),
            ("0002_more.sql", "ALTER TABLE t ADD COLUMN b TEXT;"),
        ])
        #expect(result.code == 0, "\(result.err)")
        #expect(source.contains("static let migratedSchema"))
        #expect(source.contains("2, true, ["))
        #expect(source.contains(#"("table", "t", "t", "CREATE TABLE t (a INTEGER, b TEXT)"),"#))
        #expect(source.contains(#"("index", "t_a", "t", "CREATE INDEX t_a ON t (a)"),"#))
    }

    @Test func aMigrationThatFailsStopsTheBuildWithSQLitesMessage() throws {
        let (result, source) = try embed([("0001_init.sql", "CREATE TABLE t (a INTEGER);"), ("0002_bad.sql", "ALTER TABLE nope ADD COLUMN b;")])
        #expect(result.code == 1 && source.isEmpty)
        #expect(result.err.hasPrefix("error: embed-sql: the migrations do not apply to an empty database:"), "\(result.err)")
        #expect(result.err.contains("no such table: nope"), "\(result.err)")
    }

    @Test func aTopLevelFileWithoutANumberIsNamed() throws {
        let (result, _) = try embed([("init.sql", "CREATE TABLE t (a INTEGER);")])
        #expect(result.code == 1)
        #expect(result.err.contains("init.sql is not a migration"), "\(result.err)")
    }
}
