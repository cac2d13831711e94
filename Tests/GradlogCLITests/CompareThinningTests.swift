import Testing
@testable import GradlogCLI

/// `compare --tag`, `--every` and `--epochs`: the runs of a tag, and the epoch rows thinned, with
/// every other row exactly as the full comparison prints it.
@Suite struct CompareThinningTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        precondition(cli.run(["run", "--epochs", "10", "--tag", "sweep=t"]).code == 0)
        precondition(cli.run(["run", "--epochs", "7", "--lr", "0.2", "--tag", "sweep=t"]).code == 0)
        precondition(cli.run(["run", "--epochs", "3"]).code == 0)
    }

    /// The full comparison's CSV lines, the epoch rows only those of `epochs`.
    private func full(_ runs: [String], keeping epochs: Set<Int>) -> String {
        let lines = cli.run(["compare"] + runs + ["--csv"]).out.split(separator: "\r\n", omittingEmptySubsequences: false)
        return lines.enumerated().filter { number, line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return number == 0 || cells.count < 2 || cells[1].isEmpty || epochs.contains(Int(cells[1]) ?? -1)
        }.map(\.element).joined(separator: "\r\n")
    }

    @Test("compare --tag compares the runs with the tag, after any runs named")
    func tagSelectsTheRuns() {
        let tagged = cli.run(["compare", "--tag", "sweep=t", "--csv"])
        #expect(tagged.code == 0, "\(tagged.err)")
        #expect(tagged.out == cli.run(["compare", "1", "2", "--csv"]).out)
        #expect(cli.run(["compare", "3", "--tag", "sweep=t", "--csv"]).out == cli.run(["compare", "3", "1", "2", "--csv"]).out)
        #expect(cli.run(["compare", "2", "--tag", "sweep=t", "--csv"]).out == cli.run(["compare", "2", "1", "--csv"]).out)
        let none = cli.run(["compare", "--tag", "sweep=none"])
        #expect(none.code == 1 && none.err.contains("no run of this database has the tag 'sweep=none'"), "\(none.err)")
        #expect(cli.run(["tag", "3", "alone=yes"]).code == 0)
        let alone = cli.run(["compare", "--tag", "alone=yes"])
        #expect(alone.code == 64 && alone.err.contains("at least two runs"))
        #expect(cli.run(["compare", "1"]).code == 64)
    }

    @Test("compare --every N keeps epochs 1, 1+N, … and each run's first and last, for every run that has them")
    func everyNthEpoch() {
        let thinned = cli.run(["compare", "1", "2", "--every", "4", "--csv"])
        #expect(thinned.code == 0, "\(thinned.err)")
        // 1, 5, 9 by the step; 10 (run 1's last) and 7 (run 2's last), shown for both runs.
        #expect(thinned.out == full(["1", "2"], keeping: [1, 5, 7, 9, 10]))
        #expect(thinned.out.contains("\r\nmean_loss,7,0.") && thinned.out.contains("\r\nmean_loss,10,0."))
        #expect(cli.run(["compare", "1", "2", "--every", "1", "--csv"]).out == full(["1", "2"], keeping: Set(1...10)))
        #expect(cli.run(["compare", "1", "2", "--every", "100", "--csv"]).out == full(["1", "2"], keeping: [1, 7, 10]))
    }

    @Test("compare --epochs A..B keeps that window, and --every counts from its start")
    func epochWindow() {
        #expect(cli.run(["compare", "1", "2", "--epochs", "3..6", "--csv"]).out == full(["1", "2"], keeping: [3, 4, 5, 6]))
        #expect(cli.run(["compare", "1", "2", "--epochs", "3..6", "--every", "2", "--csv"]).out == full(["1", "2"], keeping: [3, 5, 6]))
        #expect(cli.run(["compare", "1", "2", "--epochs", "..2", "--csv"]).out == full(["1", "2"], keeping: [1, 2]))
        #expect(cli.run(["compare", "1", "2", "--epochs", "8..", "--csv"]).out == full(["1", "2"], keeping: [8, 9, 10]))
        // A window past every run keeps the settings and outcomes, with no epoch row.
        #expect(cli.run(["compare", "1", "2", "--epochs", "50..", "--csv"]).out == full(["1", "2"], keeping: []))
        for bad in [["--epochs", "6..3"], ["--epochs", "0..3"], ["--epochs", "x..3"], ["--epochs", ".."], ["--epochs", "3"],
                    ["--every", "0"], ["--every", "-2"]] {
            let refused = cli.run(["compare", "1", "2"] + bad)
            #expect(refused.code == 64, "\(bad): \(refused.err)")
        }
    }

    @Test("Thinning keeps every format's conventions: the line formats print the full comparison's lines")
    func everyFormat() throws {
        for format in ["--table", "--tsv", "--json", "--jsonl", "--markdown"] {
            let thinned = cli.run(["compare", "1", "2", "--every", "4", format])
            #expect(thinned.code == 0, "\(format): \(thinned.err)")
            let all = cli.run(["compare", "1", "2", format]).out
            // TSV and JSON Lines pad nothing: each thinned line is a line of the full comparison.
            if format == "--tsv" || format == "--jsonl" {
                let fullLines = Set(all.split(separator: "\n"))
                #expect(thinned.out.split(separator: "\n").allSatisfy { fullLines.contains($0) }, "\(format)")
            }
            #expect(thinned.out.split(separator: "\n").count == all.split(separator: "\n").count - 5, "\(format)")
        }
    }
}
