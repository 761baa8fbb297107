import Foundation

/// The central part of a patient's profile: the patient's dispenses on the central record,
/// as far as this Pillbox knows them, and how fresh that knowledge is.
package struct CentralProfile: Sendable, Equatable {
    /// Central dispenses, without this pharmacy's own uploads of local records.
    package var dispenses: [CentralDispense]
    /// False in local-only mode (no central record configured; no dispenses).
    package var configured: Bool
    /// Whether the central record answered this time.
    package var reachable: Bool
    /// When the central part was fetched (now when fresh, earlier when from cache; nil if never).
    package var asOf: Date?

    /// A profile with the given content.
    package init(dispenses: [CentralDispense], configured: Bool = true, reachable: Bool, asOf: Date?) {
        self.dispenses = dispenses
        self.configured = configured
        self.reachable = reachable
        self.asOf = asOf
    }

    /// Local-only mode: no central record configured.
    package static let localOnly = CentralProfile(dispenses: [], configured: false, reachable: false, asOf: nil)
}
