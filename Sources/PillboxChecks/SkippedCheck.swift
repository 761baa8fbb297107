/// A check that could not run on this fill, and why, so that its silence is not read as a
/// clean result.
public struct SkippedCheck: Sendable, Equatable, Codable {
    /// Why a check could not run.
    public enum Reason: String, Sendable, Equatable, Codable {
        /// The new fill has no DIN (early refill compares DINs).
        case noDIN = "no-din"
        /// The new fill has no substance code (duplicate therapy compares substances).
        case noSubstanceCode = "no-substance-code"
        /// The new fill has no prescription id.
        case noPrescriptionId = "no-prescription-id"
    }

    public var type: Finding.Kind
    public var reason: Reason

    /// A skipped check.
    public init(type: Finding.Kind, reason: Reason) {
        self.type = type
        self.reason = reason
    }
}
