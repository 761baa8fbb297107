import Foundation

/// Parsing and formatting of the timestamps and dates the API exchanges.
package enum Timestamps {
    /// Parses an RFC 3339 date-time that carries an offset (`Z` or `±hh:mm`), with or
    /// without fractional seconds. Returns nil for anything else.
    package static func parseRFC3339(_ text: String) -> Date? {
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

    /// Formats a date as RFC 3339 in UTC with milliseconds (`2026-11-29T22:41:49.123Z`).
    package static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
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
