import Testing
@testable import GradlogCLI

/// Exact output of compare and diff for two small lesson runs (textbook loss; lr 0.1 for 2 epochs,
/// lr 0.2 for 3), in every format.
@Suite struct CompareOutputTests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        precondition(cli.run(["run", "--loss", "textbook", "--epochs", "2"]).code == 0)
        precondition(cli.run(["run", "--loss", "textbook", "--epochs", "3", "--lr", "0.2"]).code == 0)
    }

    @Test func compareInTable() {
        #expect(cli.run(["compare", "1", "2"]).out == """
            field            epoch  run 1                   run 2
            ---------------  -----  ----------------------  ----------------------
            lr                      0.1                     0.2
            epochs                  2                       3
            mean_loss            1  0.6931471805599453      0.6931471805599453
            mean_loss            2  0.5759394198788437      0.4740769841801068
            mean_loss            3                          0.34769774816994703
            status                  finished                finished
            steps                   2                       3
            final_loss              0.5759394198788437      0.34769774816994703
            w                       0.6875646998228404      0.9684913362598931
            b                       -0.9062176500885798     -0.7657543318700535
            accuracy                1.0                     1.0
            worst_abs_error         8.426681574746908e-11   8.426681574746908e-11
            worst_rel_error         1.4465774436013517e-10  1.3977796695918903e-10
            failed_checks           0                       0
            gradient_check          passed                  passed

            """)
    }

    @Test func compareInCsv() {
        #expect(cli.run(["compare", "1", "2", "--csv"]).out == """
            field,epoch,run 1,run 2\r
            lr,,0.1,0.2\r
            epochs,,2,3\r
            mean_loss,1,0.6931471805599453,0.6931471805599453\r
            mean_loss,2,0.5759394198788437,0.4740769841801068\r
            mean_loss,3,,0.34769774816994703\r
            status,,finished,finished\r
            steps,,2,3\r
            final_loss,,0.5759394198788437,0.34769774816994703\r
            w,,0.6875646998228404,0.9684913362598931\r
            b,,-0.9062176500885798,-0.7657543318700535\r
            accuracy,,1.0,1.0\r
            worst_abs_error,,8.426681574746908e-11,8.426681574746908e-11\r
            worst_rel_error,,1.4465774436013517e-10,1.3977796695918903e-10\r
            failed_checks,,0,0\r
            gradient_check,,passed,passed\r

            """)
    }

    @Test func compareInTsv() {
        #expect(cli.run(["compare", "1", "2", "--tsv"]).out == """
            field\tepoch\trun 1\trun 2
            lr\t\t0.1\t0.2
            epochs\t\t2\t3
            mean_loss\t1\t0.6931471805599453\t0.6931471805599453
            mean_loss\t2\t0.5759394198788437\t0.4740769841801068
            mean_loss\t3\t\t0.34769774816994703
            status\t\tfinished\tfinished
            steps\t\t2\t3
            final_loss\t\t0.5759394198788437\t0.34769774816994703
            w\t\t0.6875646998228404\t0.9684913362598931
            b\t\t-0.9062176500885798\t-0.7657543318700535
            accuracy\t\t1.0\t1.0
            worst_abs_error\t\t8.426681574746908e-11\t8.426681574746908e-11
            worst_rel_error\t\t1.4465774436013517e-10\t1.3977796695918903e-10
            failed_checks\t\t0\t0
            gradient_check\t\tpassed\tpassed

            """)
    }

    @Test func compareInJson() {
        #expect(cli.run(["compare", "1", "2", "--json"]).out == """
            [
            {"field": "lr", "epoch": null, "run 1": 0.1, "run 2": 0.2},
            {"field": "epochs", "epoch": null, "run 1": 2, "run 2": 3},
            {"field": "mean_loss", "epoch": 1, "run 1": 0.6931471805599453, "run 2": 0.6931471805599453},
            {"field": "mean_loss", "epoch": 2, "run 1": 0.5759394198788437, "run 2": 0.4740769841801068},
            {"field": "mean_loss", "epoch": 3, "run 1": null, "run 2": 0.34769774816994703},
            {"field": "status", "epoch": null, "run 1": "finished", "run 2": "finished"},
            {"field": "steps", "epoch": null, "run 1": 2, "run 2": 3},
            {"field": "final_loss", "epoch": null, "run 1": 0.5759394198788437, "run 2": 0.34769774816994703},
            {"field": "w", "epoch": null, "run 1": 0.6875646998228404, "run 2": 0.9684913362598931},
            {"field": "b", "epoch": null, "run 1": -0.9062176500885798, "run 2": -0.7657543318700535},
            {"field": "accuracy", "epoch": null, "run 1": 1.0, "run 2": 1.0},
            {"field": "worst_abs_error", "epoch": null, "run 1": 8.426681574746908e-11, "run 2": 8.426681574746908e-11},
            {"field": "worst_rel_error", "epoch": null, "run 1": 1.4465774436013517e-10, "run 2": 1.3977796695918903e-10},
            {"field": "failed_checks", "epoch": null, "run 1": 0, "run 2": 0},
            {"field": "gradient_check", "epoch": null, "run 1": "passed", "run 2": "passed"}
            ]

            """)
    }

    @Test func compareInMarkdown() {
        #expect(cli.run(["compare", "1", "2", "--markdown"]).out == """
            | field           | epoch | run 1                  | run 2                  |
            |-----------------|------:|------------------------|------------------------|
            | lr              |       | 0.1                    | 0.2                    |
            | epochs          |       | 2                      | 3                      |
            | mean_loss       |     1 | 0.6931471805599453     | 0.6931471805599453     |
            | mean_loss       |     2 | 0.5759394198788437     | 0.4740769841801068     |
            | mean_loss       |     3 |                        | 0.34769774816994703    |
            | status          |       | finished               | finished               |
            | steps           |       | 2                      | 3                      |
            | final_loss      |       | 0.5759394198788437     | 0.34769774816994703    |
            | w               |       | 0.6875646998228404     | 0.9684913362598931     |
            | b               |       | -0.9062176500885798    | -0.7657543318700535    |
            | accuracy        |       | 1.0                    | 1.0                    |
            | worst_abs_error |       | 8.426681574746908e-11  | 8.426681574746908e-11  |
            | worst_rel_error |       | 1.4465774436013517e-10 | 1.3977796695918903e-10 |
            | failed_checks   |       | 0                      | 0                      |
            | gradient_check  |       | passed                 | passed                 |

            """)
    }

    @Test func diffInCSV() {
        #expect(cli.run(["diff", "1", "2", "--csv"]).out == """
            what,name,a,b,difference\r
            config,lr,0.1,0.2,\r
            config,epochs,2,3,\r
            steps,count,2,3,\r
            first difference,step 2 loss,0.5759394198788437,0.4740769841801068,0.10186243569873688\r
            largest difference,loss,0.5759394198788437,0.4740769841801068,0.10186243569873688\r
            largest difference,w.value,0.6,0.7,0.09999999999999998\r
            largest difference,w.analytic,-0.8756469982284039,-0.7550813375962908,0.12056566063211305\r
            largest difference,w.numeric,-0.8756469982995618,-0.7550813376500098,0.12056566064955199\r
            largest difference,w.passed,1,1,0.0\r
            largest difference,b.value,-0.95,-0.9,0.04999999999999993\r
            largest difference,b.analytic,-0.43782349911420193,-0.3775406687981454,0.060282830316056524\r
            largest difference,b.numeric,-0.4378234991775365,-0.37754066881112713,0.06028283036640936\r
            largest difference,b.passed,1,1,0.0\r

            """)
    }

    @Test func diffInTable() {
        #expect(cli.run(["diff", "1", "2"]).out == """
            what                name         a                     b                     difference
            ------------------  -----------  --------------------  --------------------  --------------------
            config              lr                            0.1                   0.2
            config              epochs                          2                     3
            steps               count                           2                     3
            first difference    step 2 loss    0.5759394198788437    0.4740769841801068   0.10186243569873688
            largest difference  loss           0.5759394198788437    0.4740769841801068   0.10186243569873688
            largest difference  w.value                       0.6                   0.7   0.09999999999999998
            largest difference  w.analytic    -0.8756469982284039   -0.7550813375962908   0.12056566063211305
            largest difference  w.numeric     -0.8756469982995618   -0.7550813376500098   0.12056566064955199
            largest difference  w.passed                        1                     1                   0.0
            largest difference  b.value                     -0.95                  -0.9   0.04999999999999993
            largest difference  b.analytic   -0.43782349911420193   -0.3775406687981454  0.060282830316056524
            largest difference  b.numeric     -0.4378234991775365  -0.37754066881112713   0.06028283036640936
            largest difference  b.passed                        1                     1                   0.0

            """)
    }
}
