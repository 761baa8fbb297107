import PillboxModel

/// Thresholds of the dispensing checks (docs/checks.md), the `checks` object of the
/// configuration file (docs/configuration.md). Every member has a default; a file may set
/// any subset.
package struct CheckSettings: SettingsGroup {
    /// Early refill: a previous fill of the same DIN is flagged while more than this share of
    /// its days' supply is left at the new fill's date (percent, 0 to 99; default 25).
    package var earlyRefillRemainingPercent: Double = 25
    /// Duplicate therapy: a fill of the same substance is flagged while more than this many
    /// days of its supply are left at the new fill's date (default 0: any overlap).
    package var duplicateTherapyOverlapDays: Double = 0
    /// Same prescription elsewhere: a central fill of the same prescription is flagged while
    /// more than this share of its days' supply is left (percent, 0 to 99; default 0: any).
    package var samePrescriptionRemainingPercent: Double = 0
    /// Coverage says `stale` when the cached central profile is older than this (default 24 h).
    package var staleCacheSeconds = 86_400
    /// At most this many of the patient's local fills are read, newest first (default 1,000).
    package var maxLocalFills = 1_000

    /// The defaults.
    package init() {}

    package static var settings: [Setting<CheckSettings>] {
        [
            Setting("earlyRefillRemainingPercent", \.earlyRefillRemainingPercent),
            Setting("duplicateTherapyOverlapDays", \.duplicateTherapyOverlapDays),
            Setting("samePrescriptionRemainingPercent", \.samePrescriptionRemainingPercent),
            Setting("staleCacheSeconds", \.staleCacheSeconds), Setting("maxLocalFills", \.maxLocalFills),
        ]
    }

    /// Checks ranges a type cannot express.
    package func validate() throws(ConfigurationError) {
        try require("earlyRefillRemainingPercent", earlyRefillRemainingPercent, in: 0...99)
        try require("duplicateTherapyOverlapDays", duplicateTherapyOverlapDays, in: 0...365)
        try require("samePrescriptionRemainingPercent", samePrescriptionRemainingPercent, in: 0...99)
        try require("staleCacheSeconds", staleCacheSeconds, in: 60...31_536_000)
        try require("maxLocalFills", maxLocalFills, in: 1...10_000)
    }
}
