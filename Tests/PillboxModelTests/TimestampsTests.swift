import Foundation
@testable import PillboxModel
import PillboxTestSupport
import Testing

@Suite("Timestamps")
struct TimestampsTests {
    @Test("An RFC 3339 date-time in UTC with Z gives the exact instant")
    func zuluIsParsed() throws {
        let date = try #require(Timestamps.parseRFC3339("2026-11-20T15:00:00Z"))
        #expect(date.timeIntervalSince1970 == 1_795_186_800)
        #expect(Timestamps.parseRFC3339("2026-11-20t15:00:00z")?.timeIntervalSince1970 == 1_795_186_800)
    }

    @Test("A numeric offset moves the instant accordingly")
    func offsetIsApplied() throws {
        let minus = try #require(Timestamps.parseRFC3339("2026-11-20T10:00:00-05:00"))
        #expect(minus.timeIntervalSince1970 == 1_795_186_800)
        let plus = try #require(Timestamps.parseRFC3339("2026-11-20T20:30:00+05:30"))
        #expect(plus.timeIntervalSince1970 == 1_795_186_800)
        #expect(Timestamps.parseRFC3339("2026-11-20T15:00:00+00:00")?.timeIntervalSince1970 == 1_795_186_800)
    }

    @Test("Fractional seconds are kept")
    func fractionalSecondsAreKept() throws {
        let date = try #require(Timestamps.parseRFC3339("2026-03-08T01:02:03.250Z"))
        #expect(date.timeIntervalSince1970 == 1_772_931_723.25)
        let offset = try #require(Timestamps.parseRFC3339("2026-03-07T20:02:03.250-05:00"))
        #expect(offset.timeIntervalSince1970 == 1_772_931_723.25)
    }

    @Test("A date-time without offset, a date alone, or garbage is refused",
          arguments: ["2026-11-20T15:00:00", "2026-11-20T15:00:00.250", "2026-11-20", "2026-11-20 15:00:00Z",
                      "2026-11-20T15:00:00+0500", "2026-11-20T15:00:00+05", "yesterday at noon, give or take",
                      "", "2026-13-20T15:00:00Z", "2026-00-20T15:00:00Z",
                      "2026-11-20T15:00:00+25:00", "2026-11-20T15:00:00Zjunk", "2026-11-20T15:00:00.Z", "Z"])
    func malformedDateTimeIsRefused(text: String) {
        #expect(Timestamps.parseRFC3339(text) == nil)
    }

    @Test("A date-time with an out-of-range day, hour, minute, second or offset is refused",
          arguments: ["2026-02-30T10:00:00Z", "2026-11-31T10:00:00Z", "2026-11-20T25:00:00Z", "2026-11-20T10:61:00Z",
                      "2026-11-20T10:00:61Z", "2026-11-20T10:00:00-05:99"])
    func outOfRangeDateTimeIsRefused(text: String) {
        #expect(Timestamps.parseRFC3339(text) == nil)
    }

    @Test("Formatting gives UTC with milliseconds")
    func formatIsUTCWithMilliseconds() {
        #expect(Timestamps.format(Date(timeIntervalSince1970: 1_772_931_723.25)) == "2026-03-08T01:02:03.250Z")
        #expect(Timestamps.format(Date(timeIntervalSince1970: 1_795_186_800)) == "2026-11-20T15:00:00.000Z")
    }

    @Test("A real calendar date is parsed to the start of its day in UTC")
    func calendarDateIsParsed() throws {
        let leapDay = try #require(Timestamps.parseDate("2024-02-29"))
        #expect(leapDay.timeIntervalSince1970 == 1_709_164_800)
        #expect(Timestamps.parseDate("1970-01-01")?.timeIntervalSince1970 == 0)
    }

    @Test("An impossible or loosely written date is refused",
          arguments: ["2026-02-30", "2026-02-29", "2026-2-3", "2026-02-3", "26-02-03", "2026-13-01", "2026-00-10",
                      "2026-01-00", "2026/02/03", "2026-02-03T00:00:00Z", "", "+026-02-03", "2026--2-03"])
    func impossibleDateIsRefused(text: String) {
        #expect(Timestamps.parseDate(text) == nil)
    }
}

/// `Timestamps.format` writes its text by arithmetic; Foundation's ISO 8601 style is the
/// reference it must match, character for character.
@Suite("Timestamps.format against Foundation")
struct TimestampsFormatEquivalenceTests {
    static let foundation = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    @Test("Boundaries: epoch, millisecond edges, leap days, century rules, the reference date, year 9999, before 1970")
    func boundaries() {
        let values: [Double] = [
            0, -0.0, 0.0005, 0.9995, 0.999_999_9, 1, 59.999, 86_399.999, 86_400,
            951_782_400, 951_868_799.999, 951_868_800,        // 2000-02-29 (a leap century)
            4_107_542_400, 4_107_628_800,                       // 2100-03-01 (not a leap century)
            1_709_164_800.123, 1_772_931_723.25, 1_795_186_800,
            978_307_199.999_9, 978_307_200, 978_307_200.000_1, // Foundation's reference date
            253_402_300_799.999, 253_402_300_800, 300_000_000_000, // the last fast second, then Foundation
            -0.0005, -1, -86_400.5, -62_135_596_800,           // before 1970: Foundation
        ]
        for value in values {
            let date = Date(timeIntervalSince1970: value)
            #expect(Timestamps.format(date) == date.formatted(Self.foundation), "\(value)")
        }
    }

