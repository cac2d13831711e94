import Testing
@testable import GradlogCLI
@testable import Output

/// The terminal table: widths in terminal cells, long text cut to the terminal, and --precision.
@Suite struct TerminalTableTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        // One user of four letters, whoever runs the tests, so that the `user` column is as wide as its header.
        cli.run(["run", "--epochs", "2", "--name", "日本語 café", "--user", "anna"])
        cli.run(["run", "--epochs", "2", "--name", String(repeating: "long-name-", count: 9) + "end", "--user", "anna"])
    }

    func table(_ arguments: [String], columns: Int?) -> String {
        let console = Console.capturing(terminal: columns != nil, columns: columns)
        _ = Gradlog.execute([arguments[0], "--db", cli.database] + arguments.dropFirst(),
                            context: CommandContext(console: console, environment: [:]))
        return console.capturedOut
    }

    @Test func wideCharactersAndCombiningMarksTakeTheirCellsSoColumnsStayAligned() {
        cli.run(["run", "--epochs", "2", "--name", "cafe\u{301}"])  // e + combining acute accent
        let lines = table(["runs"], columns: nil).split(separator: "\n")
        #expect(AlignedWriter.width("日本語 café") == 11)
        #expect(AlignedWriter.width("cafe\u{301}") == 4)
        // The status column starts at the same cell on every row.
        let starts = lines.dropFirst(2).map { AlignedWriter.width(String($0[..<($0.range(of: "finished")?.lowerBound ?? $0.endIndex)])) }
        #expect(starts.count == 3 && Set(starts).count == 1, "\(lines)")
    }

    @Test func longTextIsCutToTheTerminalInTheTableOnly() {
        // `runs` is thirteen columns, 221 cells with full names: a terminal of 126 cuts the name.
        let narrow = table(["runs"], columns: 126)
        for line in narrow.split(separator: "\n") {
            #expect(AlignedWriter.width(String(line)) <= 126, "\(line)")
        }
        #expect(narrow.contains("long-name") && narrow.contains("…"))
        let show = table(["show", "1"], columns: 70)
        #expect(show.contains("config             {\"atol\":1e-05"))
        #expect(show.split(separator: "\n").allSatisfy { AlignedWriter.width(String($0)) <= 70 })
        #expect(table(["runs"], columns: nil).contains("long-name-end"))
        #expect(table(["runs", "--csv"], columns: 80).contains("long-name-end"))
    }

    @Test func precisionShortensRealsInTheTableOnly() {
        let short = table(["report", "1", "--precision", "4"], columns: nil)
        #expect(short.contains("0.6931") && short.contains("8.227e-11") && !short.contains("0.6931471805599453"))
        #expect(table(["report", "1", "--csv", "--precision", "4"], columns: nil).contains("0.6931471805599453"))
        #expect(cli.run(["report", "1", "--precision", "0"]).code == 64)
    }

    @Test func significantDigitsAreWrittenAsPercentGDoes() {
        let cases: [(Double, Int, String)] = [
            (0.6931471805599453, 4, "0.6931"), (8.426681574746908e-11, 4, "8.427e-11"), (1e-06, 4, "1e-06"),
            (123456.7, 4, "1.235e+05"), (99.99, 3, "100"), (0.000123456, 3, "0.000123"), (-0.95, 4, "-0.95"),
            (2.0, 4, "2"), (9.9996, 4, "10"), (1234.5, 17, "1234.5"), (0.0, 3, "0.0"), (.infinity, 3, "inf"),
        ]
        for (value, digits, expected) in cases {
            #expect(CellText.number(value, significantDigits: digits) == expected, "\(value) to \(digits)")
        }
    }
}
