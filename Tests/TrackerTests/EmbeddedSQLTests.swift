import Foundation
import Migrations
import Reports
import Testing
@testable import Tracker

/// The `.sql` files the EmbedSQL plugin embeds are the folders' files, byte for byte, and the
/// migrations made of them are numbered without a gap, each backfill belonging to one of them.
@Suite struct EmbeddedSQLTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every `.sql` file under `folder`, subfolders included, by its path inside it, sorted.
    func sqlFiles(under folder: String) throws -> [String] {
        let path = Self.packageRoot.appendingPathComponent(folder).path
        let files = try #require(FileManager.default.enumerator(atPath: path)).compactMap { $0 as? String }
        return files.filter { $0.hasSuffix(".sql") }.sorted()
    }

    /// Checks that `embedded` holds exactly the `.sql` files under `folder`, each with the file's bytes.
    func expectVerbatim(_ embedded: [(name: String, sql: String)], of folder: String) throws {
        #expect(embedded.map(\.name).sorted() == (try sqlFiles(under: folder)))
        for file in embedded {
            let onDisk = try Data(contentsOf: Self.packageRoot.appendingPathComponent("\(folder)/\(file.name)"))
            // Bytes, not String's ==, which would take a composed and a decomposed é for the same.
            // Compared as a whole: a failure names the file (rebuild after editing it), not its bytes.
            let same = Array(file.sql.utf8) == Array(onDisk)
            #expect(same, "\(folder)/\(file.name) is not embedded verbatim")
        }
    }

    @Test func everyMigrationFileIsEmbeddedVerbatimAndIsASQLiteOrAPostgreSQLMigration() throws {
        try expectVerbatim(EmbeddedMigrations.files + EmbeddedMigrations.postgres, of: "Migrations")
        #expect(EmbeddedMigrations.files.allSatisfy { !$0.name.contains("/") })
        #expect(EmbeddedMigrations.postgres.allSatisfy { $0.name.hasPrefix("PostgreSQL/") })
        #expect(!EmbeddedMigrations.postgres.isEmpty)
    }

    @Test func everyReportFileIsEmbeddedVerbatim() throws {
        try expectVerbatim(EmbeddedReports.files, of: "Reports")
        let named = [EmbeddedReports.epochs, EmbeddedReports.epochsWide, EmbeddedReports.layers, EmbeddedReports.steps, EmbeddedReports.stepsWide]
        #expect(Set(named) == Set(EmbeddedReports.files.map(\.sql)))
    }

    @Test func theMigrationsAreNumberedFromOneWithoutAGapOrATwin() {
        // Two files with one number (two branches each adding one) would leave the second never applied.
        #expect(Store.migrator.migrations.map(\.version) == Array(1...EmbeddedMigrations.files.count))
        #expect(TeamStore.migrator.migrations.map(\.version) == Array(1...EmbeddedMigrations.postgres.count))
    }

    @Test func everyBackfillIsRegisteredUnderAMigrationThatHasIt() {
        // A backfill under a number no migration has would never run.
        let sqliteVersions = Set(Store.migrator.migrations.map(\.version))
        #expect(Set(MigrationCatalog.sqliteBackfills.keys).isSubset(of: sqliteVersions))
        #expect(Store.migrator.migrations.allSatisfy { ($0.backfill != nil) == (MigrationCatalog.sqliteBackfills[$0.version] != nil) })
        #expect(!MigrationCatalog.sqliteBackfills.isEmpty)
        let postgresVersions = Set(TeamStore.migrator.migrations.map(\.version))
        #expect(Set(MigrationCatalog.postgresBackfills.keys).isSubset(of: postgresVersions))
    }
}
