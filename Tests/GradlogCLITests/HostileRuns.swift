import Foundation
import SQLiteDB
import TestSupport
import Testing

/// A fresh database (a copy of one made once per test process) with one run per string of `HostileStrings`, the string as the run's name, note
/// and value of its tag `hostile`; the byte strings that are not UTF-8 are written there with SQL,
/// as another program could write them.
struct HostileRuns {
    /// One run of the corpus.
    struct Run: Sendable {
        let id: Int64
        /// What the string attacks.
        let label: String
        /// The text as gradlog reads it back: the string itself, or its bytes with U+FFFD for each
        /// sequence that is not UTF-8.
        let text: String
        /// Whether the stored bytes are the text's own UTF-8 (false for the byte strings that are not UTF-8).
        let isUTF8: Bool
    }

    let cli: CLIHarness
    let runs: [Run]

    /// The fields of `show` that hold the corpus text.
    static let fields = ["name", "note", "tag.hostile"]

    /// A fresh copy of the corpus's database, which is made once per test process (by `make`).
    init() throws {
        (cli, runs) = try CLIHarness.copying(Self.template)
    }

    static let template = DatabaseTemplate<[Run]> { path in try make(at: path) }

    /// Writes the corpus's runs into a new database at `path`, through the command line, and returns them.
    private static func make(at path: String) throws -> [Run] {
        let cli = try CLIHarness()
        var runs: [Run] = []
        for entry in HostileStrings.texts {
            let id = Int64(runs.count + 1)
            let logged = cli.run(["run", "--epochs", "1", "--name", entry.text, "--tag", "hostile=" + entry.text])
            #expect(logged.code == 0, "\(entry.label): \(logged.err)")
            #expect(cli.run(["note", String(id), entry.text]).code == 0, "\(entry.label)")
            runs.append(Run(id: id, label: entry.label, text: entry.text, isUTF8: true))
        }
        let db = try Database(path: cli.database)
        for (index, bytes) in HostileStrings.notUTF8.enumerated() {
            let id = Int64(runs.count + 1)
            #expect(cli.run(["run", "--epochs", "1", "--name", "placeholder", "--tag", "hostile=x"]).code == 0)
            #expect(cli.run(["note", String(id), "placeholder"]).code == 0)
            for sql in ["UPDATE runs SET name = CAST(?1 AS TEXT), note = CAST(?1 AS TEXT) WHERE id = ?2",
                        "UPDATE tags SET value = CAST(?1 AS TEXT) WHERE run_id = ?2 AND key = 'hostile'"] {
                _ = try db.rows(sql, [.blob(bytes), .integer(id)])
            }
            runs.append(Run(id: id, label: "not UTF-8 #\(index + 1)", text: String(decoding: bytes, as: UTF8.self), isUTF8: false))
        }
        _ = try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try FileManager.default.copyItem(atPath: cli.database, toPath: path)
        return runs
    }

    /// Whether a terminal would act on the scalar rather than show it, or show it as nothing: C0
    /// controls, DEL, C1 controls, U+2028/U+2029, bidi controls and noncharacters.
    static func isTerminalUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        // A switch rather than arrays and ranges of literals: it is asked of every scalar of every
        // output, 100 KB strings included, and a debug build would make the literals each time.
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFDD0...0xFDEF:
            return true
        case let value:
            return value & 0xFFFE == 0xFFFE
        }
    }
}