    @Test("200,000 random instants, whole milliseconds and arbitrary fractions, 1940 to 2200")
    func randomInstants() {
        var generator = SplitMix64(seed: 0x5EED_7135)
        var mismatches: [Double] = []
        for index in 0..<200_000 {
            let seconds = Double(Int64(generator.next() % 7_500_000_000)) - 1_000_000_000
            let value: Double
            switch index % 3 {
            case 0: value = seconds + Double(generator.next() % 1000) / 1000       // as parsed from ".123"
            case 1: value = (seconds * 1000 + Double(generator.next() % 1000)) / 1000
            default: value = seconds + Double(generator.next() % 1_000_000_007) / 1_000_000_007   // like Date()
            }
            let date = Date(timeIntervalSince1970: value)
            if Timestamps.format(date) != date.formatted(Self.foundation) { mismatches.append(value) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }
}

/// `Timestamps.parseRFC3339` reads the usual form by arithmetic; Foundation's ISO 8601 styles,
/// which it used for every text before (and still uses for any other form), are the reference
/// it must match to the last bit of the `Date`.
@Suite("Timestamps.parseRFC3339 against Foundation")
struct TimestampsParseEquivalenceTests {
    /// What `parseRFC3339` returned for a well-formed, in-range text before the arithmetic.
    static func foundation(_ text: String) -> Date? {
        let styles: [Date.ISO8601FormatStyle] = [.iso8601, Date.ISO8601FormatStyle(includingFractionalSeconds: true)]
        return styles.lazy.compactMap { try? $0.parse(text.uppercased()) }.first
    }

    /// The arithmetic's answer (not Foundation's, which `parseRFC3339` falls back to) is Foundation's.
    static func expectSame(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let ours = Timestamps.parseUsualRFC3339(text)?.timeIntervalSinceReferenceDate.bitPattern
        let theirs = foundation(text)?.timeIntervalSinceReferenceDate.bitPattern
        #expect(ours != nil && ours == theirs, "\(text)", sourceLocation: sourceLocation)
        #expect(Timestamps.parseRFC3339(text)?.timeIntervalSinceReferenceDate.bitPattern == theirs, sourceLocation: sourceLocation)
    }

    @Test("Boundaries: leap days and seconds, nine fraction digits, ±18:00, lower case, the first year of the fast form")
    func boundaries() {
        for text in ["2024-02-29T00:00:00Z", "2000-02-29T23:59:60Z", "2026-12-31T23:59:59.999999999Z",
                     "2026-11-30T10:00:00.000000001+18:00", "2026-11-30T10:00:00.1-18:00", "2026-11-30t10:00:00.5z",
                     "1900-01-01T00:00:00Z", "9999-12-31T23:59:59.999-00:30",
                     "1970-01-01T00:00:00Z", "2001-01-01T00:00:00.000Z"] {
            Self.expectSame(text)
        }
        // Before 1900 Foundation's calendar is not the proleptic Gregorian one (Julian before
        // 1582): those years keep Foundation's route, and its answer.
        for text in ["1899-12-31T23:59:59Z", "1600-03-01T00:00:00Z", "1582-10-15T00:00:00Z"] {
            #expect(Timestamps.parseUsualRFC3339(text) == nil, "\(text)")
            #expect(Timestamps.parseRFC3339(text) != nil && Timestamps.parseRFC3339(text) == Self.foundation(text), "\(text)")
        }
    }

    @Test("Forms Foundation refuses stay refused: ten fraction digits, offsets past 18:00, 2100-02-29")
    func refusals() {
        for text in ["2026-11-30T10:00:00.1234567890Z", "2026-11-30T10:00:00+18:01", "2026-11-30T10:00:00-23:00",
                     "2100-02-29T00:00:00Z", "2026-11-30T10:00:00.+05:00", "2026-11-30T10:00:00+05:60"] {
            #expect(Timestamps.parseRFC3339(text) == nil, "\(text)")
        }
    }

    @Test("100,000 random well-formed date-times, 1900 to 9999, any fraction and offset")
    func randomTexts() {
        var generator = SplitMix64(seed: 0x3339_7135)
        func random(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
        for index in 0..<100_000 {
            let year = random(1900...9999), month = random(1...12)
            let day = random(1...(month == 2 ? 28 : 30))
            var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, random(0...23), random(0...59), random(0...60))
            let fractionDigits = random(0...9)
            if fractionDigits > 0 { text += "." + (0..<fractionDigits).map { _ in String(random(0...9)) }.joined() }
            if index % 3 == 0 {
                text += index % 2 == 0 ? "Z" : "z"
            } else {
                let hours = random(0...18)
                text += String(format: "%@%02d:%02d", index % 2 == 0 ? "+" : "-", hours, hours == 18 ? 0 : random(0...59))
            }
            let ours = Timestamps.parseUsualRFC3339(text)?.timeIntervalSinceReferenceDate.bitPattern
            let theirs = Self.foundation(text)?.timeIntervalSinceReferenceDate.bitPattern
            if ours == nil || ours != theirs {
                Issue.record("\(text): \(String(describing: ours)) against Foundation's \(String(describing: theirs))")
                return
            }
        }
    }
}
