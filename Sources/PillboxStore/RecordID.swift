import Foundation
import PillboxCrypto

/// Pillbox's ids for new dispenses.
enum RecordID {
    /// A new id for a record created at `now`: a version-7 UUID (RFC 9562) in lower case, the
    /// form `UUID().uuidString.lowercased()` gives. Its first 48 bits are `now` in milliseconds
    /// since 1970, the other 74 free bits random from OpenSSL's generator (Foundation's `UUID()`
    /// opens and reads `/dev/urandom` on every call here; this opens nothing).
    ///
    /// Time first, so that new ids land next to each other in the indexes keyed by id (the
    /// dispense's primary key, the outbox's): the writes of a group commit share their leaf
    /// pages instead of each dirtying its own (docs/performance.md, "time-ordered record ids").
    /// The time it shows is the record's `created_at`, kept in clear beside it already.
    static func new(at now: Date) -> String {
        let milliseconds = UInt64(max(0, (now.timeIntervalSince1970 * 1000).rounded(.down)))
        var bytes = SecureRandom.bytes(16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(index))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Hex.encode(bytes)
        return [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
            .joined(separator: "-")
    }
}
