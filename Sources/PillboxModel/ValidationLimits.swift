/// Length limits on free-text fields of a dispense. Configurable; defaults suit
/// Quebec pharmacy software.
package struct ValidationLimits: Sendable, Equatable, Codable {
    /// Longest names, codes, licenses, units and ids (characters).
    package var maxShortText: Int
    /// Longest `dosageText`, `note`, `medication.display` and `reason` (characters).
    package var maxLongText: Int
    /// How far in the future `whenHandedOver` may be (seconds). The issue fixes 24 h.
    package var maxFutureSeconds: Double

    package init(maxShortText: Int = 200, maxLongText: Int = 2000, maxFutureSeconds: Double = 24 * 3600) {
        self.maxShortText = maxShortText
        self.maxLongText = maxLongText
        self.maxFutureSeconds = maxFutureSeconds
    }

    /// The defaults.
    package static let standard = ValidationLimits()
}
