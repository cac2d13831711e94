import Foundation
import Testing
@testable import GradlogCLI
@testable import Output

/// Exact output of every format, for the lesson trained two epochs with the textbook loss.
@Suite struct OutputFormatTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        let result = cli.run(["run", "--loss", "textbook", "--epochs", "2"])
        precondition(result.code == 0, result.err)
    }

    @Test func tableIsAlignedWithNumbersOnTheRight() {
        let result = cli.run(["report", "1"])
        #expect(result.code == 0)
        #expect(result.out == """
            epoch  steps  mean_loss           w                   b                    worst_rel_error         accuracy
            -----  -----  ------------------  ------------------  -------------------  ----------------------  --------
                1      1  0.6931471805599453                 0.6                -0.95  1.3977796695918903e-10       1.0
                2      1  0.5759394198788437  0.6875646998228404  -0.9062176500885798  1.4465774436013517e-10       1.0

            """)
    }

    @Test func csvFollowsRFC4180() {
        #expect(cli.run(["report", "1", "--csv"]).out == """
            epoch,steps,mean_loss,w,b,worst_rel_error,accuracy\r
            1,1,0.6931471805599453,0.6,-0.95,1.3977796695918903e-10,1.0\r
            2,1,0.5759394198788437,0.6875646998228404,-0.9062176500885798,1.4465774436013517e-10,1.0\r

            """)
    }

    @Test func tsvSeparatesWithTabs() {
        #expect(cli.run(["report", "latest", "--tsv"]).out == """
            epoch\tsteps\tmean_loss\tw\tb\tworst_rel_error\taccuracy
            1\t1\t0.6931471805599453\t0.6\t-0.95\t1.3977796695918903e-10\t1.0
            2\t1\t0.5759394198788437\t0.6875646998228404\t-0.9062176500885798\t1.4465774436013517e-10\t1.0

            """)
    }

    @Test func tsvEscapesTabsLineBreaksAndBackslashesSoCutWorks() {
        cli.run(["run", "--epochs", "1", "--name", "a\tb\nc\\d \"q\""])
        let out = cli.run(["runs", "--tsv"]).out
        #expect(!out.contains("\r"))
        let line = out.split(separator: "\n").last ?? ""
        #expect(line.split(separator: "\t", omittingEmptySubsequences: false)[1] == "a\\tb\\nc\\\\d \"q\"")
        #expect(line.split(separator: "\t", omittingEmptySubsequences: false).count == 13)
    }

    @Test func jsonLinesAreOneObjectPerLineThatEachParse() throws {
        let out = cli.run(["report", "latest", "--jsonl"]).out
        let lines = out.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["epoch"] != nil)
        }
        #expect(out.hasSuffix("}\n"))
        #expect(cli.run(["runs", "--jsonl", "--status", "crashed"]).out.isEmpty)
    }

    @Test func jsonIsAnArrayOfObjectsThatParses() throws {
        let out = cli.run(["report", "1", "--json"]).out
        #expect(out == """
            [
            {"epoch": 1, "steps": 1, "mean_loss": 0.6931471805599453, "w": 0.6, "b": -0.95, "worst_rel_error": 1.3977796695918903e-10, "accuracy": 1.0},
            {"epoch": 2, "steps": 1, "mean_loss": 0.5759394198788437, "w": 0.6875646998228404, "b": -0.9062176500885798, "worst_rel_error": 1.4465774436013517e-10, "accuracy": 1.0}
            ]

            """)
        let parsed = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
    }

    @Test func markdownIsAGitHubTableWithNumbersRightAligned() {
        #expect(cli.run(["report", "1", "--markdown"]).out == """
            | epoch | steps | mean_loss          | w                  | b                   | worst_rel_error        | accuracy |
            |------:|------:|-------------------:|-------------------:|--------------------:|-----------------------:|---------:|
            |     1 |     1 | 0.6931471805599453 |                0.6 |               -0.95 | 1.3977796695918903e-10 |      1.0 |
            |     2 |     1 | 0.5759394198788437 | 0.6875646998228404 | -0.9062176500885798 | 1.4465774436013517e-10 |      1.0 |

            """)
    }

    @Test func theStepReportHasTheLessonsNumbers() {
        let lines = cli.run(["report", "1", "--steps", "--csv"]).out.split(separator: "\r\n")
        #expect(lines.count == 3)
        #expect(lines[1] == "1,1,1,0.6931471805599453,0.5,-1.0,-1.0000000000842668,8.426681574746908e-11,"
            + "8.426681574036819e-11,1,-1.0,-0.5,-0.500000000069889,6.988898348936345e-11,1.3977796695918903e-10,1")
    }

    @Test func outputGoesToAFileWhenAsked() throws {
        let path = cli.directory.file("report.csv")
        let result = cli.run(["report", "1", "--csv", "--output", path])
        #expect(result.out.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == cli.run(["report", "1", "--csv"]).out)
        #expect(!FileManager.default.fileExists(atPath: path + ".gradlog-partial"))
    }

    @Test func anUnwritableOutputFileIsReportedAndNothingIsLeftBehind() {
        let result = cli.run(["report", "1", "--output", cli.directory.file("missing/dir/out.csv")])
        #expect(result.code == 1)
        #expect(result.err.contains("--output"))
    }

    @Test func textWithDelimitersIsQuotedInCSVAndEscapedInTables() {
        cli.run(["run", "--epochs", "1", "--name", "a,\"b\"\nc|d"])
        let csv = cli.run(["runs", "--csv"]).out
        #expect(csv.contains("2,\"a,\"\"b\"\"\nc|d\",finished"))
        #expect(cli.run(["runs", "--markdown"]).out.contains(#"a,"b"\nc\|d"#))
        #expect(cli.run(["runs"]).out.contains("a,\"b\"\\nc|d"))
        #expect(cli.run(["runs", "--json"]).out.contains(#""name": "a,\"b\"\nc|d""#))
    }

    @Test func theRunSummaryIsOneRowInMachineFormats() {
        let out = cli.run(["run", "--epochs", "1", "--loss", "textbook", "--csv"]).out
        #expect(out.hasPrefix("run,name,status,epochs,steps,final_loss,w,b,accuracy,worst_abs_error,worst_rel_error,failed_checks,gradient_check\r\n"))
        #expect(out.contains(",finished,1,1,0.6931471805599453,0.6,-0.95,1.0,"))
    }
}
