import Testing
import TestSupport
import Tracker
@testable import Output

/// A text cell as JSON: the quick way for text that needs no escape gives what `JSONEncoder` gives,
/// for every string of the hostile corpus and for plain ones.
struct JSONCellTests {
    @Test("Every text cell's JSON is JSONEncoder's, whether it needs an escape or not")
    func textCellsAsJSONEncoderWritesThem() {
        let plain = ["", "0.5", "-1.0e-05", "nan", "inf", "a/b c", "~!@#$%^&*()_+{}|:<>?`-=[];',.", "x" + String(repeating: "y", count: 300)]
        for text in plain + HostileStrings.texts.map(\.text) + ["\u{7F}", "é", "\"", "\\", "\u{1F}"] {
            #expect(JSONRowWriter.json(.text(text)) == JSONValue.string(text).text, "\(text.debugDescription)")
        }
    }
}
