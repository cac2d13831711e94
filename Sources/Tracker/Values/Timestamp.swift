#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials

/// Wall-clock and monotonic time, kept out of the training core so that numbers never depend on it.
public enum Timestamp {
    /// The stored form of a time (`runs.started_at` and the others): ISO 8601 in UTC with milliseconds.
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The current UTC time in ISO 8601 with milliseconds, e.g. `2026-11-29T03:23:53.123Z`.
    public static func now() -> String {
        text(Date.now)
    }

    /// `date` in the stored form, e.g. `2026-11-29T03:23:53.123Z`.
    public static func text(_ date: Date) -> String {
        style.format(date)
    }

    /// Seconds since 1970-01-01 UTC, with fractions.
    public static func epochSeconds() -> Double {
        Date.now.timeIntervalSince1970
    }

    /// Seconds on a clock that never goes backwards, for commit cadence and durations; only
    /// differences mean anything. Asked after every logged step, so it is one system call.
    public static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}
