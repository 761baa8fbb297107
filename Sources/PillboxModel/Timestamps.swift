import Foundation

/// Parsing and formatting of the timestamps and dates the API exchanges.
package enum Timestamps {
    /// Parses an RFC 3339 date-time that carries an offset (`Z` or `±hh:mm`), with or
    /// without fractional seconds. Returns nil for anything else.
    ///
    /// The usual form (`YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|±hh:mm)`, a year from 1900, an offset
    /// within ±18:00) is read by arithmetic: every intake parses its date-time twice, and
    /// Foundation's parser cost about 10 µs a call, 3% of an intake's CPU (docs/performance.md).
    /// It gives the very `Date` Foundation gives, to the last bit (`TimestampsParseEquivalenceTests`).
    /// Anything else goes through Foundation as before, which decides what it accepts.
    package static func parseRFC3339(_ text: String) -> Date? {
        if let date = parseUsualRFC3339(text) { return date }
        return parseRFC3339ByFoundation(text)
    }

    /// The Foundation route of `parseRFC3339` (every form it ever accepted, nothing more).
    private static func parseRFC3339ByFoundation(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        // The shortest valid form is 2026-01-02T03:04:05Z (20 bytes); 'T' or 't' separates.
        guard scalars.count >= 20, scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: "t") else {
            return nil
        }
        let hasOffset = text.hasSuffix("Z") || text.hasSuffix("z")
            || (scalars.count >= 25 && (scalars[scalars.count - 6] == UInt8(ascii: "+") || scalars[scalars.count - 6] == UInt8(ascii: "-"))
                && scalars[scalars.count - 3] == UInt8(ascii: ":"))
        guard hasOffset else { return nil }
        // Foundation rolls impossible values over (Feb 30 → Mar 2, 25:00 → next day): check
        // every field's range first.
        guard parseDate(String(text.prefix(10))) != nil, fieldsInRange(scalars) else { return nil }
        let normalized = text.uppercased()
        let strategies: [Date.ISO8601FormatStyle] = [
            .iso8601,
            Date.ISO8601FormatStyle(includingFractionalSeconds: true),
        ]
        for style in strategies {
            if let date = try? style.parse(normalized) { return date }
        }
        return nil
    }

    /// `parseRFC3339` of the usual form, by arithmetic; nil when `text` is not in that form or
    /// names no real date-time (the Foundation route then decides, and refuses it).
    static func parseUsualRFC3339(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { s -> Date? in
            guard s.count >= 20, s.count <= 35 else { return nil }
            func digits(_ at: Int, _ count: Int) -> Int? {
                var value = 0
                for index in at..<(at + count) {
                    let digit = Int(s[index]) - 48
                    guard digit >= 0, digit <= 9 else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"), s[10] | 0x20 == UInt8(ascii: "t"),
                  s[13] == UInt8(ascii: ":"), s[16] == UInt8(ascii: ":"),
                  let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
                  let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
                  year >= 1900, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
                  hour <= 23, minute <= 59, second <= 60 else { return nil }
            var index = 19
            var nanoseconds = 0
            if s[index] == UInt8(ascii: ".") {
                index += 1
                let start = index
                while index < s.count, index - start < 10, let digit = digits(index, 1) {
                    nanoseconds = nanoseconds * 10 + digit
                    index += 1
                }
                let count = index - start
                guard count >= 1, count <= 9 else { return nil }
                for _ in count..<9 { nanoseconds *= 10 }
            }
            var offset = 0
            if index == s.count - 1, s[index] | 0x20 == UInt8(ascii: "z") {
                offset = 0
            } else if index == s.count - 6, s[index] == UInt8(ascii: "+") || s[index] == UInt8(ascii: "-"),
                      s[index + 3] == UInt8(ascii: ":"), let hours = digits(index + 1, 2), let minutes = digits(index + 4, 2),
                      minutes <= 59, hours * 60 + minutes <= 18 * 60 {
                offset = (hours * 3600 + minutes * 60) * (s[index] == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
            let seconds = daysFrom1970(year: year, month: month, day: day) * 86_400
                + hour * 3600 + minute * 60 + second - offset - Int(referenceDateFrom1970)
            // Foundation's arithmetic: whole seconds plus the nanoseconds as a fraction.
            return Date(timeIntervalSinceReferenceDate: Double(seconds) + Double(nanoseconds) / 1e9)
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date, by Howard Hinnant's
    /// `days_from_civil` (the inverse of `civil(daysFrom1970:)`).
    private static func daysFrom1970(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Hour, minute, second and offset fields within their ranges (leap second 60 allowed).
    private static func fieldsInRange(_ s: [UInt8]) -> Bool {
        func number(_ at: Int) -> Int? {
            guard at + 1 < s.count, (48...57).contains(s[at]), (48...57).contains(s[at + 1]) else { return nil }
            return Int(s[at] - 48) * 10 + Int(s[at + 1] - 48)
        }
        guard s[13] == UInt8(ascii: ":"), s[16] == UInt8(ascii: ":"),
              let hour = number(11), let minute = number(14), let second = number(17),
              hour <= 23, minute <= 59, second <= 60 else { return false }
        let last = s[s.count - 1]
        if last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") { return true }
        guard let offsetHours = number(s.count - 5), let offsetMinutes = number(s.count - 2) else { return false }
        return offsetHours <= 23 && offsetMinutes <= 59
    }

    /// Formats a date as RFC 3339 in UTC with milliseconds (`2026-11-29T22:41:49.123Z`),
    /// exactly as `Date.ISO8601FormatStyle(includingFractionalSeconds: true)` does (milliseconds
    /// truncated), but by arithmetic: every answer formats its timestamps, and Foundation's
    /// calendar took about 4% of a profile's CPU (docs/performance.md). Dates before 1970 or from
    /// the year 10000 go through Foundation.
    package static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSinceReferenceDate
        let whole = interval.rounded(.down)
        guard whole.isFinite, whole >= -referenceDateFrom1970, whole < Double(yearTenThousand) - referenceDateFrom1970 else {
            return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        let millis = Int(((interval - whole) * 1000).rounded(.towardZero))
        let seconds = Int64(whole) + Int64(referenceDateFrom1970)
        let days = seconds / 86_400
        let inDay = Int(seconds - days * 86_400)
        let (year, month, day) = civil(daysFrom1970: days)
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int, _ digits: Int, at offset: Int) {
                var rest = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                    rest /= 10
                }
            }
            put(year, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(month, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(day, 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(inDay / 3600, 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(inDay / 60 % 60, 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(inDay % 60, 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(millis, 3, at: 20)
            buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Seconds from 1970-01-01 to Foundation's reference date, 2001-01-01.
    private static let referenceDateFrom1970 = 978_307_200.0
    /// Seconds from 1970-01-01 to 10000-01-01: the fast path writes four-digit years only.
    private static let yearTenThousand: Int64 = 253_402_300_800

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (0 or after), by Howard
    /// Hinnant's `civil_from_days`.
    private static func civil(daysFrom1970 days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0), month, day)
    }

    /// Parses a calendar date `YYYY-MM-DD` (a real date: no 2026-02-30). Returns the
    /// start of that day in `timeZone` (UTC unless given).
    package static func parseDate(_ text: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date
    }
}
