import Foundation

/// One stored version of a dispense, as the local API returns it.
package struct DispenseRecord: Sendable, Equatable, Codable {
    /// Pillbox's id for the dispense (a random UUID, lower-case).
    package var id: String
    /// 1 for the first version, then 2, 3, … for each correction or cancellation.
    package var version: Int
    package var status: DispenseStatus
    /// When this version was recorded (RFC 3339, UTC).
    package var recordedAt: String
    /// Why this version was made (corrections and cancellations only).
    package var reason: String?
    package var sync: Sync
    /// The dispense content of this version.
    package var dispense: Dispense

    package init(id: String, version: Int, status: DispenseStatus, recordedAt: String, reason: String?,
                sync: Sync, dispense: Dispense) {
        self.id = id
        self.version = version
        self.status = status
        self.recordedAt = recordedAt
        self.reason = reason
        self.sync = sync
        self.dispense = dispense
    }

    /// Upload state of this version.
    package struct Sync: Sendable, Equatable, Codable {
        package var state: SyncState
        package init(state: SyncState) { self.state = state }
    }

    enum CodingKeys: String, CodingKey {
        case id, version, status, recordedAt, reason, sync
    }

    // The JSON form is flat: the dispense fields sit beside id, version, status…
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        version = try container.decode(Int.self, forKey: .version)
        status = try container.decode(DispenseStatus.self, forKey: .status)
        recordedAt = try container.decode(String.self, forKey: .recordedAt)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        sync = try container.decode(Sync.self, forKey: .sync)
        dispense = try Dispense(from: decoder)
    }

    package func encode(to encoder: any Encoder) throws {
        try dispense.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(version, forKey: .version)
        try container.encode(status, forKey: .status)
        try container.encode(recordedAt, forKey: .recordedAt)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encode(sync, forKey: .sync)
    }
}
