import Foundation

/// One resource as the simulator stores it.
package struct StoredResource: Sendable, Equatable {
    /// The resource id (`MedicationDispense/{id}`).
    package var id: String
    /// `meta.versionId`, from 1.
    package var versionId: Int
    /// `meta.lastUpdated`, to the millisecond.
    package var lastUpdated: Date
    /// The stored resource as JSON (sorted keys), `meta` included.
    package var json: Data

    /// A stored resource.
    package init(id: String, versionId: Int, lastUpdated: Date, json: Data) {
        self.id = id
        self.versionId = versionId
        self.lastUpdated = lastUpdated
        self.json = json
    }
}
