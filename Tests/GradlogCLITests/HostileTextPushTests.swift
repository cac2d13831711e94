import PostgresDB
import SQLiteDB
import TestSupport
import Testing
import Training
import Wording

/// `gradlog push` with the corpus of hostile strings: PostgreSQL's text holds every one of them byte
/// for byte, but for a NUL byte and bytes that are not UTF-8, which it cannot hold; a run with those is
/// refused, naming the column, and nothing of it reaches the store.
@Suite(.enabled(if: PostgresTestServer.shouldRun, Comment(rawValue: PostgresTestServer.skipReason)))
struct HostileTextPushTests {
    let corpus: HostileRuns
    let store: String

    init() throws {
        corpus = try HostileRuns()
        store = try PostgresTestServer.freshDatabase()
    }

    /// The words of the refusal after "its COLUMN holds ".
    private static let refusalEnd = ", which PostgreSQL text cannot hold, and gradlog never changes text to push it; "

    /// The store's bytes of the run's name, note and `hostile` tag, in hex, or nil when it lacks the run.
    private func storedHex(_ uuid: String, _ connection: PostgresConnection) throws -> [String?]? {
        try connection.query("""
            SELECT encode(convert_to(r.name, 'UTF8'), 'hex'), encode(convert_to(r.note, 'UTF8'), 'hex'),
                   encode(convert_to(t.value, 'UTF8'), 'hex')
            FROM runs r LEFT JOIN tags t ON t.run_id = r.id AND t.key = 'hostile' WHERE r.uuid = $1
            """, [uuid]).rows.first
    }

    private static func hex(_ text: String) -> String {
        text.utf8.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// Each run's action in `push --csv` output, by uuid.
    private static func actions(_ csv: String) -> [String: String] {
        let records = FormatReaders.csv(csv) ?? []
        return Dictionary(records.dropFirst().filter { $0.count > 1 }.map { ($0[1], $0[0]) }, uniquingKeysWith: { first, _ in first })
    }

    @Test("Push copies the corpus byte for byte and refuses a NUL byte or bytes that are not UTF-8, writing nothing of that run")
    func pushKeepsOrRefusesEveryString() throws {
        let connection = try PostgresTestServer.connect(store)
        let db = try Database(path: corpus.cli.database)
        var uuids: [Int64: String] = [:]
        for run in corpus.runs {
            uuids[run.id] = try #require(try db.scalar("SELECT uuid FROM runs WHERE id = ?", [.integer(run.id)])?.stringValue)
        }
        // The runs whose text PostgreSQL can hold go in one push; each of the others is pushed alone
        // after them, and refused.
        let storable = corpus.runs.filter { $0.isUTF8 && !$0.text.utf8.contains(0) }
        let ids = storable.map { String($0.id) }
        let first = corpus.cli.run(["push", store] + ids + ["--csv"])
        #expect(first.code == 0, "\(first.err)")
        let actions = Self.actions(first.out)
        for run in corpus.runs where !storable.contains(where: { $0.id == run.id }) {
            let uuid = try #require(uuids[run.id])
            let result = corpus.cli.run(["push", store, String(run.id), "--csv"])
            if run.isUTF8, let nul = run.text.utf8.firstIndex(of: 0) {
                let byte = run.text.utf8.distance(from: run.text.utf8.startIndex, to: nul) + 1
                #expect(result.code == 1, "\(run.label)")
                #expect(result.err.hasPrefix("Error: run \(run.id) cannot be pushed: its runs.name holds a NUL byte (byte \(byte))"
                                             + Self.refusalEnd + "nothing of run \(run.id) was written to the store"), "\(result.err)")
            } else {
                #expect(result.code == 1, "\(run.label)")
                #expect(result.err.hasPrefix("Error: run \(run.id) cannot be pushed: its runs.name holds bytes that are not UTF-8"
                                             + Self.refusalEnd), "\(result.err)")
            }
            #expect(try storedHex(uuid, connection) == nil, "\(run.label)")
        }
        // Pushing them again sends nothing.
        let again = Self.actions(corpus.cli.run(["push", store] + ids + ["--csv"]).out)
        var pushed: [(uuid: String, text: String)] = []
        for run in storable {
            let uuid = try #require(uuids[run.id])
            #expect(actions[uuid] == "pushed", "\(run.label): \(first.err)")
            let hex = Self.hex(run.text)
            #expect(try storedHex(uuid, connection) == [hex, hex, hex], "\(run.label)")
            #expect(again[uuid] == "unchanged", "\(run.label)")
            pushed.append((uuid, run.text))
        }
        #expect(pushed.count == HostileStrings.texts.count - 1)
        // And back: a pull gives each string its bytes again.
        let other = CLIHarness.sharing(corpus.cli.directory, name: "pulled.db")
        #expect(other.run(["pull", store, "--all"]).code == 0)
        let pulled = try Database(path: other.database)
        for (uuid, text) in pushed {
            let row = try pulled.rows("""
                SELECT hex(CAST(name AS BLOB)), hex(CAST(note AS BLOB)),
                       (SELECT hex(CAST(value AS BLOB)) FROM tags WHERE run_id = runs.id AND key = 'hostile')
                FROM runs WHERE uuid = ?
                """, [.text(uuid)])
            let hex = SQLiteValue.text(Self.hex(text).uppercased())
            #expect(row == [[hex, hex, hex]], "\(MessageText.shown(text, limit: 20))")
        }
    }

    @Test("A NUL byte set after a run was pushed is refused, and the store keeps the run as it was")
    func aNulByteAddedLaterIsRefused() throws {
        let connection = try PostgresTestServer.connect(store)
        let uuid = try #require(try Database(path: corpus.cli.database).scalar("SELECT uuid FROM runs WHERE id = 1")?.stringValue)
        #expect(corpus.cli.run(["push", store, "1"]).code == 0)
        let before = try storedHex(uuid, connection)
        #expect(corpus.cli.run(["note", "1", "kept\u{0}cut"]).code == 0)
        let note = corpus.cli.run(["push", store, "1"])
        #expect(note.code == 1)
        #expect(note.err.hasPrefix("Error: run 1 cannot be pushed: its runs.note holds a NUL byte (byte 5)"), "\(note.err)")
        #expect(try storedHex(uuid, connection) == before)
        #expect(corpus.cli.run(["note", "1", "fine"]).code == 0)
        #expect(corpus.cli.run(["tag", "1", "added=a\u{0}b"]).code == 0)
        let tag = corpus.cli.run(["push", store, "1"])
        #expect(tag.code == 1)
        #expect(tag.err.hasPrefix("Error: run 1 cannot be pushed: its tags.value holds a NUL byte (byte 2)"), "\(tag.err)")
        // The transaction that would have set the note to "fine" was rolled back with the tags.
        #expect(try storedHex(uuid, connection) == before)
        #expect(try connection.query("SELECT count(*) FROM tags WHERE key = 'added'").scalar == "0")
    }
}
