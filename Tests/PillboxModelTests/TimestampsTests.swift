import Foundation
import PillboxModel
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
