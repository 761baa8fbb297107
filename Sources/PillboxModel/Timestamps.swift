import Foundation

/// Parsing and formatting of the timestamps and dates the API exchanges.
public enum Timestamps {
    /// Parses an RFC 3339 date-time that carries an offset (`Z` or `±hh:mm`), with or
    /// without fractional seconds. Returns nil for anything else.
    public static func parseRFC3339(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        // The shortest valid form is 2026-01-02T03:04:05Z (20 bytes); 'T' or 't' separates.
        guard scalars.count >= 20, scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: "t") else {
            return nil
        }
        let hasOffset = text.hasSuffix("Z") || text.hasSuffix("z")
            || (scalars.count >= 25 && (scalars[scalars.count - 6] == UInt8(ascii: "+") || scalars[scalars.count - 6] == UInt8(ascii: "-"))
                && scalars[scalars.count - 3] == UInt8(ascii: ":"))
        guard hasOffset else { return nil }
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

    /// Formats a date as RFC 3339 in UTC with milliseconds (`2026-11-29T22:41:49.123Z`).
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Parses a calendar date `YYYY-MM-DD` (a real date: no 2026-02-30). Returns the
    /// start of that day in `timeZone` (UTC unless given).
    public static func parseDate(_ text: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
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
