import Foundation

/// One resource as the simulator stores it.
public struct StoredResource: Sendable, Equatable {
    /// The resource id (`MedicationDispense/{id}`).
    public var id: String
    /// `meta.versionId`, from 1.
    public var versionId: Int
    /// `meta.lastUpdated`, to the millisecond.
    public var lastUpdated: Date
    /// The stored resource as JSON (sorted keys), `meta` included.
    public var json: Data

    /// A stored resource.
    public init(id: String, versionId: Int, lastUpdated: Date, json: Data) {
        self.id = id
        self.versionId = versionId
        self.lastUpdated = lastUpdated
        self.json = json
    }
}
