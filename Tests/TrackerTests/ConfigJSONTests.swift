import Foundation
import SQLiteDB
import TestSupport
import Testing
@testable import Tracker
@testable import Training

/// `runs.config` and `runs.command_line` as FoundationEssentials' JSONEncoder writes them for new
/// runs, and the old, hand-written configs of the fixtures, which are kept as they are and verify.
@Suite struct ConfigJSONTests {
    /// Doubles that a careless writer gets wrong: shortest forms, subnormals, extremes, signed zero.
    static let awkwardDoubles: [Double] = [
        0.1, 0.1 + 0.2, 1e-6, 1e-5, .leastNonzeroMagnitude, 2.2250738585072014e-308, .greatestFiniteMagnitude, 1e308, -1, 0,
        -0.0, 123_456_789.125, 9_007_199_254_740_994, 0.04831297575436466, -1.0000000000842668,
    ]

    @Test func doublesAreWrittenInTheirShortestFormAndReadBackBitForBit() throws {
        let text = JSONValue.array(Self.awkwardDoubles.map(JSONValue.real)).text
        let back = try JSONDecoder().decode([Double].self, from: Data(text.utf8))
        #expect(back.map(\.bitPattern) == Self.awkwardDoubles.map(\.bitPattern), "\(text)")
        #expect(JSONValue.real(0.1).text == "0.1" && JSONValue.real(1e-6).text == "1e-06")
        #expect(JSONValue.real(0.1 + 0.2).text == "0.30000000000000004")
        // JSON has no NaN or infinity: gradlog has always written them as these strings.
        #expect(JSONValue.array([.real(.nan), .real(.infinity), .real(-.infinity)]).text == #"["NaN","Infinity","-Infinity"]"#)
    }

    @Test func textIsEscapedAsJSONRequiresKeysAreSortedAndSlashesKept() throws {
        let db = try Database(path: ":memory:")
        for entry in HostileStrings.texts {
            let text = JSONValue.string(entry.text).text
            // SQLite's own JSON reader gives the string back (it stops at NUL, as SQL text does).
            let read = try db.scalar("SELECT json_extract(?1, '$')", [.text(text)])
            #expect(read == .text(String(entry.text.prefix { $0 != "\0" })), "\(entry.label)")
            #expect(try JSONDecoder().decode(String.self, from: Data(text.utf8)) == entry.text, "\(entry.label)")
        }
        let object = JSONValue.object(["w": .integer(2), "b": .string("/tmp/x y"), "a_b": .null, "B": .array([])])
        #expect(object.text == #"{"B":[],"a_b":null,"b":"/tmp/x y","w":2}"#)
    }

    @Test func aNewRunsConfigIsAJSONObjectThatSQLiteReadsAndTheRunVerifies() throws {
        let store = try Store(path: ":memory:")
        let data = try CSVDataset.parse("\"a/b\",\"q\"\"uote\",y\n0.1,-2,1\n3e-5,4,0\n-0.0,1,1\n", source: "gone.csv")
        var config = TrainingConfig()
        config.epochs = 3
        config.learningRate = 0.30000000000000004
        config.weights = [-0.0, 1]
        config.bias = -1
        let id = try RunExecutor.execute(RunRequest(dataset: data, config: config), in: store).runID
        let row = try store.db.rows(
            """
            SELECT json_valid(config), json_type(config), json_extract(config, '$.features'),
                   json_extract(config, '$.lr') = lr, json_extract(config, '$.dataset') = dataset,
                   json_extract(config, '$.epochs') = epochs, json_extract(config, '$.loss') = loss, config
            FROM runs WHERE id = ?
            """, [.integer(id)])[0]
        #expect(Array(row[0...1]) == [1, "object"])
        #expect(row[2] == #"["a/b","q\"uote"]"#)
        #expect(Array(row[3...6]) == [1, 1, 1, 1])
        // Every number reads back as the very double the run stored in its columns.
        struct Stored: Decodable { let lr, eps, atol, rtol, b: Double; let w: [Double] }
        let stored = try JSONDecoder().decode(Stored.self, from: Data((row[7].stringValue ?? "").utf8))
        #expect([stored.lr, stored.eps, stored.atol, stored.rtol] == [0.30000000000000004, 1e-6, 1e-5, 1e-3])
        #expect(stored.w.map(\.bitPattern) == [(-0.0).bitPattern, 1.0.bitPattern] && stored.b == -1)
        #expect(try RunVerifier.verify(id, in: store).difference == nil)
    }

    @Test func aNetworksConfigNamesItsInitialParameters() throws {
        let store = try Store(path: ":memory:")
        var config = TrainingConfig()
        config.epochs = 2
        config.hidden = [2]
        let id = try RunExecutor.execute(RunRequest(dataset: .xor, config: config), in: store).runID
        let initial = try store.db.rows(
            """
            SELECT p.param, json_extract(r.config, '$.initial."' || p.param || '"') = p.initial
            FROM params p JOIN runs r ON r.id = p.run_id WHERE r.id = ? ORDER BY p.position
            """, [.integer(id)])
        #expect(initial.count == 9 && initial.allSatisfy { $0[1] == 1 }, "\(initial)")
        #expect(try store.db.scalar("SELECT json_extract(config, '$.hidden') FROM runs") == "2")
        #expect(try RunVerifier.verify(id, in: store).difference == nil)
    }

    @Test func oldRunsKeepTheirConfigBytesAndVerifyBesideANewRun() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("v3.db")
        try FileManager.default.copyItem(atPath: UpgradeTests.v3Fixture, toPath: path)
        let before = try Database(path: path).rows("SELECT config, command_line FROM runs ORDER BY id")
        #expect(before[0][0].stringValue?.hasPrefix(#"{"atol": 1e-05, "b": -1.0, "#) == true)
        let store = try Store(path: path)
        let id = try RunExecutor.execute(RunRequest(dataset: .lesson, config: TrainingConfig()), in: store).runID
        let after = try store.db.rows("SELECT config, command_line FROM runs ORDER BY id")
        #expect(Array(after.prefix(4)) == before)
        #expect(after[4][0] == .text(
            #"{"atol":1e-05,"b":-1,"batch_size":1,"dataset":"lesson","epochs":100,"eps":1e-06,"features":["x"],"#
                + #""init":"lesson","loss":"stable","lr":0.1,"residual":"exact","rtol":0.001,"seed":42,"w":[0.5]}"#))
        for run in 1...id {
            #expect(try RunVerifier.verify(run, in: store).difference == nil, "run \(run)")
        }
    }
}
