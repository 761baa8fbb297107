import Foundation
import Hummingbird
import PillboxModel

/// The query parameters several routes share, read the same way everywhere.
extension Request {
    /// `limit`: from 1 to `limits.maxPageSize`; `value` (capped at the maximum) when absent.
    func pageSize(default value: Int, limits: APILimits) throws -> Int {
        guard let text = uri.queryParameters["limit"] else { return min(value, limits.maxPageSize) }
        guard let limit = Int(String(text)), limit >= 1, limit <= limits.maxPageSize else {
            throw Problem.badQuery("limit", Phrase("must be a whole number from 1 to \(limits.maxPageSize)",
                                                   fr: "doit être un nombre entier de 1 à \(limits.maxPageSize)"))
        }
        return limit
    }

    /// A period bound named `name`: a date in the appliance's time zone (with `endOfDay`, a
    /// date includes that whole day) or an RFC 3339 date-time; nil when absent.
    func periodBound(_ name: String, endOfDay: Bool) throws -> Date? {
        guard let text = uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        if let date = Timestamps.parseDate(text, timeZone: .current) {
            guard endOfDay else { return date }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .current
            return calendar.date(byAdding: .day, value: 1, to: date) ?? date.addingTimeInterval(86_400)
        }
        if let date = Timestamps.parseRFC3339(text) { return date }
        throw Problem.badQuery(name, Phrase("must be a date (YYYY-MM-DD) or an RFC 3339 date-time",
                                           fr: "doit être une date (AAAA-MM-JJ) ou une date-heure RFC 3339"))
    }
}
