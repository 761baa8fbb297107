/// Thresholds of the dispensing checks (docs/checks.md), the `checks` object of the
/// configuration file (docs/configuration.md). Every member has a default; a file may set
/// any subset.
public struct CheckSettings: Sendable, Equatable, Codable {
    /// Early refill: a previous fill of the same DIN is flagged while more than this share of
    /// its days' supply is left at the new fill's date (percent, 0 to 99; default 25).
    public var earlyRefillRemainingPercent: Double = 25
    /// Duplicate therapy: a fill of the same substance is flagged while more than this many
    /// days of its supply are left at the new fill's date (default 0: any overlap).
    public var duplicateTherapyOverlapDays: Double = 0
    /// Same prescription elsewhere: a central fill of the same prescription is flagged while
    /// more than this share of its days' supply is left (percent, 0 to 99; default 0: any).
    public var samePrescriptionRemainingPercent: Double = 0
    /// Coverage says `stale` when the cached central profile is older than this (default 24 h).
    public var staleCacheSeconds: Int = 86_400
    /// At most this many of the patient's local fills are read, newest first (default 1,000).
    public var maxLocalFills: Int = 1_000

    /// The defaults.
    public init() {}

    /// Errors name the setting, as `checks.<name>`.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// `checks.<name>`.
        public var setting: String
        /// Why.
        public var reason: String
        public var description: String { "setting \(setting): \(reason)" }

        /// An error about `setting`.
        public init(setting: String, reason: String) {
            self.setting = setting
            self.reason = reason
        }
    }

    /// Checks ranges a type cannot express.
    public func validate() throws(Invalid) {
        func fail(_ name: String, _ why: String) -> Invalid { Invalid(setting: "checks.\(name)", reason: why) }
        if !(0...99).contains(earlyRefillRemainingPercent) {
            throw fail("earlyRefillRemainingPercent", "must be from 0 to 99")
        }
        if !(0...365).contains(duplicateTherapyOverlapDays) {
            throw fail("duplicateTherapyOverlapDays", "must be from 0 to 365")
        }
        if !(0...99).contains(samePrescriptionRemainingPercent) {
            throw fail("samePrescriptionRemainingPercent", "must be from 0 to 99")
        }
        if !(60...31_536_000).contains(staleCacheSeconds) {
            throw fail("staleCacheSeconds", "must be from 60 to 31536000 (one year)")
        }
        if !(1...10_000).contains(maxLocalFills) { throw fail("maxLocalFills", "must be from 1 to 10000") }
    }

    enum CodingKeys: String, CodingKey {
        case earlyRefillRemainingPercent, duplicateTherapyOverlapDays, samePrescriptionRemainingPercent
        case staleCacheSeconds, maxLocalFills
    }

    /// Missing members keep their defaults; unknown members are refused by the caller's reader.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = CheckSettings()
        earlyRefillRemainingPercent = try container.decodeIfPresent(Double.self, forKey: .earlyRefillRemainingPercent)
            ?? defaults.earlyRefillRemainingPercent
        duplicateTherapyOverlapDays = try container.decodeIfPresent(Double.self, forKey: .duplicateTherapyOverlapDays)
            ?? defaults.duplicateTherapyOverlapDays
        samePrescriptionRemainingPercent = try container.decodeIfPresent(Double.self, forKey: .samePrescriptionRemainingPercent)
            ?? defaults.samePrescriptionRemainingPercent
        staleCacheSeconds = try container.decodeIfPresent(Int.self, forKey: .staleCacheSeconds) ?? defaults.staleCacheSeconds
        maxLocalFills = try container.decodeIfPresent(Int.self, forKey: .maxLocalFills) ?? defaults.maxLocalFills
    }

    /// Every member name, for readers that refuse unknown ones.
    public static let memberNames: Set<String> = Set([CodingKeys.earlyRefillRemainingPercent, .duplicateTherapyOverlapDays,
                                                      .samePrescriptionRemainingPercent, .staleCacheSeconds,
                                                      .maxLocalFills].map(\.stringValue))
}
