import SQLiteDB
import Testing
@testable import Tracker
@testable import Training

/// Run uuids as `runs.uuid` stores them: FoundationEssentials' random UUIDs, in lowercase.
@Suite struct RandomUUIDTests {
    /// A version-4 (random) UUID of RFC 9562, lowercase: `3f2b8c1e-4a5d-4e6f-9a7b-0c1d2e3f4a5b`.
    static var lowercaseVersion4: Regex<Substring> { /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/ }

    @Test func everyNewRunHasItsOwnLowercaseVersion4UUID() throws {
        let store = try Store(path: ":memory:")
        for _ in 0..<3 { _ = try RunExecutor.execute(RunRequest(dataset: .lesson, config: TrainingConfig()), in: store) }
        let uuids = try store.db.rows("SELECT uuid FROM runs ORDER BY id").map { $0[0].stringValue ?? "" }
        for uuid in uuids { #expect(uuid.wholeMatch(of: Self.lowercaseVersion4) != nil, "\(uuid)") }
        #expect(Set(uuids).count == 3)
    }

    @Test func everyDigitButTheVersionAndVariantIsRandom() {
        let uuids = (0..<500).map { _ in Array(RandomUUID.make()) }
        #expect(Set(uuids).count == uuids.count)
        #expect(uuids.allSatisfy { String($0).wholeMatch(of: Self.lowercaseVersion4) != nil })
        // Position 14 is the version, 19 holds the variant bits; the dashes are fixed.
        for position in 0..<36 where ![8, 13, 14, 18, 23].contains(position) {
            let digits = Set(uuids.map { $0[position] })
            #expect(digits.count >= (position == 19 ? 4 : 12), "position \(position): \(digits.sorted())")
        }
    }
}
