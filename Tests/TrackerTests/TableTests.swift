import SQLiteDB
import Testing
@testable import Tracker

@Suite struct TableTests {
    let table = Table(columns: ["status", "id", "name"],
                      rows: [[.text("running"), .integer(7), .text("a")], [.text("finished"), .null, .text("b")]])

    @Test func aValueIsFoundByItsColumnsNameWhereverTheColumnStands() {
        #expect(table.value("id", in: table.rows[0]) == .integer(7))
        #expect(table.value("status", in: table.rows[1]) == .text("finished"))
        #expect(table.value("user", in: table.rows[0]) == nil)
        #expect(table.value("name", in: [.text("short row")]) == nil)
        #expect(Table.value("id", in: [.text("running"), .integer(7)], columns: ["status", "id"]) == .integer(7))
    }

    @Test func theIdsAreThoseOfTheRowsThatHaveOneInOrder() {
        #expect(table.ids == [7])
        #expect(Table(columns: ["name"], rows: [[.text("a")]]).ids == [])
    }
}
