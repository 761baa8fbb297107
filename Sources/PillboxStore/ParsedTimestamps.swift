import Foundation
import PillboxModel
import Synchronization

/// `Timestamps.parseRFC3339`, remembered: the checks date every fill of a patient (local and
/// central) on every request, and Foundation's parser costs tens of microseconds a call. The
/// same text always parses to the same instant, so a remembered answer is the parser's own,
/// to the last bit (the clear `dispensed_at` column is not: seconds since 1970 and back can
/// move the last bit of a fractional time). Bounded: when full, it starts again empty. It
/// holds timestamps only, nothing that names anyone.
package enum ParsedTimestamps {
    /// Most texts remembered (about 100 bytes each: under 1 MB).
    package static let capacity = 8_192

    private static let memo = Mutex<[String: Date]>([:])

    /// What `Timestamps.parseRFC3339(text)` returns.
    package static func date(_ text: String) -> Date? {
        if let known = memo.withLock({ $0[text] }) { return known }
        guard let date = Timestamps.parseRFC3339(text) else { return nil }
        memo.withLock { memo in
            if memo.count >= capacity { memo.removeAll(keepingCapacity: true) }
            memo[text] = date
        }
        return date
    }

    /// How many texts are remembered (for tests).
    package static var count: Int { memo.withLock { $0.count } }
}
