import Foundation
import PillboxModel

/// The central record as the local API sees it; the daemon wires the uploader behind it.
/// Keeps the API independent of the upload module.
public protocol CentralRecordView: Sendable {
    /// Configuration and reachability, for `/v1/status` and metrics.
    func status() -> CentralStatus
    /// The central part of a patient's profile, within the configured time budget.
    func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile
    /// Asks the uploader for an immediate attempt, even if it is backing off.
    func requestSync()
    /// Tells the uploader a version was recorded: wakes it if idle, never cuts a back-off short.
    func notifyNewWork()
}

/// What `/v1/status` says about the central record.
public struct CentralStatus: Sendable, Equatable, Encodable {
    public var configured: Bool
    /// nil until the first attempt.
    public var reachable: Bool?
    public var lastSuccessAt: String?
    public var lastError: String?
    /// When `lastError` happened.
    public var lastErrorAt: String?
    /// A configuration problem in force: `systemic-refusal` (the central record refuses every
    /// entry), `credentials` or `configuration`; absent when none. Uploads wait and retry.
    public var problem: String?
    /// Since when `problem` holds.
    public var problemSince: String?
    /// Entries held back (pending, not dead-lettered) because they were refused while
    /// nothing else was accepted; absent when none.
    public var heldEntries: Int?

    public init(configured: Bool, reachable: Bool? = nil, lastSuccessAt: String? = nil, lastError: String? = nil,
                lastErrorAt: String? = nil) {
        self.lastErrorAt = lastErrorAt
        self.configured = configured
        self.reachable = reachable
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
    }
}

/// The central part of a profile.
public struct CentralProfile: Sendable, Equatable {
    /// Entries as JSON objects (without `source`), each with the time used to sort it.
    public var entries: [(at: Date, entry: JSONValue)]
    public var configured: Bool
    public var reachable: Bool
    /// When the central part was fetched; nil if never.
    public var asOf: Date?

    public init(entries: [(at: Date, entry: JSONValue)], configured: Bool, reachable: Bool, asOf: Date?) {
        self.entries = entries
        self.configured = configured
        self.reachable = reachable
        self.asOf = asOf
    }

    public static func == (lhs: CentralProfile, rhs: CentralProfile) -> Bool {
        lhs.configured == rhs.configured && lhs.reachable == rhs.reachable && lhs.asOf == rhs.asOf
            && lhs.entries.map(\.at) == rhs.entries.map(\.at) && lhs.entries.map(\.entry) == rhs.entries.map(\.entry)
    }
}

/// Local-only mode: no central record configured.
public struct LocalOnlyCentral: CentralRecordView {
    public init() {}
    public func status() -> CentralStatus { CentralStatus(configured: false) }
    public func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        CentralProfile(entries: [], configured: false, reachable: false, asOf: nil)
    }
    public func requestSync() {}
    public func notifyNewWork() {}
}
