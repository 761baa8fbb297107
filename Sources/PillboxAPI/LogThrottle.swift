/// At most one log line a second for each key; the events not logged in between are counted
/// and reported with the next line. Used where a misbehaving client could otherwise turn each
/// of its requests or connections into a log line (`ConnectionRegistry`, `RequestRateLimiter`).
struct LogThrottle<Key: Hashable> {
    private var lastLogged: [Key: UInt64] = [:]
    private var unlogged: [Key: Int] = [:]

    /// Nil when `key` was logged less than a second before `now` (nanoseconds on a monotonic
    /// clock; this event is counted); else the number of its events not logged since its last line.
    mutating func shouldLog(_ key: Key, now: UInt64) -> Int? {
        if let last = lastLogged[key], now &- last < 1_000_000_000 {
            unlogged[key, default: 0] += 1
            return nil
        }
        lastLogged[key] = now
        return unlogged.removeValue(forKey: key) ?? 0
    }

    /// Forgets `key` (its caller is gone).
    mutating func forget(_ key: Key) {
        lastLogged.removeValue(forKey: key)
        unlogged.removeValue(forKey: key)
    }
}
