import Foundation

/// FHIR `dateTime` and `instant` text.
enum FHIRDateTime {
    /// Milliseconds since 1970 of a FHIR dateTime (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a full
    /// time with zone); nil when it cannot be read. Partial dates count from their first instant (UTC).
    static func millis(_ text: String) -> Int64? {
        var candidates = [text]
        switch text.count {
        case 4: candidates = [text + "-01-01T00:00:00Z"]
        case 7: candidates = [text + "-01T00:00:00Z"]
        case 10: candidates = [text + "T00:00:00Z"]
        default: break
        }
        for candidate in candidates {
            if let date = try? Date(candidate, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
                return Int64((date.timeIntervalSince1970 * 1000).rounded())
            }
            if let date = try? Date(candidate, strategy: Date.ISO8601FormatStyle()) {
                return Int64((date.timeIntervalSince1970 * 1000).rounded())
            }
        }
        return nil
    }

    /// The FHIR `instant` of `date`, in UTC with milliseconds: `2025-01-31T12:00:00.000Z`.
    static func instant(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `date` cut to whole milliseconds, as stored.
    static func truncatedToMillis(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
