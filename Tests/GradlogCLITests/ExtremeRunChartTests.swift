import Testing
@testable import GradlogCLI

/// The runs that made charts trap (exit 132) on finite values: each is charted and paged.
@Suite struct ExtremeRunChartTests {
    static func lines(_ losses: [String], param: String = "w") -> String {
        losses.enumerated().map { "{\"step\":\($0.offset + 1),\"loss\":\($0.element),\"params\":{\"\(param)\":1}}\n" }
            .joined() + "{\"end\":\"finished\"}\n"
    }

    @Test func runsWithHugeTinyAndOddlyNamedValuesAreChartedAndPaged() throws {
        let cli = try CLIHarness()
        cli.run(["run", "--dataset", "and", "--lr", "1e308", "--epochs", "3"])
        cli.run(["run", "--w=1.7e308", "--b=-1.7e308", "--epochs", "3"])
        for input in [Self.lines(["1e308", "-1e308"]), Self.lines(["5e-324", "1e-323"]), Self.lines(["-5e-324", "5e-324"]),
                      Self.lines(["1", "2"], param: "l0.w"), Self.lines(["1", "2"], param: "l999999999.n1.b")] {
            #expect(cli.run(["log"], input: input).code == 0)
        }
        #expect(cli.run(["runs", "--tsv"]).out.split(separator: "\n").count == 8)
        for id in 1...7 {
            for arguments in [["plot", "\(id)", "--log-y"], ["plot", "\(id)"], ["plot", "\(id)", "--chart", "params"],
                              ["plot", "\(id)", "--chart", "params", "--steps", "--log-y"], ["report", "\(id)", "--html"]] {
                let result = cli.run(arguments)
                #expect(result.code == 0 && result.out.contains("</svg>"), "\(arguments): \(result.err)")
            }
        }
    }
}
