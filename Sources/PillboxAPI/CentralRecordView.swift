import PillboxModel
import PillboxStore

/// The central record as the local API sees it; the daemon wires the uploader behind it.
/// Keeps the API independent of the upload module.
package protocol CentralRecordView: Sendable {
    /// Configuration and reachability, for `/v1/status` and metrics.
    func status() -> CentralStatus
    /// The central part of a patient's profile, within the configured time budget.
    func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile
    /// The central part of a patient's profile as last cached (`reachable` false, `asOf` nil
    /// when never fetched), without asking the central record: a write's findings use it, so
    /// that recording a dispense never waits on the network.
    func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile
    /// `profile(nam:localDispenseIDs:)` with each dispense as ready answer bytes, for the
    /// profile answer. The default encodes `profile`'s dispenses once each; the daemon's
    /// wiring reads them ready from the profile cache.
    func profileFragments(nam: String, localDispenseIDs: Set<String>) async -> CentralProfileFragments
    /// Asks the uploader for an immediate attempt, even if it is backing off.
    func requestSync()
}

extension CentralRecordView {
    /// Encodes `profile(nam:localDispenseIDs:)`'s dispenses once each.
    package func profileFragments(nam: String, localDispenseIDs: Set<String>) async -> CentralProfileFragments {
        CentralProfileFragments(await profile(nam: nam, localDispenseIDs: localDispenseIDs))
    }
}
