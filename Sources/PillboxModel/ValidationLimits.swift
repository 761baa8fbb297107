/// Length limits on free-text fields of a dispense. Configurable; defaults suit
/// Quebec pharmacy software.
public struct ValidationLimits: Sendable, Equatable, Codable {
    /// Longest names, codes, licenses, units and ids (characters).
    public var maxShortText: Int
    /// Longest `dosageText`, `note`, `medication.display` and `reason` (characters).
    public var maxLongText: Int
    /// How far in the future `whenHandedOver` may be (seconds). The issue fixes 24 h.
    public var maxFutureSeconds: Double

    public init(maxShortText: Int = 200, maxLongText: Int = 2000, maxFutureSeconds: Double = 24 * 3600) {
        self.maxShortText = maxShortText
        self.maxLongText = maxLongText
        self.maxFutureSeconds = maxFutureSeconds
    }

    /// The defaults.
    public static let standard = ValidationLimits()
}
