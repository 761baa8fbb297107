import Foundation
import PillboxModel

/// `CentralProfile` with its dispenses as ready answer bytes (`CentralFragment`), for the
/// profile answer; the checks keep reading `CentralProfile`.
package struct CentralProfileFragments: Sendable, Equatable {
    /// Central dispenses, without this pharmacy's own uploads of local records.
    package var fragments: [CentralFragment]
    /// False in local-only mode.
    package var configured: Bool
    /// Whether the central record answered this time.
    package var reachable: Bool
    /// When the central part was fetched, if ever.
    package var asOf: Date?

    package init(fragments: [CentralFragment], configured: Bool = true, reachable: Bool, asOf: Date?) {
        self.fragments = fragments
        self.configured = configured
        self.reachable = reachable
        self.asOf = asOf
    }

    /// A profile's dispenses encoded once each (a dispense that cannot be encoded is left out;
    /// `CentralDispense` always encodes).
    package init(_ profile: CentralProfile) {
        self.init(fragments: profile.dispenses.compactMap { try? CentralFragment($0) }, configured: profile.configured,
                  reachable: profile.reachable, asOf: profile.asOf)
    }

    /// Local-only mode: no central record configured.
    package static let localOnly = CentralProfileFragments(fragments: [], configured: false, reachable: false, asOf: nil)
}
