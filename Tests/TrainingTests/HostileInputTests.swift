import Testing
@testable import Training

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
        let cell = String(repeating: "z", count: 1_000_000)
        let error = #expect(throws: CSVError.self) { try CSVDataset.parse("a,y\n\(cell),1\n", source: "big.csv") }
        #expect((error?.description.count ?? .max) < 200)
        #expect(error?.description.hasSuffix("… (1000000 bytes in all)' is not a finite number") == true)
        let escape = #expect(throws: CSVError.self) { try CSVDataset.parse("a\u{1B}[2J,y\n1,7\n", source: "e.csv") }
        #expect(escape?.description == "e.csv:2:2 (column 'y'): the label '7' is not 0 or 1")
        let header = #expect(throws: CSVError.self) { try CSVDataset.parse("a\u{1B}[2J,y\nq,1\n", source: "e.csv") }
        #expect(header?.description == "e.csv:2:1 (column 'a\\e[2J'): 'q' is not a finite number")
    }

    @Test func controlCharactersAreEscapedForTheTerminal() {
        #expect(MessageText.escapingControls("a\u{1B}b\u{07}c\u{9B}d\u{08}\u{7F}\n\t\r\0\u{2028}é✓\\") == "a\\eb\\x07c\\u009bd\\x08\\x7f\\n\\t\\r\\x00\\u2028é✓\\")
        #expect(MessageText.quoted("plain") == "'plain'")
    }
}
