/// A check that could not run on this fill, and why, so that its silence is not read as a
/// clean result.
package struct SkippedCheck: Sendable, Equatable, Codable {
    /// Why a check could not run.
    package enum Reason: String, Sendable, Equatable, Codable {
        /// The new fill has no DIN (early refill compares DINs).
        case noDIN = "no-din"
        /// The new fill has no substance code (duplicate therapy compares substances).
        case noSubstanceCode = "no-substance-code"
        /// The new fill has no prescription id.
        case noPrescriptionId = "no-prescription-id"
    }

    package var type: Finding.Kind
    package var reason: Reason

    /// A skipped check.
    package init(type: Finding.Kind, reason: Reason) {
        self.type = type
        self.reason = reason
    }
}
