import SQLiteDB
import Testing
import TestSupport
import Tracker
import Wording

/// Tracker says what does not fit in a file as typed facts; Wording alone puts them into words.
@Suite struct InconsistencyWordingTests {
    static let span = EpochSpan(epoch: 2, steps: 3, lastStep: 6)
    static let everyInconsistency: [RunInconsistency] = [
        .unknownStatus("paused"), .implausibleCounts(inputs: 0, samples: 4, steps: 2),
        .samples(found: 3, inputValues: 5, expected: 4, inputs: 2), .sampleShape,
        .stepCount(claimed: 4, steps: 3, lastStep: 3), .lastStep(claimed: 4, lastStep: 3),
        .gradientRows(total: 23, matching: 22, expected: 24), .parameterPositions,
        .parameters(found: ["w", "x"], model: ["w", "b"]), .unwrittenSetting(column: "activation"),
        .epochWithoutRow(epoch: 3), .epochRow(span, steps: EpochSpan(epoch: 2, steps: 2, lastStep: 6)),
        .epochRowWithoutSteps(epoch: 9), .metricName("val loss"), .blob(table: "steps", column: "loss"),
        .parameterPlace(name: "w", found: [0, 0, 0, 0], model: [0, 1, 1, 1]), .parameterCount(found: 2, model: 8_400_897),
    ]

    @Test func everyInconsistencyHasItsOwnWordsWithItsFigures() {
        let words = Self.everyInconsistency.map(\.words)
        #expect(Set(words).count == words.count)
        #expect(RunInconsistency.stepCount(claimed: 4, steps: 3, lastStep: 3).words
            == "runs.step_count says 4 steps, but it has 3 steps numbered up to 3")
        #expect(RunInconsistency.epochRow(Self.span, steps: EpochSpan(epoch: 2, steps: 2, lastStep: 6)).words
            == "its epochs row 2 says 3 steps up to step 6, but the steps table has epoch 2 with 2 steps up to step 6")
        #expect(words.allSatisfy { !$0.contains("Optional(") && !$0.isEmpty })
    }

    @Test func namesFromTheFileAreShownEscapedInTheWords() {
        for entry in HostileStrings.texts {
            for words in [RunInconsistency.unknownStatus(entry.text).words, RunInconsistency.metricName(entry.text).words,
                          RunInconsistency.parameters(found: [entry.text], model: ["b"]).words,
                          RunInconsistency.parameterPlace(name: entry.text, found: [.text(entry.text)], model: [0]).words] {
                #expect(!words.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x1B }, "\(entry.label)")
            }
        }
    }

    /// Parameters edited in the file, and what `verify` says of each.
    static let editedParameters: [(edit: String, words: String)] = [
        // With the names alike, it said "its parameters are w, b where its model has w, b".
        ("UPDATE params SET layer = 0, unit = 0, input = NULL WHERE param = 'w'",
         "its parameter 'w' is at position 0, layer 0, unit 0, input none where its model has it at position 0, layer 1, unit 1, input 1"),
        // Naming the model's 7 million parameters, only to say that they differ, took 13 s and 1.35 GB.
        ("UPDATE runs SET hidden = '1024,1024,1024,1024,1024,1024,1024,1024'", "it has 2 parameters where its model has 7350273"),
    ]

    @Test(arguments: editedParameters)
    func parametersEditedInTheFileAreNamedInWords(edit: String, words: String) throws {
        let cli = try CLIHarness()
        cli.run(["run", "--epochs", "2"])
        try Database(path: cli.database).execute(edit)
        let result = cli.run(["verify", "1"])
        #expect(result.code == 1)
        #expect(result.err.contains("run 1 is inconsistent: \(words); the file was changed outside gradlog"))
    }

    @Test func everySchemaDifferenceSaysWhichObject() {
        let differences: [SchemaDifference] = [
            .missing(type: "table", name: "steps"), .otherType(name: "steps", found: "view", expected: "table"),
            .redefined(type: "index", name: "steps_by_epoch"), .extra(type: "trigger", name: "t"),
        ]
        #expect(differences.map(\.words) == [
            "its table steps is missing", "steps is a view, where gradlog has a table",
            "its index steps_by_epoch is not defined as gradlog defines it", "it has a trigger, t, that gradlog does not make",
        ])
    }
}
