/// A point in time as `runs --since` takes it, turned into the UTC form `started_at` is stored in
/// (`2026-11-29T10:00:00.000Z`), so that comparing the two as text compares the times.
///
/// Accepted: an ISO 8601 date (`2026-11-29`, midnight UTC) or date and time (`2026-11-29T10:00`,
/// seconds and fractions optional, `T` or a space between), with an optional `Z` or `±hh:mm`
/// offset (converted to UTC; none means UTC); `today` and `yesterday` (midnight UTC); and a time
/// before now, `-30m`, `-2h`, `-7d` (or `-45s`).
public enum TimeSpec {
    /// The forms accepted, for messages.
    public static let forms = "2026-11-29, 2026-11-29T10:00, 2026-11-29T10:00:30Z, 2026-11-29T12:00+02:00, "
        + "today, yesterday, -30m, -2h, -7d"

    /// The UTC timestamp `text` stands for, `now` being seconds since 1970 (UTC); nil when `text`
    /// is not one of the accepted forms or names no real date.
    public static func utcTimestamp(_ text: String, now: Double) -> String? {
        switch text {
        case "today": return format((now / 86_400).rounded(.down) * 86_400)
        case "yesterday": return format((now / 86_400).rounded(.down) * 86_400 - 86_400)
        default: break
        }
        let seconds = text.hasPrefix("-") ? relative(text.dropFirst(), now: now) : absolute(Array(text.utf8))
        // Years 1 to 9999 only: a timestamp outside them has no four-digit year to compare with.
        guard let seconds, (earliest...latest).contains(seconds) else { return nil }
        return format(seconds)
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z, in seconds since 1970.
    static let earliest = Double(daysSince1970(year: 1, month: 1, day: 1)) * 86_400
    static let latest = Double(daysSince1970(year: 10_000, month: 1, day: 1)) * 86_400 - 0.001

    private static func relative(_ text: Substring, now: Double) -> Double? {
        guard let unit = text.last, let amount = Int(text.dropLast()), amount >= 0, !text.dropLast().contains("+") else {
            return nil
        }
        let seconds: Double? = switch unit {
        case "s": 1
        case "m": 60
        case "h": 3_600
        case "d": 86_400
        default: nil
        }
        return seconds.map { now - Double(amount) * $0 }
    }

    /// Seconds since 1970 for `YYYY-MM-DD[(T| )hh:mm[:ss[.fff]]][Z|±hh:mm]`.
    private static func absolute(_ bytes: [UInt8]) -> Double? {
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(4), reader.take("-"), let month = reader.number(2), reader.take("-"),
              let day = reader.number(2), (1...12).contains(month), (1...days(inMonth: month, year: year)).contains(day)
        else { return nil }
        var seconds = Double(daysSince1970(year: year, month: month, day: day)) * 86_400
        if reader.atEnd { return seconds }
        guard reader.take("T") || reader.take(" "), let hour = reader.number(2), reader.take(":"),
              let minute = reader.number(2), hour < 24, minute < 60
        else { return nil }
        seconds += Double(hour * 3_600 + minute * 60)
        if reader.take(":") {
            guard let second = reader.number(2), second < 60 else { return nil }
            seconds += Double(second)
            if reader.take("."), let fraction = reader.fraction() { seconds += fraction }
        }
        if reader.take("Z") { return reader.atEnd ? seconds : nil }
        for (sign, factor) in [("+", -1.0), ("-", 1.0)] where reader.take(Character(sign)) {
            // ±hh:mm, ±hhmm or ±hh, as ISO 8601 allows.
            guard let hours = reader.number(2), hours < 24 else { return nil }
            var minutes = 0
            if !reader.atEnd {
                _ = reader.take(":")
                guard let given = reader.number(2), given < 60 else { return nil }
                minutes = given
            }
            guard reader.atEnd else { return nil }
            return seconds + factor * Double(hours * 3_600 + minutes * 60)
        }
        return reader.atEnd ? seconds : nil
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Seconds since 1970 as `YYYY-MM-DDThh:mm:ss.fffZ`.
    static func format(_ seconds: Double) -> String {
        let millis = Int((seconds * 1_000).rounded(.down))
        let days = Int((Double(millis) / 86_400_000).rounded(.down))
        var rest = millis - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        let hour = rest / 3_600_000
        rest -= hour * 3_600_000
        let minute = rest / 60_000
        rest -= minute * 60_000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(rest / 1_000, 2)).\(pad(rest % 1_000, 3))Z"
    }

    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Reads fixed-width numbers and single characters from ASCII bytes.
private struct DigitReader {
    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position == bytes.count }

    mutating func number(_ width: Int) -> Int? {
        guard position + width <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[position..<(position + width)] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        position += width
        return value
    }

    mutating func fraction() -> Double? {
        var digits = 0
        var value = 0.0
        var scale = 0.1
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            value += Double(bytes[position] - UInt8(ascii: "0")) * scale
            scale /= 10
            digits += 1
            position += 1
        }
        return digits > 0 ? value : nil
    }

    mutating func take(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, position < bytes.count, bytes[position] == ascii else { return false }
        position += 1
        return true
    }
}
