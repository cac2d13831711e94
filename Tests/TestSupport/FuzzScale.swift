import Foundation

/// How many trials a seeded fuzz test makes: its default, times `GRADLOG_FUZZ_SCALE` when that is set.
///
/// The default run is short and still draws every kind of case at least once; a longer run
/// (`GRADLOG_FUZZ_SCALE=10 swift test --filter Fuzz`) draws the same first trials from the same
/// seeds and then goes on, so it finds all that the short run finds and more.
public enum FuzzScale {
    /// The multiplier from `GRADLOG_FUZZ_SCALE` (a whole number from 1), else 1.
    public static let factor: Int = {
        guard let text = ProcessInfo.processInfo.environment["GRADLOG_FUZZ_SCALE"], !text.isEmpty else { return 1 }
        guard let value = Int(text), value >= 1 else {
            fatalError("GRADLOG_FUZZ_SCALE=\(text): expected a whole number from 1")
        }
        return value
    }()

    /// The number of trials for a test whose default is `trials`.
    public static func trials(_ trials: Int) -> Int { trials * factor }
}
