import Testing
@testable import Training
import Wording

@Suite struct CSVDatasetTests {
    func parse(_ text: String) throws(CSVError) -> Dataset {
        try CSVDataset.parse(text, source: "data.csv")
    }

    func error(_ text: String) -> CSVError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsInputsAndTheLastColumnAsTheLabel() throws {
        let data = try parse("hours,score,passed\n1,2.5,0\r\n3,-4e-1,1\n\n")
        #expect(data.featureNames == ["hours", "score"])
        #expect(data.inputs == [1, 2.5, 3, -0.4])
        #expect(data.labels == [0, 1])
        #expect(data.name == "data.csv")
    }

    @Test func aColumnNamedYIsTheLabelWhereverItStands() throws {
        let data = try parse("y,a,b\n1,2,3\n")
        #expect(data.featureNames == ["a", "b"])
        #expect(data.inputs == [2, 3])
        #expect(data.labels == [1])
    }

    @Test func quotedFieldsFollowRFC4180() throws {
        let data = try parse("\"x, first\",\"y\"\n\"1.5\",\"1\"\n")
        #expect(data.featureNames == ["x, first"])
        #expect(data.inputs == [1.5])
    }

    @Test func aNonNumberIsRefusedWithItsLineAndColumn() {
        let problem = error("x1,x2,y\n1,2,0\n1,abc,1\n")
        #expect(problem?.line == 3)
        #expect(problem?.column == 2)
        #expect(problem?.description == "data.csv:3:2 (column 'x2'): 'abc' is not a finite number")
    }

    @Test func aRaggedRowIsRefused() {
        let problem = error("x,y\n1,0\n1,0,1\n")
        #expect(problem?.description == "data.csv:3: this row has 3 fields but the header has 2")
    }

    @Test func aLabelOtherThanZeroOrOneIsRefused() {
        #expect(error("x,y\n1,2\n")?.description == "data.csv:2:2 (column 'y'): the label '2' is not 0 or 1")
    }

    @Test func emptyHeaderOnlyAndBinaryFilesAreRefused() {
        #expect(error("")?.problem.message.contains("empty") == true)
        #expect(error("\n\n")?.problem.message.contains("empty") == true)
        #expect(error("x,y\n")?.problem.message.contains("no data rows") == true)
        #expect(error("y\n1\n")?.problem.message.contains("header has 1 column") == true)
        #expect(error("x,y\n1\0,0\n")?.problem.message.contains("not text") == true)
        #expect(error("x,y\n\"1,0\n")?.problem.message.contains("not closed") == true)
        #expect(error("x,y\ninf,0\n")?.problem.message.contains("not a finite number") == true)
        #expect(error("x,y\n,0\n")?.problem == .notFinite(""))
        #expect(error("x,y\n,0\n")?.problem.message == "an empty field is not a finite number")
    }
}
