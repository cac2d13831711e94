import Testing
@testable import Training
import Wording

/// Data files read byte by byte in chunks, and text from them shown safely in messages.
@Suite struct HostileInputTests {
    @Test func readingInChunksOfAnySizeGivesTheSameDataset() throws {
        let text = "a,\"b,\"\"q\"\"\",y\r\n1, 2 ,1\r\n\r\n\"3\",4,0\n5,\"6\",1\r7,8,0"
        let whole = try CSVDataset.parse(text, source: "d.csv")
        #expect(whole.featureNames == ["a", "b,\"q\""])
        #expect(whole.inputs == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(whole.labels == [1, 0, 1, 0])
        let bytes = Array(text.utf8)
        for size in [1, 2, 3, 7] {
            var parser = CSVDataset(source: "d.csv")
            for start in stride(from: 0, to: bytes.count, by: size) {
                try bytes[start..<min(start + size, bytes.count)].withUnsafeBufferPointer { try parser.read($0) }
            }
            #expect(try parser.finish() == whole, "chunks of \(size)")
        }
    }

    @Test func lineNumbersCountLineBreaksInsideQuotes() {
        let error = #expect(throws: CSVError.self) { try CSVDataset.parse("\"a\r\nb\",y\n1,0\nx,1\n", source: "q.csv") }
        #expect(error?.description == "q.csv:4:1 (column 'a\\r\\nb'): 'x' is not a finite number")
    }

    @Test func aHugeBadCellIsQuotedShortAndControlCharactersEscaped() {
        let cell = String(repeating: "z", count: 60_000)
        let error = #expect(throws: CSVError.self) { try CSVDataset.parse("a,y\n\(cell),1\n", source: "big.csv") }
        #expect((error?.description.count ?? .max) < 200)
        #expect(error?.description.hasSuffix("… (60000 bytes in all)' is not a finite number") == true)
        let escape = #expect(throws: CSVError.self) { try CSVDataset.parse("a\u{1B}[2J,y\n1,7\n", source: "e.csv") }
        #expect(escape?.description == "e.csv:2:2 (column 'y'): the label '7' is not 0 or 1")
        let header = #expect(throws: CSVError.self) { try CSVDataset.parse("a\u{1B}[2J,y\nq,1\n", source: "e.csv") }
        #expect(header?.description == "e.csv:2:1 (column 'a\\e[2J'): 'q' is not a finite number")
    }

    @Test func controlCharactersAreEscapedForTheTerminal() {
        #expect(MessageText.escapingControls("a\u{1B}b\u{07}c\u{9B}d\u{08}\u{7F}\n\t\r\0\u{2028}é✓\\") == "a\\eb\\x07c\\u009bd\\x08\\x7f\\n\\t\\r\\x00\\u2028é✓\\")
        // Bidi controls and noncharacters too: they would reorder the text or show as nothing.
        #expect(MessageText.escapingControls("txt\u{202E}exe.\u{2066}\u{200F}\u{061C}\u{FFFF}\u{1FFFE}") == "txt\\u202eexe.\\u2066\\u200f\\u061c\\uffff\\u1fffe")
        #expect(MessageText.quoted("plain") == "'plain'")
        // Cut short between escapes, never inside one.
        #expect(MessageText.shown("ab\u{2028}cd", limit: 4) == "ab… (7 bytes in all)")
    }

    @Test func overlongRowsFieldsAndHeadersAreRefusedBeforeTheyFillMemory() {
        func problem(_ text: String) -> String? {
            do {
                _ = try CSVDataset.parse(text, source: "m.csv")
                return nil
            } catch {
                return error.description
            }
        }
        #expect(problem("x,y\n" + String(repeating: ",", count: 100_000) + "\n") == "m.csv:2: this row has 100001 fields but the header has 2")
        #expect(problem(String(repeating: "a,", count: 100_000) + "y\n") == "m.csv:1: the header has 100000 input columns; gradlog takes at most 300")
        #expect(problem("x,y\n" + String(repeating: "1", count: 70_000) + ",1\n") == "m.csv:2:1: a field is longer than 65536 bytes; expected a number or a column name")
        #expect(problem("x,y\n\"" + String(repeating: "1", count: 70_000) + "\",1\n")?.hasPrefix("m.csv:2:1: a field is longer") == true)
    }

    @Test func onlyDecimalNumbersAndDistinctNamedColumnsAreAccepted() throws {
        for cell in ["0x10", "0x1p3", "nan", "infinity", "1_000", "½"] {
            let error = #expect(throws: CSVError.self) { try CSVDataset.parse("x,y\n\(cell),1\n", source: "h.csv") }
            #expect(error?.problem.message.hasSuffix("is not a finite number") == true, "\(cell)")
        }
        #expect(try CSVDataset.parse("x,y\n-1.5e-3,1\n+2,0\n.5,1\n", source: "d.csv").inputs == [-0.0015, 2, 0.5])
        let duplicate = #expect(throws: CSVError.self) { try CSVDataset.parse("a,b,a,y\n1,2,3,1\n", source: "h.csv") }
        #expect(duplicate?.description == "h.csv:1:3: columns 1 and 3 are both named 'a'")
        let unnamed = #expect(throws: CSVError.self) { try CSVDataset.parse("a,,y\n1,2,1\n", source: "h.csv") }
        #expect(unnamed?.description == "h.csv:1:2: this header column has no name")
    }

    @Test func aByteOrderMarkIsReadLikeNoneInChunksOfAnySize() throws {
        let plain = "y,a\n1,0.5\n0,-2\n"
        let expected = try CSVDataset.parse(plain, source: "b.csv")
        #expect(expected.featureNames == ["a"])
        let bytes = [0xEF, 0xBB, 0xBF] + Array(plain.utf8)
        for size in [1, 2, 3, 5, bytes.count] {
            var parser = CSVDataset(source: "b.csv")
            for start in stride(from: 0, to: bytes.count, by: size) {
                try bytes[start..<min(start + size, bytes.count)].withUnsafeBufferPointer { try parser.read($0) }
            }
            #expect(try parser.finish() == expected, "chunks of \(size)")
        }
        let onlyMark = #expect(throws: CSVError.self) { try CSVDataset.parse("\u{FEFF}", source: "b.csv") }
        #expect(onlyMark?.problem.message.contains("empty") == true)
    }

    @Test func theLabelColumnCanBeNamed() throws {
        let data = try CSVDataset.parse("a,passed,b\n1,1,2\n3,0,4\n", source: "l.csv", label: "passed")
        #expect(data.featureNames == ["a", "b"])
        #expect(data.inputs == [1, 2, 3, 4])
        #expect(data.labels == [1, 0])
        let missing = #expect(throws: CSVError.self) { try CSVDataset.parse("a,b\n1,1\n", source: "l.csv", label: "y") }
        #expect(missing?.description == "l.csv:1: --label 'y': the header has no such column; it has a, b")
    }
}
