import Testing
@testable import Tracker

/// `runs --since`: strict ISO 8601, offsets converted to UTC, and relative forms.
@Suite struct TimeSpecTests {
    /// 2026-11-29T15:30:45.250Z.
    let now = Double(TimeSpec.daysSince1970(year: 2026, month: 11, day: 29)) * 86_400 + 15 * 3_600 + 30 * 60 + 45.25

    @Test func datesAndTimesBecomeUTCTimestamps() {
        let cases: [(String, String)] = [
            ("2026-11-29", "2026-11-29T00:00:00.000Z"),
            ("2026-11-29T10:00", "2026-11-29T10:00:00.000Z"),
            ("2026-11-29 10:00", "2026-11-29T10:00:00.000Z"),
            ("2026-11-29T10:00:30Z", "2026-11-29T10:00:30.000Z"),
            ("2026-11-29T10:00:30.5Z", "2026-11-29T10:00:30.500Z"),
            ("2026-11-29T01:30+02:00", "2026-11-28T23:30:00.000Z"),
            ("2026-12-31T23:00-01:30", "2027-01-01T00:30:00.000Z"),
            ("2024-02-29", "2024-02-29T00:00:00.000Z"),
            ("1970-01-01", "1970-01-01T00:00:00.000Z"),
            ("today", "2026-11-29T00:00:00.000Z"),
            ("yesterday", "2026-11-28T00:00:00.000Z"),
            ("-2h", "2026-11-29T13:30:45.250Z"),
            ("-7d", "2026-11-22T15:30:45.250Z"),
            ("-30m", "2026-11-29T15:00:45.250Z"),
        ]
        for (text, expected) in cases {
            #expect(TimeSpec.utcTimestamp(text, now: now) == expected, "\(text)")
        }
    }

    @Test func anythingElseIsRefused() {
        for text in ["2026-11-29Tgarbage", "2026-13-45", "26-11-29", "2026-11-31", "2025-02-29", "2026-11-29T24:00",
                     "2026-11-29T10", "2026-11-29T10:00Zx", "2026-11-29T10:00+2", "tomorrow", "-2", "-h", "-2w", "--2h",
                     "-+2h", "", " 2026-11-29", "2026/11/29"] {
            #expect(TimeSpec.utcTimestamp(text, now: now) == nil, "\(text)")
        }
    }
}
