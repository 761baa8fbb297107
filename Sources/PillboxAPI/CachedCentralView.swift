import Foundation

/// A central record view that can also answer from its cache alone, without asking the
/// central record. A write's findings use it, so that recording a dispense never waits on
/// the network (the dispensing software asks `POST /v1/checks`, which may fetch live, before
/// the pharmacist confirms).
public protocol CachedCentralView: CentralRecordView {
    /// The central part of a patient's profile as last cached (`reachable` false), or
    /// nothing when never fetched.
    func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile
}
