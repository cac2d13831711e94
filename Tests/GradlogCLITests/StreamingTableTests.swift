import Testing
import SQLiteDB
@testable import GradlogCLI
@testable import Output

/// A long aligned table is written as it comes after its first rows, so memory does not grow
/// with the run, and its numbers stay aligned.
@Suite struct StreamingTableTests {
    @Test func aLongTableStreamsAfterItsFirstRowsAndStaysAligned() {
        var writer = AlignedWriter(markdown: false)
        var emitted: [String] = []
        writer.begin(columns: ["step", "loss", "name"], emit: { emitted.append($0) })
        for step in 1...AlignedWriter.measuredRows {
            writer.write([.integer(Int64(step)), .real(0.5), .text("a")], emit: { emitted.append($0) })
        }
        // The header, the ruler and the measured rows are out before the table ends.
        #expect(emitted.count == 2 + AlignedWriter.measuredRows)
        writer.write([.integer(123_456_789), .real(-1.2345678901234567e-300), .text("longer text")], emit: { emitted.append($0) })
        #expect(emitted.count == 3 + AlignedWriter.measuredRows)
        writer.finish(emit: { emitted.append($0) })
        #expect(emitted.count == 3 + AlignedWriter.measuredRows)
        let first = emitted[2], last = emitted[emitted.count - 1]
        // Numbers end in the same column on every row; the longer text spills over, whole.
        #expect(first.distance(from: first.startIndex, to: first.range(of: "0.5")!.upperBound)
            == last.distance(from: last.startIndex, to: last.range(of: "e-300")!.upperBound))
        #expect(last.hasSuffix("longer text\n"))
    }

    @Test func aShortTableIsMeasuredWhole() {
        var writer = AlignedWriter(markdown: false)
        var text = ""
        writer.begin(columns: ["n"], emit: { text += $0 })
        for value in [1, 22, 333] { writer.write([.integer(Int64(value))], emit: { text += $0 }) }
        #expect(text.isEmpty)
        writer.finish(emit: { text += $0 })
        #expect(text == "n\n---\n  1\n 22\n333\n")
    }
}
